#!/usr/bin/env python3
"""Benchmark the converter and the Jupyter Book build on N generated posts (`make bench`).

Why this shape:
- It works on a scratch copy of the project, so the repository's posts, pages and toc are never
  touched, and it removes the six real posts there, so only generated posts are counted.
- It runs the same commands a user runs (`python scripts/convert.py --no-hands-on`,
  `jupyter-book build .`) in subprocesses: start-up and import time are part of what a user
  waits for. The hands-on notebooks are left out of the toc (`--no-hands-on`) so the numbers
  measure posts, not notebook execution.
- Builds do not use -W: a benchmark measures; the tests police warnings. Warnings are counted.
- Jupyter Book 1's CLI has no `-j`; the parallel build uses `jupyter-book config sphinx .` and
  `python -m sphinx -j 2`, which is the documented way to reach Sphinx's own options.

Usage: python scripts/bench.py [--posts N] [--seed S] [--json FILE] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil
import yaml

from blogbook.converter.config import load_config
from blogbook.converter.writer import is_generated
from booktools.bench_posts import add_post, generate
from booktools.scratch_copy import COPY_IGNORE

ROOT = Path(__file__).resolve().parents[2]  # the checkout: tools run from the repository, never installed

POLL_SECONDS = 0.05
CONVERT_REPEATS = 3
TAIL_LINES = 40
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
UPDATING = re.compile(r"updating environment: (?:\[[^\]]*\] )?(\d+) added, (\d+) changed, (\d+) removed")
NOT_PARALLEL = re.compile(
    r"the (\S+) extension (?:does not declare if it is safe|is not safe) for parallel (reading|writing)"
)
EDIT = "\n벤치마크가 덧붙인 문단입니다({n}). 이미지를 다시 빌드하고 파드를 교체한 뒤 로그를 확인합니다.\n"


class StepFailed(Exception):
    """A command the benchmark depends on failed: the numbers after it would mean nothing."""

    def __init__(self, what: str, run: Run) -> None:
        super().__init__(f"{what} failed with exit code {run.returncode}")
        self.what = what
        self.run = run


# --- running commands and sampling memory -------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One command's wall time, CPU time, exit code, combined output (no ANSI colours) and peak RSS.

    CPU time (user + system, of the command and the children it waited for) is reported next to
    wall time because the machine may be shared: other work inflates wall time far more than CPU.
    """

    command: tuple[str, ...]
    seconds: float
    cpu_seconds: float
    returncode: int
    output: str
    peak_rss_mb: float

    def check(self, what: str) -> Run:
        if self.returncode != 0:
            raise StepFailed(what, self)
        return self


def tree_rss(pid: int) -> int:
    """Summed RSS of a process and all its descendants (0 once they have gone)."""
    try:
        parent = psutil.Process(pid)
        members = [parent, *parent.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return int(total)


class PeakRss(threading.Thread):
    """Samples the summed RSS of a process tree every 50 ms until stopped; keeps the maximum.

    A thread rather than a loop around `poll()`, so the wall time is read the moment the
    command ends, not up to 50 ms later.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while True:
            self.peak = max(self.peak, tree_rss(self.pid))
            if self._stop_event.wait(POLL_SECONDS):
                return

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        return self.peak


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run a command with output to a file (no pipe to drain while sampling), timing it."""
    with tempfile.TemporaryFile() as log:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, env=env)
        sampler = PeakRss(process.pid)
        sampler.start()
        returncode = process.wait()
        seconds = time.perf_counter() - start
        peak = sampler.stop()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)
        log.seek(0)
        output = ANSI.sub("", log.read().decode("utf-8", "replace"))
    return Run(tuple(command), seconds, cpu, returncode, output, peak / 2**20)


# --- what changed on disk -----------------------------------------------------------------------


