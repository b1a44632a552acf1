"""How the benchmark runs a command and observes it: time, memory, and the files it changed.

Nothing here knows which steps make up the benchmark (that is `measures`), so a phase can be
added or changed without touching the sampling, and the sampling can be checked on its own.
"""

from __future__ import annotations

import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import psutil

from blogbook.converter.config import load_config
from blogbook.converter.writer import is_generated
from booktools.scratch_copy import COPY_IGNORE

ROOT = Path(__file__).resolve().parents[3]  # the checkout: tools run from the repository, never installed

POLL_SECONDS = 0.05
BENCH_TODAY = "2100-01-01"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


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

    CPU time (user + system, of the command and the children it waited for) is kept next to
    wall time because the machine may be shared: other work inflates wall time far more than CPU.
    """

    command: tuple[str, ...]
    seconds: float
    cpu_seconds: float
    returncode: int
    output: str
    peak_rss_mb: float

    def check(self, what: str) -> Run:
        """This run, or `StepFailed` naming `what`, so a phase reads as one chain of steps."""
        if self.returncode != 0:
            raise StepFailed(what, self)
        return self


def tree_rss(pid: int) -> int:
    """Summed RSS of a process and all its descendants (0 once they have gone).

    Summed because the converter starts one worker per core and `sphinx-build -j 2` forks:
    the parent's RSS alone would hide most of the memory a user needs.
    """
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
    """Samples the summed RSS of a process tree every `POLL_SECONDS` until stopped; keeps the maximum.

    A thread rather than a loop around `poll()`, so the wall time is read the moment the
    command ends, not up to one polling interval later.
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
        """The peak in bytes, once the sampler has finished its last sample."""
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
    """Modification time (ns) of every file below `folder`, skipping the named top-level entries.

    Modification times, not contents: a tool that rewrites a file with the same bytes still
    costs the write and still wakes up whatever watches the folder, so it counts as a change.
    """
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
    """How many files `changed_names` finds, for the counts the report shows."""
    return len(changed_names(before, after, suffix))


def sample(names: list[str], limit: int = 8) -> str:
    """A few names for the report, so "3 files touched" can be checked at a glance."""
    return ", ".join(names[:limit]) + (f", ... ({len(names) - limit} more)" if len(names) > limit else "")


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
        """The converter without the hands-on part, so the numbers measure posts, not notebooks."""
        # The generated posts' dates run past today (three days apart from 2019): no post of the
        # benchmark is a scheduled one, whatever day it runs on.
        return run([sys.executable, "scripts/convert.py", "--no-hands-on", "--today", BENCH_TODAY], self.root)

    def build(self) -> Run:
        """`jupyter-book build .` without -W: a benchmark measures; the tests police warnings."""
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


def scratch_root(keep: Path | None) -> Path:
    """Where the scratch project goes: a new temp folder, or DIR for `--keep` (never inside the repo).

    Never inside the repository: the kept copy would show up in `git status` and be copied into
    every later scratch project and test project.
    """
    if keep is None:
        return Path(tempfile.mkdtemp(prefix="blogbook-bench-")) / "project"
    target = keep.resolve()
    if target.is_relative_to(ROOT):
        raise ValueError(f"--keep {keep}: must be outside the repository")
    if target.exists():
        raise ValueError(f"--keep {keep}: already exists")
    return target
