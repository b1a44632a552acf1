"""The README's instructions work when copied: the "Adding a post" example converts as written."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from conftest import ROOT, Project, make_project

README = (ROOT / "README.md").read_text(encoding="utf-8")


def example_post() -> str:
    section = README[README.index("## Adding a post") :]
    found = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert found, "the Adding a post section lost its example"
    return "\n".join(line.removeprefix("   ") for line in found.group(1).splitlines()) + "\n"


def test_the_adding_a_post_example_publishes_as_written(tmp_path: Path) -> None:
    front = example_post()
    meta = yaml.safe_load(front.strip().strip("-"))
    project: Project = make_project(tmp_path / "p", with_posts=True)
    used = {yaml.safe_load(p.read_text(encoding="utf-8").split("---")[1])["id"] for p in (ROOT / "posts").glob("*.md")}
    assert meta["id"] not in used, "the example's id is taken by a real post"
    assert "draft" not in meta, "the example must publish"
    assert (ROOT / "static" / "image" / meta["thumbnail"]).is_file()
    project.post("k8s-service.md", front + "\n서비스는 파드 묶음에 이름을 붙입니다.\n")
    result = project.convert()
    assert result.returncode == 0, result.stderr
    page = (project.root / "book" / "posts" / "k8s-service.md").read_text(encoding="utf-8")
    assert "# 쿠버네티스 서비스" in page and "2025년 6월 3일" in page
    assert "book/posts/k8s-service" in (project.root / "_toc.yml").read_text(encoding="utf-8")


def test_make_book_is_quiet_and_says_where_the_book_is() -> None:
    """A newcomer's `make book`: Sphinx's status lines off (warnings still shown), then where the
    HTML is and how to read it; the notebooks' kernel logs only errors."""
    import subprocess

    shown = subprocess.run(["make", "-n", "book"], cwd=ROOT, capture_output=True, text=True, timeout=60).stdout
    build = next(line for line in shown.splitlines() if "jupyter-book build" in line)
    assert " -q" in build and "-W" in build
    assert "The book is at" in shown and "make serve" in shown
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert 'c.IPKernelApp.log_level = "ERROR"' in makefile