def mtimes(folder: Path, skip: Iterable[str] = ()) -> dict[str, int]:
    """Modification time (ns) of every file below `folder`, skipping the named top-level entries."""
    skipped = set(skip)
    found: dict[str, int] = {}
    if not folder.is_dir():
        return found
    for entry in folder.iterdir():
        if entry.name in skipped:
            continue
        files = [entry] if entry.is_file() else [p for p in entry.rglob("*") if p.is_file()]
        for file in files:
            found[file.relative_to(folder).as_posix()] = file.stat().st_mtime_ns
    return found


def changed_names(before: dict[str, int], after: dict[str, int], suffix: str = "") -> list[str]:
    """Files created, rewritten (new mtime) or deleted between two snapshots."""
    names = {n for n in before.keys() | after.keys() if n.endswith(suffix)}
    return sorted(n for n in names if before.get(n) != after.get(n))


def changed(before: dict[str, int], after: dict[str, int], suffix: str = "") -> int:
    return len(changed_names(before, after, suffix))


def sample(names: list[str], limit: int = 8) -> str:
    """A few names for the report, so "3 files touched" can be checked at a glance."""
    return ", ".join(names[:limit]) + (f", ... ({len(names) - limit} more)" if len(names) > limit else "")


def docs_read(output: str) -> int:
    """Documents Sphinx (re)read, from its `updating environment: N added, M changed` line."""
    match = UPDATING.search(output)
    return int(match.group(1)) + int(match.group(2)) if match else 0


def warnings_in(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if "WARNING:" in line or "ERROR:" in line]


# --- the scratch project ------------------------------------------------------------------------


@dataclass(frozen=True)
class Project:
    """The scratch copy and the commands a user would type in it."""

    root: Path
    posts_dir: Path
    pages_dir: Path

    @property
    def jupyter_book(self) -> str:
        """The jupyter-book next to this Python, so the venv's versions are measured."""
        return str(Path(sys.executable).parent / "jupyter-book")

    @property
    def html(self) -> Path:
        return self.root / "_build" / "html"

    def convert(self) -> Run:
        return run([sys.executable, "scripts/convert.py", "--no-hands-on"], self.root)

    def build(self) -> Run:
        return run([self.jupyter_book, "build", "."], self.root)

    def post(self, index: int) -> Path:
        return self.root / self.posts_dir / f"bench-{index:05d}.md"


def make_project(root: Path) -> Project:
    """Copy the repository, then remove the real posts and their pages and re-run the converter.

    The converter run leaves a consistent toc and landing page with no posts, and warms the file
    cache (and writes the converter's bytecode unless PYTHONDONTWRITEBYTECODE is set), so the
    timed first run is not charged for those one-off costs.
    """
    shutil.copytree(ROOT, root, ignore=COPY_IGNORE)
    config = load_config(root / "_config.yml")
    project = Project(root, config.posts_dir, config.pages_dir)
    for post in (root / project.posts_dir).glob("*.md"):
        post.unlink()
    for page in (root / project.pages_dir).glob("*.md"):
        if is_generated(page):
            page.unlink()
    project.convert().check("converting the project without its real posts")
    return project


def edit_post(path: Path, n: int) -> None:
    """Change one post's body only (a paragraph at the end): no title, heading or link changes."""
    path.write_text(path.read_text(encoding="utf-8") + EDIT.format(n=n), encoding="utf-8", newline="\n")


# --- results ------------------------------------------------------------------------------------


