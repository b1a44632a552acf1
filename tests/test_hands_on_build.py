"""The hands-on notebook part in the built book: executed outputs, plots, download, switches."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import COPY_IGNORE, ROOT, BuiltBook, build, build_command, convert

pytestmark = pytest.mark.build

HANDS_ON = ROOT / "book" / "hands-on"
NOTEBOOKS = sorted(p.stem for p in HANDS_ON.glob("*.ipynb"))


def soup(file: Path) -> BeautifulSoup:
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def hands_on_page(book: BuiltBook, stem: str) -> BeautifulSoup:
    return soup(book.html / "book" / "hands-on" / f"{stem}.html")


def test_notebooks_are_executed_at_build_time(built_book: BuiltBook) -> None:
    texts = {stem: hands_on_page(built_book, stem).get_text() for stem in NOTEBOOKS}
    joined = "\n".join(texts.values())
    assert re.search(r"desired=(\d+) running=\1", joined), "the reconcile loop's final state is shown"
    assert "manifests valid: 4/4" in joined
    outputs = [hands_on_page(built_book, stem).select(".cell_output") for stem in NOTEBOOKS]
    assert all(outputs), "every notebook shows outputs"


def test_plots_are_images_in_the_build(built_book: BuiltBook) -> None:
    plots = []
    for stem in NOTEBOOKS:
        for image in hands_on_page(built_book, stem).select(".cell_output img"):
            target = (built_book.html / "book" / "hands-on" / image["src"]).resolve()
            assert target.is_file() and target.stat().st_size > 1000
            plots.append(target)
    assert len(plots) >= 2


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_reader_can_download_the_notebook(built_book: BuiltBook, stem: str) -> None:
    links = [a["href"] for a in hands_on_page(built_book, stem).select("a.btn-download-source-button")]
    assert any(href.endswith(f"{stem}.ipynb") for href in links)
    target = (built_book.html / "book" / "hands-on" / links[0]).resolve()
    assert target.is_file() and target.read_text(encoding="utf-8").lstrip().startswith("{")


def test_no_launch_buttons_without_a_repository(built_book: BuiltBook) -> None:
    page = hands_on_page(built_book, NOTEBOOKS[0])
    assert not page.select("a[href*='mybinder.org'], a[href*='colab.research.google.com']")


def copy_of_repo(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    shutil.copytree(ROOT, root, ignore=COPY_IGNORE)
    return root


def copy_of_built(book: BuiltBook, tmp_path: Path) -> Path:
    """The built book with its `_build/` (environment and notebook cache): what a second
    `jupyter-book build .` in the same checkout starts from."""
    root = tmp_path / "book"
    shutil.copytree(book.root, root, symlinks=True)
    return root


def test_launch_buttons_appear_with_a_repository_url(built_book: BuiltBook, tmp_path: Path) -> None:
    root = copy_of_built(built_book, tmp_path)
    config_file = root / "_config.yml"
    config = config_file.read_text(encoding="utf-8")
    config_file.write_text(
        re.sub(r'(?m)^  url: ""', '  url: "https://github.com/example/notes"', config), encoding="utf-8"
    )
    result = build(root)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    page = soup(root / "_build/html/book/hands-on" / f"{NOTEBOOKS[0]}.html")
    hrefs = [a["href"] for a in page.select("a[href]")]
    assert any(h.startswith("https://mybinder.org/v2/gh/example/notes/") and h.endswith(".ipynb") for h in hrefs)
    assert any(h.startswith("https://colab.research.google.com/github/example/notes/") for h in hrefs)


ONE_OFF_TOC = "_build/_toc.no-hands-on.yml"


def test_book_builds_clean_without_the_hands_on_part_and_leaves_the_repository_alone(tmp_path: Path) -> None:
    """What `make book HANDS_ON=0` runs: a one-off toc in _build/, every committed file as it was,
    a clean build without the part, and no empty 실습 section on the landing page."""
    root = copy_of_repo(tmp_path)
    committed = {path: path.read_bytes() for path in [root / "_toc.yml", *(root / "book").rglob("*.md")]}
    converted = convert(root, "--no-hands-on", "--toc-out", ONE_OFF_TOC)
    assert converted.returncode == 0, converted.stderr
    assert {path: path.read_bytes() for path in committed} == committed
    toc = yaml.safe_load((root / ONE_OFF_TOC).read_text(encoding="utf-8"))
    assert not any("hands-on" in str(part) for part in toc["parts"])
    assert toc["parts"] and toc["root"] == yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))["root"]
    result = subprocess.run(
        [*build_command(), "--toc", ONE_OFF_TOC], cwd=root, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    html = root / "_build" / "html"
    assert not (html / "book" / "hands-on").exists()
    for file in html.rglob("*.html"):
        assert "hands-on/" not in file.read_text(encoding="utf-8"), file
    assert "Executing" not in result.stdout
    landing = BeautifulSoup((html / "book" / "index.html").read_text(encoding="utf-8"), "html.parser")
    headings = [h.get_text().rstrip("#").strip() for h in landing.select("article h3")]
    assert headings and "실습" not in headings


def test_make_passes_the_one_off_toc_to_both_commands() -> None:
    shown = subprocess.run(["make", "-n", "book", "HANDS_ON=0"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    lines = shown.stdout.splitlines()
    assert any("convert.py" in line and f"--toc-out {ONE_OFF_TOC}" in line for line in lines), shown.stdout
    assert any("jupyter-book build" in line and f"--toc {ONE_OFF_TOC}" in line for line in lines), shown.stdout


def test_config_switch_turns_the_part_off(tmp_path: Path) -> None:
    root = copy_of_repo(tmp_path)
    config_file = root / "_config.yml"
    text = config_file.read_text(encoding="utf-8")
    config_file.write_text(re.sub(r"(?m)^  hands_on: true", "  hands_on: false", text), encoding="utf-8")
    converted = convert(root)
    assert converted.returncode == 0, converted.stderr
    assert "hands-on" not in (root / "_toc.yml").read_text(encoding="utf-8")


def test_unchanged_notebook_is_not_executed_again(built_book: BuiltBook, tmp_path: Path) -> None:
    """jupyter-cache: a notebook Sphinx reads again, but whose code did not change, is not re-run
    (the first build, which executed every notebook, is the `built_book` fixture's)."""
    root = copy_of_built(built_book, tmp_path)
    assert any((root / "_build" / ".jupyter_cache").iterdir())
    notebook = root / "book" / "hands-on" / f"{NOTEBOOKS[0]}.ipynb"
    notebook.touch()
    second = build(root)
    assert second.returncode == 0, second.stdout[-2000:]
    output = second.stdout + second.stderr
    assert f"{NOTEBOOKS[0]}.ipynb: Using cached notebook" in output
    assert "Executed notebook" not in output


def test_a_failing_cell_fails_the_build(built_book: BuiltBook, tmp_path: Path) -> None:
    import nbformat

    root = copy_of_built(built_book, tmp_path)
    notebook_file = root / "book" / "hands-on" / f"{NOTEBOOKS[-1]}.ipynb"
    notebook = nbformat.read(notebook_file, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell('raise RuntimeError("실패하는 셀")'))
    nbformat.write(notebook, notebook_file)
    result = build(root)
    assert result.returncode != 0
    assert "RuntimeError" in result.stdout + result.stderr


@pytest.mark.parametrize("target", ["book", "serve"])
def test_make_hands_on_0_reaches_the_converter(target: str) -> None:
    """`make book HANDS_ON=0` (and `make serve`) pass the switch on; `make -n` only prints the commands."""
    shown = subprocess.run(["make", "-n", target, "HANDS_ON=0"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    commands = [line for line in shown.stdout.splitlines() if "scripts/" in line]
    assert any("--no-hands-on" in line for line in commands), shown.stdout
    default = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "--no-hands-on" not in default.stdout
