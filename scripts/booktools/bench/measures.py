"""The benchmark's phases, each returning a small frozen record of what it measured.

Why this shape:
- Each phase returns its own record (`ConvertResults`, `BuildStep`, `IncrementalResult`, ...)
  and `measure` assembles them into `Results` once everything has run, so no phase can read a
  number another phase has not measured yet, and nothing is filled in twice.
- Ratios (`RATIOS`) are derived from the stored times when they are reported, never stored,
  so they cannot go stale or disagree with the times they come from.
- Jupyter Book 1's CLI has no `-j`; the parallel build uses `jupyter-book config sphinx .` and
  `python -m sphinx -j 2`, which is the documented way to reach Sphinx's own options. The
  book's extensions are the installed `blogbook.ext` package, so the generated conf.py imports
  them with the environment as it is.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from blogbook.converter.config import load_config
from booktools.bench.posts import add_post, generate
from booktools.bench.runner import ROOT, Project, Run, changed, changed_names, make_project, mtimes, run, sample
from booktools.bench.search import SearchCost, measure_search

CONVERT_REPEATS = 3
UPDATING = re.compile(r"updating environment: (?:\[[^\]]*\] )?(\d+) added, (\d+) changed, (\d+) removed")
NOT_PARALLEL = re.compile(
    r"the (\S+) extension (?:does not declare if it is safe|is not safe) for parallel (reading|writing)"
)
EDIT = "\n벤치마크가 덧붙인 문단입니다({n}). 이미지를 다시 빌드하고 파드를 교체한 뒤 로그를 확인합니다.\n"


def fraction(part: float, whole: float) -> float:
    """`part / whole`, or 0 when there is no whole (a step that was not measured)."""
    return part / whole if whole else 0.0


# --- what the phases measure --------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """Wall time, CPU time and peak RSS (summed over the process tree) of one step.

    CPU time sits next to wall time because the machine may be shared: other work inflates wall
    time far more than CPU time.
    """

    seconds: float
    cpu_seconds: float
    peak_rss_mb: float

    @classmethod
    def of(cls, step: Run) -> Timing:
        return cls(step.seconds, step.cpu_seconds, step.peak_rss_mb)

    @classmethod
    def median(cls, runs: Sequence[Run]) -> Timing:
        """Median times of a few runs, and their highest peak RSS.

        The median because these steps take a fraction of a second and one run alone is noisy;
        the highest peak because that is the memory every run needs.
        """
        return cls(
            statistics.median(r.seconds for r in runs),
            statistics.median(r.cpu_seconds for r in runs),
            max(r.peak_rss_mb for r in runs),
        )

    def __add__(self, other: Timing) -> Timing:
        """Two steps run one after the other: the times add up, the memory does not."""
        return Timing(
            self.seconds + other.seconds,
            self.cpu_seconds + other.cpu_seconds,
            max(self.peak_rss_mb, other.peak_rss_mb),
        )


@dataclass(frozen=True)
class ConvertStep:
    """Converter runs of one kind, and the most files any of them wrote (by mtime)."""

    timing: Timing
    files_written: int


@dataclass(frozen=True)
class ConvertResults:
    """The converter's first run, its no-op runs, and its runs after one post's body changed."""

    full: ConvertStep
    noop: ConvertStep
    edit: ConvertStep
    noop_reported: str  # the converter's own summary line of its last no-op run


@dataclass(frozen=True)
class BuildStep:
    """One `jupyter-book build .` and how much work Sphinx did, so a cheap no-op is seen to be one."""

    timing: Timing
    docs_read: int
    pages_written: int  # HTML files written (full build) or rewritten (no-op build)


@dataclass(frozen=True)
class BuildResults:
    """The clean build, its warnings, and a build right after it with nothing changed."""

    full: BuildStep
    noop: BuildStep
    warnings: int  # of the full build
    warnings_sample: tuple[str, ...]
    noop_files_touched: int  # any file below _build/html, not only HTML
    noop_touched: str  # a sample of their names


@dataclass(frozen=True)
class IncrementalResult:
    """One change to the posts, then `convert` and `jupyter-book build .` as a user runs them.

    `timing` is the two together (what the user waits for); the split shows which one to work on.
    """

    timing: Timing
    convert_seconds: float
    build_seconds: float
    docs_read: int
    pages_written: int  # HTML files rewritten
    rewritten: str  # a sample of their names


@dataclass(frozen=True)
class Navigation:
    """Whether adding a post incrementally leaves other pages naming an outdated newest post.

    Other post pages naming the newest post (sidebar entries, previous/next links) after the full
    build (newest post N) and after the incremental build that added post N+1: if a clean build
    names the newest post in a larger share of pages than the incremental one, the pages Sphinx
    did not rewrite kept a stale navigation.
    """

    pages_linking_last: int  # after the full build, of `posts - 1` other pages
    pages_linking_added: int  # after the incremental add, of `posts` other pages
    stale: bool


@dataclass(frozen=True)
class Sizes:
    """What a reader downloads after the full build: the search index, a post page, the whole site."""

    search_bytes: int
    page_bytes: int  # median post page
    index_page_bytes: int  # the landing page, which grows with every post's card
    html_bytes: int
    html_files: int


@dataclass(frozen=True)
class ParallelResult:
    """`sphinx-build -j 2` and `-j 1` from the generated conf.py, and how the -j 2 pages compare.

    The `-j 1` build is the baseline without the jupyter-book CLI, so its start-up cost can be
    told apart from what `-j 2` saves.
    """

    jobs_2: Timing
    jobs_1: Timing
    warnings: int
    read: bool  # Sphinx read in parallel (no extension forced a serial read)
    write: bool
    blockers: tuple[str, ...]  # "extension (reading|writing)" that forced serial work
    same_pages: bool  # the same set of HTML pages as the jupyter-book build
    identical_pages: int  # how many of them are byte-for-byte identical


@dataclass(frozen=True)
class Results:
    """Every number the benchmark measured; ratios come from `ratio`, never from a field."""

    posts: int
    seed: int
    cores: int
    hands_on: bool  # always False: the converter runs with --no-hands-on
    generate_seconds: float
    source_commit: str
    source_changed_files: int
    load_average_start: float
    load_average_end: float
    convert: ConvertResults
    build: BuildResults
    edit: IncrementalResult
    add: IncrementalResult
    navigation: Navigation
    sizes: Sizes
    parallel: ParallelResult
    search: SearchCost | None = None
    """Bytes and keystroke time of a one-word search, both designs (None without Chromium)."""

    def ratio(self, name: str) -> Ratio:
        """One of `RATIOS`, from the measured times."""
        part, whole = RATIOS[name]
        return Ratio.of(part(self), whole(self))

    def ratios(self) -> dict[str, Ratio]:
        return {name: self.ratio(name) for name in RATIOS}


@dataclass(frozen=True)
class Ratio:
    """A step's time over another's, in wall and in CPU time."""

    wall: float
    cpu: float

    @classmethod
    def of(cls, part: Timing, whole: Timing) -> Ratio:
        return cls(fraction(part.seconds, whole.seconds), fraction(part.cpu_seconds, whole.cpu_seconds))


Pick = Callable[[Results], Timing]
RATIOS: dict[str, tuple[Pick, Pick]] = {
    "convert_noop_ratio": (lambda r: r.convert.noop.timing, lambda r: r.convert.full.timing),
    "convert_edit_ratio": (lambda r: r.convert.edit.timing, lambda r: r.convert.full.timing),
    "build_noop_ratio": (lambda r: r.build.noop.timing, lambda r: r.build.full.timing),
    "build_edit_ratio": (lambda r: r.edit.timing, lambda r: r.build.full.timing),
    "build_add_ratio": (lambda r: r.add.timing, lambda r: r.build.full.timing),
    "converter_share": (lambda r: r.convert.full.timing, lambda r: r.convert.full.timing + r.build.full.timing),
    "parallel_speedup": (lambda r: r.build.full.timing, lambda r: r.parallel.jobs_2),
}
"""Each ratio in the report and the JSON: (part, whole), both picked from the results."""


# --- the converter ------------------------------------------------------------------------------


def converter_outputs(project: Project) -> dict[str, int]:
    """Modification times of everything the converter could write (all but the posts and _build)."""
    return mtimes(project.root, skip={project.posts_dir.parts[0], "_build"})


def convert_runs(
    project: Project, what: str, prepare: Callable[[int], object], repeats: int = CONVERT_REPEATS
) -> tuple[ConvertStep, Run]:
    """`repeats` converter runs, each after `prepare(n)`; also the last run, for its output."""
    runs, written = [], 0
    for n in range(repeats):
        prepare(n)
        before = converter_outputs(project)
        runs.append(project.convert().check(f"convert ({what})"))
        written = max(written, changed(before, converter_outputs(project)))
    return ConvertStep(Timing.median(runs), written), runs[-1]


def edit_post(path: Path, n: int) -> None:
    """Change one post's body only (a paragraph at the end): no title, heading or link changes."""
    path.write_text(path.read_text(encoding="utf-8") + EDIT.format(n=n), encoding="utf-8", newline="\n")