@dataclass
class Results:
    """Every number the benchmark reports; written as one flat JSON object."""

    posts: int
    seed: int
    cores: int
    hands_on: bool = False
    generate_s: float = 0.0
    convert_full_s: float = 0.0
    convert_full_cpu_s: float = 0.0
    convert_full_files_written: int = 0
    convert_noop_s: float = 0.0
    convert_noop_cpu_s: float = 0.0
    convert_noop_files_written: int = 0
    convert_noop_reported: str = ""
    convert_edit_s: float = 0.0
    convert_edit_cpu_s: float = 0.0
    convert_edit_files_written: int = 0
    build_full_s: float = 0.0
    build_full_cpu_s: float = 0.0
    build_full_docs_read: int = 0
    build_full_pages_written: int = 0
    build_full_warnings: int = 0
    build_noop_s: float = 0.0
    build_noop_cpu_s: float = 0.0
    build_noop_docs_read: int = 0
    build_noop_pages_written: int = 0
    build_noop_files_touched: int = 0
    build_noop_touched: str = ""
    build_edit_s: float = 0.0
    build_edit_cpu_s: float = 0.0
    build_edit_convert_s: float = 0.0
    build_edit_jb_s: float = 0.0
    build_edit_docs_read: int = 0
    build_edit_pages_written: int = 0
    build_edit_rewritten: str = ""
    build_add_s: float = 0.0
    build_add_cpu_s: float = 0.0
    build_add_convert_s: float = 0.0
    build_add_jb_s: float = 0.0
    build_add_docs_read: int = 0
    build_add_pages_written: int = 0
    build_add_rewritten: str = ""
    build_add_pages_linking_new: int = 0
    build_full_pages_linking_last: int = 0
    build_add_nav_stale: bool = False
    build_parallel_s: float = 0.0
    build_parallel_cpu_s: float = 0.0
    build_parallel_warnings: int = 0
    build_sphinx_serial_s: float = 0.0
    build_sphinx_serial_cpu_s: float = 0.0
    parallel_read: bool = False
    parallel_write: bool = False
    parallel_blockers: str = ""
    parallel_pythonpath: str = ""
    parallel_same_pages: bool = False
    parallel_identical_pages: int = 0
    peak_rss_convert_mb: float = 0.0
    peak_rss_build_mb: float = 0.0
    peak_rss_parallel_mb: float = 0.0
    search_bytes: int = 0
    page_bytes: int = 0
    index_page_bytes: int = 0
    html_bytes: int = 0
    html_files: int = 0
    source_commit: str = ""
    source_changed_files: int = 0
    load_average_start: float = 0.0
    load_average_end: float = 0.0
    warnings_sample: list[str] = field(default_factory=list)

    def ratio(self, name: str) -> float:
        """One of RATIOS, from the measured times (never stored, so never stale)."""
        part, *whole = RATIOS[name]
        return _ratio(getattr(self, part), sum(getattr(self, key) for key in whole))

    def as_json(self) -> dict[str, Any]:
        """Flat: numbers, booleans and strings only (the warning sample is joined)."""
        data = asdict(self) | {name: self.ratio(name) for name in RATIOS}
        data["warnings_sample"] = " | ".join(self.warnings_sample)
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in data.items()}


_WALL_RATIOS = {
    "convert_noop_ratio": ("convert_noop_s", "convert_full_s"),
    "convert_edit_ratio": ("convert_edit_s", "convert_full_s"),
    "build_noop_ratio": ("build_noop_s", "build_full_s"),
    "build_edit_ratio": ("build_edit_s", "build_full_s"),
    "build_add_ratio": ("build_add_s", "build_full_s"),
    "converter_share": ("convert_full_s", "convert_full_s", "build_full_s"),
}
RATIOS: dict[str, tuple[str, ...]] = {
    **_WALL_RATIOS,
    **{f"{name}_cpu": tuple(key.replace("_s", "_cpu_s") for key in keys) for name, keys in _WALL_RATIOS.items()},
    "parallel_speedup": ("build_full_s", "build_parallel_s"),
}
"""Each ratio in the report and the JSON: (part, *terms of the whole)."""
RATIO_ROWS = [
    ("convert no-op / full", "convert_noop_ratio", ""),
    ("convert one edit / full", "convert_edit_ratio", ""),
    ("build no-op / full", "build_noop_ratio", ""),
    ("build one edit / full", "build_edit_ratio", "   (convert + build)"),
    ("build one added / full", "build_add_ratio", "   (convert + build)"),
    ("converter share", "converter_share", "   convert_full / (convert_full + build_full)"),
]


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


