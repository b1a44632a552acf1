"""The benchmark's post generator and the benchmark itself, at a size that runs in seconds."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import frontmatter
import pytest

from booktools.bench_posts import IMAGE_NAMES, add_post, generate, particle

from conftest import ROOT, make_project

KEYS = [
    "posts",
    "cores",
    "convert_full_s",
    "convert_noop_s",
    "convert_edit_s",
    "build_full_s",
    "build_noop_s",
    "build_edit_s",
    "build_add_s",
    "build_parallel_s",
    "peak_rss_convert_mb",
    "peak_rss_build_mb",
    "search_bytes",
    "page_bytes",
    "html_bytes",
    "convert_noop_files_written",
]


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_byte_identical_files_and_another_seed_does_not(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate(first, 8, seed=3)
    generate(second, 8, seed=3)
    generate(other, 8, seed=4)
    assert files(first) == files(second)
    assert len([name for name in files(first) if name.startswith("posts/")]) == 8
    posts = {k: v for k, v in files(first).items() if k.startswith("posts/")}
    assert all(files(other)[name] != text for name, text in posts.items())


def test_a_post_does_not_depend_on_how_many_are_generated(tmp_path: Path) -> None:
    generate(tmp_path / "few", 3, seed=1)
    generate(tmp_path / "many", 6, seed=1)
    add_post(tmp_path / "added", 3, seed=1)
    few = tmp_path / "few" / "posts" / "bench-00003.md"
    assert few.read_bytes() == (tmp_path / "many" / "posts" / "bench-00003.md").read_bytes()
    assert few.read_bytes() == (tmp_path / "added" / "posts" / "bench-00003.md").read_bytes()


def test_particles_follow_the_final_sound() -> None:
    assert particle("도커", "obj") == "도커를"
    assert particle("설정", "obj") == "설정을"
    assert particle("파일", "instr") == "파일로"
    assert particle("ConfigMap", "topic") == "ConfigMap은"
    assert particle("읽기 전용 Docker", "subj") == "읽기 전용 Docker가"


def test_posts_have_the_shape_of_the_real_ones(tmp_path: Path) -> None:
    paths = generate(tmp_path, 40, seed=0)
    ids, categories, date_styles = set(), set(), set()
    for path in paths:
        text = path.read_text(encoding="utf-8")
        post = frontmatter.loads(text)
        ids.add(post["id"])
        categories.add(re.match(r"\[(.+?)\] ", post["title"]).group(1))
        date_styles.add(re.search(r"^date: (.*)$", text, re.MULTILINE).group(1)[:1].isdigit())
        assert post["subtitle"] and post["thumbnail"] in IMAGE_NAMES
        body = re.sub(r"```.*?```", "", post.content, flags=re.DOTALL)
        assert "\n#\n" in post.content, "lone # spacer lines"
        assert 2 <= len(re.findall(r"^#{1,3} \S", body, re.MULTILINE)) <= 4
        assert 1 <= post.content.count("<img ") <= 3
        assert 1 <= post.content.count("```") // 2 <= 3
        code = "".join(re.findall(r"^```\w+\n(.*?)^```", post.content, flags=re.DOTALL | re.MULTILINE))
        assert re.search(r"^# ", code, re.MULTILINE), "code with # comment lines"
        prose = [line for line in body.splitlines() if line.strip() and not line.lstrip().startswith(("<", "#"))]
        assert 950 <= sum(len(line.split()) for line in prose) <= 1250
    assert len(ids) == 40
    assert len(categories) >= 3
    assert date_styles == {True, False}, "quoted and unquoted dates"
    assert any("](./bench-" in p.read_text(encoding="utf-8") for p in paths)
    assert any(re.search(r"\]\(bench-\d+\.md#", p.read_text(encoding="utf-8")) for p in paths)
    assert {p.name for p in (tmp_path / "static" / "image").iterdir()} == set(IMAGE_NAMES)


def test_generated_posts_convert_without_error(tmp_path: Path) -> None:
    project = make_project(tmp_path / "book-project")
    generate(project.root, 30, seed=5)
    result = project.convert("--no-hands-on")
    assert result.returncode == 0, result.stderr
    pages = sorted((project.root / "book" / "posts").glob("bench-*.md"))
    assert len(pages) == 30
    again = project.convert("--no-hands-on")
    assert again.returncode == 0 and "0 written" in again.stdout


def test_cli_writes_posts(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "booktools.bench_posts", "--posts", "3", "--out", str(tmp_path)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "posts").iterdir()) == [f"bench-0000{i}.md" for i in (1, 2, 3)]


@pytest.mark.build
def _repository_content() -> dict[str, bytes]:
    files = [*(ROOT / "posts").glob("*.md"), *(ROOT / "book").rglob("*.md"), ROOT / "_toc.yml"]
    return {path.relative_to(ROOT).as_posix(): path.read_bytes() for path in files}


def test_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    before = _repository_content()
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench.py"), "--posts", "20", "--json", str(out)],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert _repository_content() == before, "the benchmark works in a scratch copy, never in the repository"
    assert f"on {os.cpu_count()} cores" in result.stdout
    for row in ("convert no-op / full", "build one edit / full", "build one added / full", "converter share"):
        assert re.search(rf"{re.escape(row)}\s+\d\.\d{{3}}", result.stdout), row
    data = json.loads(out.read_text(encoding="utf-8"))
    assert all(key in data for key in KEYS), set(KEYS) - set(data)
    assert all(isinstance(value, (int, float, str, bool)) for value in data.values()), "flat"
    assert data["posts"] == 20 and data["cores"] >= 1
    for key in KEYS:
        if key.endswith("_s"):
            assert 0 < data[key] < 300, key
    assert data["peak_rss_convert_mb"] > 10 and data["peak_rss_build_mb"] > data["peak_rss_convert_mb"]
    assert 0 < data["page_bytes"] < data["html_bytes"] and 0 < data["search_bytes"] < data["html_bytes"]
    assert data["convert_noop_files_written"] == 0
    assert data["build_full_docs_read"] == 21, "20 posts and the landing page"
    assert data["parallel_same_pages"] is True