def convert_phases(project: Project, posts: int) -> ConvertResults:
    """Full conversion, then no-op runs, then runs after editing one post's body.

    The full run happens once: only the first run converts everything, a second would be a no-op.
    """
    full, _ = convert_runs(project, "full", lambda n: None, repeats=1)
    noop, last = convert_runs(project, "no-op", lambda n: None)
    edited = project.post(max(1, posts // 2))
    edit, _ = convert_runs(project, "one post edited", lambda n: edit_post(edited, n + 1))
    output = last.output.strip()
    return ConvertResults(full, noop, edit, output.splitlines()[-1] if output else "")


# --- the jupyter-book builds --------------------------------------------------------------------


def docs_read(output: str) -> int:
    """Documents Sphinx (re)read, from its `updating environment: N added, M changed` line."""
    match = UPDATING.search(output)
    return int(match.group(1)) + int(match.group(2)) if match else 0


def warnings_in(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if "WARNING:" in line or "ERROR:" in line]


def full_build(project: Project) -> tuple[BuildStep, list[str]]:
    """`jupyter-book build .` with no `_build` at all; also the warnings it printed."""
    shutil.rmtree(project.root / "_build", ignore_errors=True)
    build = project.build().check("jupyter-book build (full)")
    pages = len([n for n in mtimes(project.html) if n.endswith(".html")])
    return BuildStep(Timing.of(build), docs_read(build.output), pages), warnings_in(build.output)


def noop_build(project: Project) -> tuple[BuildStep, list[str]]:
    """`jupyter-book build .` again with nothing changed; also every file it touched anyway."""
    before = mtimes(project.html)
    build = project.build().check("jupyter-book build (no-op)")
    touched = changed_names(before, mtimes(project.html))
    pages = len([n for n in touched if n.endswith(".html")])
    return BuildStep(Timing.of(build), docs_read(build.output), pages), touched


def incremental_build(project: Project, what: str, change: Callable[[], object]) -> IncrementalResult:
    """`change` the posts, then convert and build as a user would; the HTML files rewritten.

    One function for every kind of change (an edit, an added post), so they are measured the
    same way and their numbers can be compared.
    """
    before = mtimes(project.html)
    change()
    convert = project.convert().check(f"convert ({what})")
    build = project.build().check(f"jupyter-book build ({what})")
    written = changed_names(before, mtimes(project.html), suffix=".html")
    return IncrementalResult(
        timing=Timing.of(convert) + Timing.of(build),
        convert_seconds=convert.seconds,
        build_seconds=build.seconds,
        docs_read=docs_read(build.output),
        pages_written=len(written),
        rewritten=sample(written),
    )


def measure_sizes(project: Project) -> Sizes:
    """What a reader downloads: the search index, a post page, the landing page, the whole site."""
    html = project.html
    pages = sorted((html / project.pages_dir).glob("bench-*.html"))
    files = [f for f in html.rglob("*") if f.is_file()]
    index = html / Path(load_config(project.root / "_config.yml").landing_page).with_suffix(".html")
    return Sizes(
        search_bytes=(html / "searchindex.js").stat().st_size,
        page_bytes=int(statistics.median(p.stat().st_size for p in pages)) if pages else 0,
        index_page_bytes=index.stat().st_size if index.is_file() else 0,
        html_bytes=sum(f.stat().st_size for f in files),
        html_files=len(files),
    )


def pages_linking(project: Project, index: int) -> int:
    """Other post pages whose HTML names post `index` (sidebar entries, previous/next links)."""
    stem = project.post(index).stem
    pages = (project.html / project.pages_dir).glob("bench-*.html")
    return sum(1 for page in pages if page.stem != stem and f"{stem}.html" in page.read_text(encoding="utf-8"))


def navigation(project: Project, posts: int, pages_linking_last: int) -> Navigation:
    """After the incremental add of post `posts + 1`, compared with the full build of `posts`."""
    added = pages_linking(project, posts + 1)
    stale = fraction(added, posts) < fraction(pages_linking_last, posts - 1) - 0.01
    return Navigation(pages_linking_last, added, stale)


# --- the parallel build -------------------------------------------------------------------------


def sphinx_build(project: Project, jobs: int, out: str) -> Run:
    """`python -m sphinx -j JOBS` into a clean `out`, in the environment a user has."""
    shutil.rmtree(project.root / out, ignore_errors=True)
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-j", str(jobs), ".", out]
    return run(command, project.root).check(f"sphinx-build -j {jobs}")


def compare_pages(serial: Path, parallel: Path) -> tuple[bool, int]:
    """Whether both folders hold the same HTML pages, and how many are byte-for-byte identical."""
    ours = {p.relative_to(serial).as_posix() for p in serial.rglob("*.html")}
    theirs = {p.relative_to(parallel).as_posix() for p in parallel.rglob("*.html")}
    identical = sum(1 for name in ours & theirs if (serial / name).read_bytes() == (parallel / name).read_bytes())
    return ours == theirs, identical


def parallel_phase(project: Project) -> ParallelResult:
    """`-j 2` and `-j 1` Sphinx builds from the generated conf.py, each into a clean folder.

    Runs right after the full build, on the same sources, so the pages can be compared. The
    conf.py is removed afterwards: Jupyter Book ignores it, but the user's project has none.
    """
    run([project.jupyter_book, "config", "sphinx", "."], project.root).check("jupyter-book config sphinx")
    try:
        jobs_2 = sphinx_build(project, 2, "_build/html-parallel")
        jobs_1 = sphinx_build(project, 1, "_build/html-serial")
    finally:
        (project.root / "conf.py").unlink(missing_ok=True)
    same, identical = compare_pages(project.html, project.root / "_build" / "html-parallel")
    blockers = sorted(set(NOT_PARALLEL.findall(jobs_2.output)))
    return ParallelResult(
        jobs_2=Timing.of(jobs_2),
        jobs_1=Timing.of(jobs_1),
        warnings=len(warnings_in(jobs_2.output)),
        read="doing serial read" not in jobs_2.output,
        write="doing serial write" not in jobs_2.output,
        blockers=tuple(f"{extension} ({kind})" for extension, kind in blockers),
        same_pages=same,
        identical_pages=identical,
    )


# --- all phases ---------------------------------------------------------------------------------


def source_state() -> tuple[str, int]:
    """The repository's commit and how many files differ from it: what exactly was measured."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], check=False, cwd=ROOT, capture_output=True, text=True).stdout

    try:
        head, status = git("rev-parse", "--short", "HEAD"), git("status", "--porcelain")
    except OSError:
        return "", 0
    return head.strip(), len(status.splitlines())


def search_phase(project: Project) -> SearchCost | None:
    """The search's cost on the full build (`booktools.bench.search`); None without Chromium."""
    try:
        return measure_search(project.html)
    except RuntimeError as missing:
        print(f"search not measured: {missing}", file=sys.stderr)
        return None


def measure(root: Path, posts: int, seed: int) -> Results:
    """Every phase, in an order where each one starts from the state the previous one left.

    The parallel build comes right after the full build (same sources, so the pages compare);
    the no-op build comes after both, and the edit and the add come last, since they change
    the posts.
    """
    load_average_start = os.getloadavg()[0]
    commit, changed_files = source_state()
    project = make_project(root)
    start = time.perf_counter()
    generate(root, posts, seed)
    generate_seconds = time.perf_counter() - start
    convert = convert_phases(project, posts)
    full, warnings = full_build(project)
    sizes = measure_sizes(project)
    search = search_phase(project)
    linking_last = pages_linking(project, posts)
    parallel = parallel_phase(project)
    noop, touched = noop_build(project)
    edited = project.post(max(1, posts // 3))
    edit = incremental_build(project, "one post edited", lambda: edit_post(edited, 2))
    add = incremental_build(project, "one post added", lambda: add_post(project.root, posts + 1, seed))
    nav = navigation(project, posts, linking_last)
    return Results(
        posts=posts,
        seed=seed,
        cores=os.cpu_count() or 1,
        hands_on=False,
        generate_seconds=generate_seconds,
        source_commit=commit,
        source_changed_files=changed_files,
        load_average_start=load_average_start,
        load_average_end=os.getloadavg()[0],
        convert=convert,
        build=BuildResults(
            full=full,
            noop=noop,
            warnings=len(warnings),
            warnings_sample=tuple(warnings[:5]),
            noop_files_touched=len(touched),
            noop_touched=sample(touched),
        ),
        edit=edit,
        add=add,
        navigation=nav,
        sizes=sizes,
        parallel=parallel,
        search=search,
    )