# --- phases -------------------------------------------------------------------------------------


def converter_outputs(project: Project) -> dict[str, int]:
    """Modification times of everything the converter could write (all but the posts and _build)."""
    return mtimes(project.root, skip={project.posts_dir.parts[0], "_build"})


@dataclass(frozen=True)
class Repeated:
    """Median wall and CPU time of a few runs, the most files any run wrote, and the last run."""

    seconds: float
    cpu_seconds: float
    written: int
    last: Run


def repeated_convert(project: Project, what: str, prepare: Callable[[int], None]) -> Repeated:
    """A few converter runs: they take a fraction of a second, so one alone is noisy."""
    runs, written = [], 0
    for n in range(CONVERT_REPEATS):
        prepare(n)
        before = converter_outputs(project)
        runs.append(project.convert().check(f"convert ({what})"))
        written = max(written, changed(before, converter_outputs(project)))
    return Repeated(
        statistics.median(r.seconds for r in runs), statistics.median(r.cpu_seconds for r in runs), written, runs[-1]
    )


def convert_phases(project: Project, results: Results) -> None:
    """Full conversion (the first run), then no-op runs, then runs after editing one post's body."""
    before = converter_outputs(project)
    full = project.convert().check("convert (full)")
    results.convert_full_s, results.convert_full_cpu_s = full.seconds, full.cpu_seconds
    results.peak_rss_convert_mb = full.peak_rss_mb
    results.convert_full_files_written = changed(before, converter_outputs(project))

    noop = repeated_convert(project, "no-op", lambda n: None)
    results.convert_noop_s, results.convert_noop_cpu_s = noop.seconds, noop.cpu_seconds
    results.convert_noop_files_written = noop.written
    output = noop.last.output.strip()
    results.convert_noop_reported = output.splitlines()[-1] if output else ""

    edited = project.post(max(1, results.posts // 2))
    edit = repeated_convert(project, "one post edited", lambda n: edit_post(edited, n + 1))
    results.convert_edit_s, results.convert_edit_cpu_s = edit.seconds, edit.cpu_seconds
    results.convert_edit_files_written = edit.written


def full_build(project: Project, results: Results) -> None:
    """`jupyter-book build .` with no `_build` at all, then the sizes of what it wrote."""
    shutil.rmtree(project.root / "_build", ignore_errors=True)
    build = project.build().check("jupyter-book build (full)")
    results.build_full_s, results.build_full_cpu_s = build.seconds, build.cpu_seconds
    results.peak_rss_build_mb = build.peak_rss_mb
    results.build_full_docs_read = docs_read(build.output)
    results.build_full_pages_written = len([n for n in mtimes(project.html) if n.endswith(".html")])
    found = warnings_in(build.output)
    results.build_full_warnings, results.warnings_sample = len(found), found[:5]
    measure_sizes(project, results)
    results.build_full_pages_linking_last = pages_linking(project, results.posts)


def measure_sizes(project: Project, results: Results) -> None:
    """What a reader downloads: the search index, a post page, the whole site."""
    html = project.html
    pages = sorted((html / project.pages_dir).glob("bench-*.html"))
    files = [f for f in html.rglob("*") if f.is_file()]
    results.search_bytes = (html / "searchindex.js").stat().st_size
    results.page_bytes = int(statistics.median(p.stat().st_size for p in pages)) if pages else 0
    index = html / Path(load_config(project.root / "_config.yml").landing_page).with_suffix(".html")
    results.index_page_bytes = index.stat().st_size if index.is_file() else 0
    results.html_bytes = sum(f.stat().st_size for f in files)
    results.html_files = len(files)


def incremental_build(project: Project, prepare: Callable[[], None], what: str) -> tuple[Run, Run, list[str]]:
    """Change the posts, then convert and build as a user would; the HTML files rewritten."""
    before = mtimes(project.html)
    prepare()
    convert = project.convert().check(f"convert ({what})")
    build = project.build().check(f"jupyter-book build ({what})")
    return convert, build, changed_names(before, mtimes(project.html), suffix=".html")


def incremental_phases(project: Project, results: Results) -> None:
    """No-op build, one edited post, one added post."""
    before = mtimes(project.html)
    noop = project.build().check("jupyter-book build (no-op)")
    after = mtimes(project.html)
    results.build_noop_s, results.build_noop_cpu_s = noop.seconds, noop.cpu_seconds
    results.build_noop_docs_read = docs_read(noop.output)
    results.build_noop_pages_written = changed(before, after, suffix=".html")
    results.build_noop_files_touched = changed(before, after)
    results.build_noop_touched = sample(changed_names(before, after))

    convert, build, written = incremental_build(
        project, lambda: edit_post(project.post(max(1, results.posts // 3)), 2), "one post edited"
    )
    results.build_edit_convert_s, results.build_edit_jb_s = convert.seconds, build.seconds
    results.build_edit_s = convert.seconds + build.seconds
    results.build_edit_cpu_s = convert.cpu_seconds + build.cpu_seconds
    results.build_edit_docs_read, results.build_edit_pages_written = docs_read(build.output), len(written)
    results.build_edit_rewritten = sample(written)

    convert, build, written = incremental_build(project, lambda: _add(project, results), "one post added")
    results.build_add_convert_s, results.build_add_jb_s = convert.seconds, build.seconds
    results.build_add_s = convert.seconds + build.seconds
    results.build_add_cpu_s = convert.cpu_seconds + build.cpu_seconds
    results.build_add_docs_read, results.build_add_pages_written = docs_read(build.output), len(written)
    results.build_add_rewritten = sample(written)
    results.build_add_pages_linking_new = pages_linking(project, results.posts + 1)
    share_full = _ratio(results.build_full_pages_linking_last, results.posts - 1)
    results.build_add_nav_stale = _ratio(results.build_add_pages_linking_new, results.posts) < share_full - 0.01


def _add(project: Project, results: Results) -> None:
    add_post(project.root, results.posts + 1, results.seed)


def pages_linking(project: Project, index: int) -> int:
    """Other post pages whose HTML names post `index` (sidebar entries, previous/next links).

    Compared between the full build (newest post N) and the incremental build that adds post
    N+1: if a clean build puts the newest post in every page's sidebar but the incremental one
    does not, the pages Sphinx did not rewrite kept a stale navigation.
    """
    stem = project.post(index).stem
    pages = (project.html / project.pages_dir).glob("bench-*.html")
    return sum(1 for page in pages if page.stem != stem and f"{stem}.html" in page.read_text(encoding="utf-8"))


# --- the parallel build -------------------------------------------------------------------------


def local_extension_paths(project: Project) -> list[str]:
    """Folders named under `sphinx.local_extensions` in _config.yml, as absolute paths."""
    data = yaml.safe_load((project.root / "_config.yml").read_text(encoding="utf-8")) or {}
    folders = ((data.get("sphinx") or {}).get("local_extensions") or {}).values()
    return sorted({str((project.root / folder).resolve()) for folder in folders})


def sphinx_env(project: Project) -> dict[str, str]:
    """Environment for `python -m sphinx` with the generated conf.py.

    `jupyter-book config sphinx` lists `local_extensions` in `extensions` but does not put their
    folders on sys.path (jupyter-book issue #2210), so Sphinx cannot import `section_ids`. The
    folders go on PYTHONPATH instead of editing the generated conf.py.
    """
    paths = local_extension_paths(project)
    existing = os.environ.get("PYTHONPATH", "")
    return {**os.environ, "PYTHONPATH": os.pathsep.join([*paths, existing] if existing else paths)}


def sphinx_build(project: Project, jobs: int, out: str, env: dict[str, str]) -> Run:
    shutil.rmtree(project.root / out, ignore_errors=True)
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-j", str(jobs), ".", out]
    return run(command, project.root, env).check(f"sphinx-build -j {jobs}")


def parallel_phase(project: Project, results: Results) -> None:
    """`-j 2` and `-j 1` Sphinx builds from the generated conf.py, each into a clean folder.

    Runs right after the full build, on the same sources, so the pages can be compared. The
    conf.py is removed afterwards: Jupyter Book ignores it, but the user's project has none.
    """
    run([project.jupyter_book, "config", "sphinx", "."], project.root).check("jupyter-book config sphinx")
    env = sphinx_env(project)
    results.parallel_pythonpath = env["PYTHONPATH"].replace(str(project.root), ".")
    try:
        parallel = sphinx_build(project, 2, "_build/html-parallel", env)
        serial = sphinx_build(project, 1, "_build/html-serial", env)
    finally:
        (project.root / "conf.py").unlink(missing_ok=True)
    results.build_parallel_s, results.build_parallel_cpu_s = parallel.seconds, parallel.cpu_seconds
    results.peak_rss_parallel_mb = parallel.peak_rss_mb
    results.build_sphinx_serial_s, results.build_sphinx_serial_cpu_s = serial.seconds, serial.cpu_seconds
    results.build_parallel_warnings = len(warnings_in(parallel.output))
    blockers = sorted(set(NOT_PARALLEL.findall(parallel.output)))
    results.parallel_blockers = "; ".join(f"{ext} ({kind})" for ext, kind in blockers)
    results.parallel_read = "doing serial read" not in parallel.output
    results.parallel_write = "doing serial write" not in parallel.output
    compare_pages(project.html, project.root / "_build" / "html-parallel", results)


def compare_pages(serial: Path, parallel: Path, results: Results) -> None:
    """Same set of HTML pages, and how many are byte-for-byte identical."""
    ours = {p.relative_to(serial).as_posix() for p in serial.rglob("*.html")}
    theirs = {p.relative_to(parallel).as_posix() for p in parallel.rglob("*.html")}
    results.parallel_same_pages = ours == theirs
    results.parallel_identical_pages = sum(
        1 for name in ours & theirs if (serial / name).read_bytes() == (parallel / name).read_bytes()
    )


# --- report -------------------------------------------------------------------------------------


def _mb(value: float) -> str:
    return f"{value:,.0f} MB" if value else ""


def _size(value: float) -> str:
    for unit, scale in (("MB", 2**20), ("KB", 2**10)):
        if value >= scale:
            return f"{value / scale:,.1f} {unit}"
    return f"{value:,.0f} B"


@dataclass(frozen=True)
class Row:
    """One line of the phase table."""

    phase: str
    seconds: float
    cpu: float
    full: float
    rss_mb: float
    note: str

    def __str__(self) -> str:
        ratio = _ratio(self.seconds, self.full)
        return f"{self.phase:<44}{self.seconds:>9.2f}{self.cpu:>9.2f}{ratio:>8.2f}{_mb(self.rss_mb):>10}  {self.note}"


def phase_rows(r: Results) -> list[Row]:
    """Times, × the matching full run, peak memory, and what each step actually did."""
    cf, bf, n = r.convert_full_s, r.build_full_s, CONVERT_REPEATS
    modes = f"read {'parallel' if r.parallel_read else 'serial'}, write {'parallel' if r.parallel_write else 'serial'}"
    return [
        Row("convert  full (first run)", cf, r.convert_full_cpu_s, cf, r.peak_rss_convert_mb,
            f"{r.convert_full_files_written} files written"),
        Row(f"convert  no-op (median of {n})", r.convert_noop_s, r.convert_noop_cpu_s, cf, 0.0,
            f"{r.convert_noop_files_written} files written (mtimes); it says '{r.convert_noop_reported}'"),
        Row(f"convert  one post edited (median of {n})", r.convert_edit_s, r.convert_edit_cpu_s, cf, 0.0,
            f"{r.convert_edit_files_written} file(s) written per run"),
        Row("build    full (clean _build)", bf, r.build_full_cpu_s, bf, r.peak_rss_build_mb,
            f"{r.build_full_docs_read} docs read, {r.build_full_pages_written} HTML files, "
            f"{r.build_full_warnings} warnings"),
        Row("build    no-op", r.build_noop_s, r.build_noop_cpu_s, bf, 0.0,
            f"{r.build_noop_docs_read} docs read, {r.build_noop_pages_written} HTML rewritten, "
            f"{r.build_noop_files_touched} files touched"),
        Row("build    one post edited (convert + build)", r.build_edit_s, r.build_edit_cpu_s, bf, 0.0,
            f"convert {r.build_edit_convert_s:.2f} s + build {r.build_edit_jb_s:.2f} s; "
            f"{r.build_edit_docs_read} docs read, {r.build_edit_pages_written} HTML rewritten"),
        Row("build    one post added (convert + build)", r.build_add_s, r.build_add_cpu_s, bf, 0.0,
            f"convert {r.build_add_convert_s:.2f} s + build {r.build_add_jb_s:.2f} s; "
            f"{r.build_add_docs_read} docs read, {r.build_add_pages_written} HTML rewritten"),
        Row("build    sphinx-build -j 2 (clean)", r.build_parallel_s, r.build_parallel_cpu_s, bf,
            r.peak_rss_parallel_mb, modes),
        Row("build    sphinx-build -j 1 (clean)", r.build_sphinx_serial_s, r.build_sphinx_serial_cpu_s, bf, 0.0,
            "same conf.py, without the jupyter-book CLI"),
    ]  # fmt: skip


def report(r: Results) -> str:
    """The table people read, then ratios, sizes and what the parallel build ran into."""
    lines = [
        f"Benchmark: {r.posts} generated posts (seed {r.seed}) on {r.cores} cores (os.cpu_count())",
        "Converter run with --no-hands-on: the hands-on notebook part is left out, so this measures posts only.",
        "Builds run without -W (warnings counted, not fatal). Peak RSS: summed over the process tree, "
        f"sampled every {POLL_SECONDS * 1000:.0f} ms (psutil).",
        f"1-minute load average: {r.load_average_start:.2f} at the start, {r.load_average_end:.2f} at the end; "
        f"project copied from commit {r.source_commit or '?'} with {r.source_changed_files} changed/untracked files.",
        "",
        f"{'phase':<44}{'wall s':>9}{'CPU s':>9}{'x full':>8}{'peak RSS':>10}  notes",
        *(str(row) for row in phase_rows(r)),
    ]
    lines += [
        "",
        f"{'ratios':<30}{'wall':>7}{'CPU':>8}",
        *(
            f"  {label:<26}{r.ratio(name):>9.3f}{r.ratio(name + '_cpu'):>8.3f}{note}"
            for label, name, note in RATIO_ROWS
        ),
        f"  {'parallel speedup':<26}{r.ratio('parallel_speedup'):>8.2f}x{'':>8}   "
        "build_full / build_parallel (-j 2); "
        f"-j 2 used {_ratio(r.build_parallel_cpu_s, r.build_parallel_s):.2f} cores on average",
        "",
        "sizes (full build)",
        f"  searchindex.js              {_size(r.search_bytes)} ({r.search_bytes:,} bytes)",
        f"  post page, median           {_size(r.page_bytes)} ({r.page_bytes:,} bytes)",
        f"  landing page                {_size(r.index_page_bytes)} ({r.index_page_bytes:,} bytes)",
        f"  _build/html total           {_size(r.html_bytes)} in {r.html_files:,} files",
        "",
        "parallel build (jupyter-book config sphinx . ; python -m sphinx -b html -j 2 . _build/html-parallel)",
        f"  PYTHONPATH                  {r.parallel_pythonpath}  (conf.py lacks local_extensions paths)",
        f"  blocked by                  {r.parallel_blockers or 'nothing'}",
        f"  same pages as jupyter-book  {r.parallel_same_pages}; {r.parallel_identical_pages} of "
        f"{r.build_full_pages_written} byte-identical",
        f"  warnings                    {r.build_parallel_warnings} (jupyter-book full build: {r.build_full_warnings})",
        "",
        "what the incremental builds rewrote",
        f"  no-op: files touched        {r.build_noop_touched or 'none'}",
        f"  one edit: HTML rewritten    {r.build_edit_rewritten or 'none'}",
        f"  one added: HTML rewritten   {r.build_add_rewritten or 'none'}",
        f"  other post pages naming the newest post: {r.build_full_pages_linking_last} of {r.posts - 1} after the "
        f"full build, {r.build_add_pages_linking_new} of {r.posts} after the incremental add"
        f"{' -> stale navigation in pages not rewritten' if r.build_add_nav_stale else ' (consistent)'}",
    ]
    lines += [f"  warning: {w}" for w in r.warnings_sample]
    return "\n".join(lines)


# --- main ---------------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Benchmark convert + jupyter-book build on generated posts.")
    parser.add_argument("--posts", type=int, default=500, help="how many generated posts (default 500)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--json", type=Path, help="write the results to FILE as one flat JSON object")
    parser.add_argument("--keep", type=Path, help="build the scratch project in DIR (must not exist) and keep it")
    return parser


def scratch_root(keep: Path | None) -> Path:
    """Where the scratch project goes: a new temp folder, or DIR for --keep (never inside the repo)."""
    if keep is None:
        return Path(tempfile.mkdtemp(prefix="blogbook-bench-")) / "project"
    target = keep.resolve()
    if target.is_relative_to(ROOT):
        raise ValueError(f"--keep {keep}: must be outside the repository")
    if target.exists():
        raise ValueError(f"--keep {keep}: already exists")
    return target


def source_state() -> tuple[str, int]:
    """The repository's commit and how many files differ from it: what exactly was measured."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], check=False, cwd=ROOT, capture_output=True, text=True).stdout

    try:
        head, status = git("rev-parse", "--short", "HEAD"), git("status", "--porcelain")
    except OSError:
        return "", 0
    return head.strip(), len(status.splitlines())


def measure(root: Path, posts: int, seed: int) -> Results:
    """Every phase, in an order where each one starts from the state the previous one left."""
    results = Results(posts=posts, seed=seed, cores=os.cpu_count() or 1, load_average_start=os.getloadavg()[0])
    results.source_commit, results.source_changed_files = source_state()
    project = make_project(root)
    start = time.perf_counter()
    generate(root, posts, seed)
    results.generate_s = time.perf_counter() - start
    convert_phases(project, results)
    full_build(project, results)
    parallel_phase(project, results)
    incremental_phases(project, results)
    results.load_average_end = os.getloadavg()[0]
    return results


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.posts < 2:
        print("--posts must be at least 2", file=sys.stderr)
        return 2
    try:
        root = scratch_root(args.keep)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"scratch project: {root}", flush=True)
    try:
        results = measure(root, args.posts, args.seed)
    except StepFailed as failure:
        tail = "\n".join(failure.run.output.splitlines()[-TAIL_LINES:])
        print(f"{failure}\n$ {' '.join(failure.run.command)}\n{tail}", file=sys.stderr)
        return 1
    finally:
        if args.keep is None:
            shutil.rmtree(root.parent, ignore_errors=True)
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results.as_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"\nJSON: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
