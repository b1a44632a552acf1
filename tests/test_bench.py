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

from booktools.bench.measures import (
    BuildResults,
    BuildStep,
    ConvertResults,
    ConvertStep,
    IncrementalResult,
    Navigation,
    ParallelResult,
    Results,
    Sizes,
    Timing,
)
from booktools.bench.posts import IMAGE_NAMES, add_post, generate, particle, render_posts
from booktools.bench.report import as_json, report

from conftest import ROOT, make_project

KEYS = [
    "posts",
    "cores",
    "convert.full.timing.seconds",
    "convert.noop.timing.seconds",
    "convert.edit.timing.seconds",
    "build.full.timing.seconds",
    "build.noop.timing.seconds",
    "edit.timing.seconds",
    "add.timing.seconds",
    "parallel.jobs_2.seconds",
    "convert.full.timing.peak_rss_mb",
    "build.full.timing.peak_rss_mb",
    "sizes.search_bytes",
    "sizes.page_bytes",
    "sizes.html_bytes",
    "convert.noop.files_written",
    "ratios.build_edit_ratio.wall",
    "ratios.parallel_speedup.wall",
]


def leaves(data: object, path: str = "") -> dict[str, object]:
    """Every value of nested JSON objects by its dotted path, lists kept whole."""
    if not isinstance(data, dict):
        return {path.removesuffix("."): data}
    return {key: value for name, item in data.items() for key, value in leaves(item, f"{path}{name}.").items()}


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


def test_a_thousand_posts_carry_about_a_hundred_tags_and_series_of_ten() -> None:
    tags: set[str] = set()
    series: dict[str, list[int]] = {}
    for _, text in render_posts(1000, 0):
        post = frontmatter.loads(text)
        tags.update(str(tag) for tag in post.get("tags") or [])
        if post.get("series"):
            series.setdefault(post["series"], []).append(post["series_order"])
    assert 90 <= len(tags) <= 110
    assert len(series) >= 10
    assert all(sorted(orders) == list(range(1, len(orders) + 1)) for orders in series.values())


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
        [
            sys.executable,
            "-W",
            "error::RuntimeWarning",
            "-m",
            "booktools.bench.posts",
            "--posts",
            "3",
            "--out",
            str(tmp_path),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "posts").iterdir()) == [f"bench-0000{i}.md" for i in (1, 2, 3)]


def made_up_results() -> Results:
    """Round numbers, so the ratios the report derives can be checked by hand."""

    def timing(seconds: float) -> Timing:
        return Timing(seconds, seconds / 2, 100.0)

    def incremental(seconds: float) -> IncrementalResult:
        return IncrementalResult(timing(seconds), seconds / 4, seconds * 3 / 4, 1, 3, "a.html, b.html")

    return Results(
        posts=20,
        seed=0,
        cores=3,
        hands_on=False,
        generate_seconds=0.1,
        source_commit="abc1234",
        source_changed_files=0,
        load_average_start=0.5,
        load_average_end=0.7,
        convert=ConvertResults(
            ConvertStep(timing(1.0), 23), ConvertStep(timing(0.25), 0), ConvertStep(timing(0.5), 2), "0 written"
        ),
        build=BuildResults(
            BuildStep(timing(4.0), 21, 28), BuildStep(timing(1.0), 0, 0), 1, ("WARNING: x",), 1, "a.css"
        ),
        edit=incremental(2.0),
        add=incremental(3.0),
        navigation=Navigation(2, 2, stale=False),
        sizes=Sizes(1000, 2000, 3000, 100_000, 50),
        parallel=ParallelResult(timing(2.5), timing(3.0), 0, True, True, (), True, 28),
    )


def test_report_derives_the_ratios_from_the_times() -> None:
    results = made_up_results()
    text = report(results)
    assert "on 3 cores" in text
    for row, value in (
        ("convert no-op / full", "0.250"),
        ("build one edit / full", "0.500"),
        ("build one added / full", "0.750"),
        ("converter share", "0.200"),
    ):
        assert re.search(rf"{re.escape(row)}\s+{re.escape(value)}", text), row
    assert re.search(r"parallel speedup\s+1\.60x", text)
    data = as_json(results)
    assert json.loads(json.dumps(data)) == data, "plain JSON"
    assert data["ratios"]["converter_share"] == {"wall": 0.2, "cpu": 0.2}
    assert data["edit"]["timing"]["seconds"] == 2.0 and "ratio" not in json.dumps(data["edit"]), "derived, not stored"


def _repository_content() -> dict[str, bytes]:
    files = [*(ROOT / "posts").glob("*.md"), *(ROOT / "book").rglob("*.md"), ROOT / "_toc.yml"]
    return {path.relative_to(ROOT).as_posix(): path.read_bytes() for path in files}


@pytest.mark.build
def test_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    before = _repository_content()
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench.py"), "--posts", "4", "--json", str(out)],
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
    data = leaves(json.loads(out.read_text(encoding="utf-8")))
    assert all(key in data for key in KEYS), set(KEYS) - set(data)
    assert all(
        isinstance(value, (int, float, str, bool)) or all(isinstance(item, str) for item in value)
        for value in data.values()
    ), "numbers, booleans and strings (and lists of strings) only"
    assert data["posts"] == 4 and data["cores"] >= 1
    for key in KEYS:
        if key.endswith("seconds"):
            assert 0 < data[key] < 300, key
    rss_convert, rss_build = data["convert.full.timing.peak_rss_mb"], data["build.full.timing.peak_rss_mb"]
    assert rss_convert > 10 and rss_build > rss_convert
    assert 0 < data["sizes.page_bytes"] < data["sizes.html_bytes"]
    assert 0 < data["sizes.search_bytes"] < data["sizes.html_bytes"]
    assert data["convert.noop.files_written"] == 0
    # 4 posts, the landing page, and the browse pages: archive, tag/series/category indexes and
    # one page per tag, series and category the generated posts carry.
    assert data["build.full.docs_read"] >= 5 + 4, "4 posts, the landing page and the browse pages"
    assert data["parallel.same_pages"] is True
    full = data["build.full.timing.seconds"]
    assert data["ratios.build_edit_ratio.wall"] == pytest.approx(data["edit.timing.seconds"] / full, abs=1e-3)


def test_the_preview_benchmark_places_the_reload_on_the_saves_clock() -> None:
    """The browser reports its reload in ms since the epoch (timeOrigin) and since the request;
    the benchmark turns both into seconds after the write, and reports the medians."""
    from booktools.bench.preview import breakdown, timing

    saved_at = 1_000.0
    first = timing(saved_at, 0.40, {"origin": 1_000_150.0, "response": 20.0, "paint": 120.0})
    assert (first.requested, first.answered, first.painted, first.seen) == pytest.approx((0.15, 0.17, 0.27, 0.40))
    second = timing(saved_at, 0.50, {"origin": 1_000_250.0, "response": 10.0, "paint": None})
    assert second.painted is None
    third = timing(saved_at, 0.30, {"origin": 1_000_100.0, "response": 30.0, "paint": 100.0})
    line = breakdown([first, second, third])
    assert "answered 0.170 s" in line and "first painted at 0.235 s" in line and "Playwright at 0.400 s" in line
