"""Shared fixtures: a scratch project laid out like the real one, and the converter's CLI."""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from blogbook.converter import cli
from booktools.scratch_copy import COPY_IGNORE  # re-exported to the tests

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

pytest_plugins = ("sphinx.testing.fixtures",)


@dataclass
class Project:
    """A copy of the book's skeleton in a temp folder, with posts of the test's choosing."""

    root: Path

    def post(self, name: str, text: str | bytes) -> Path:
        path = self.root / "posts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, str):
            path.write_text(text, encoding="utf-8")
        else:
            path.write_bytes(text)
        return path

    def convert(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run the converter's CLI from the project root, as a user would (in this process)."""
        return convert(self.root, *args, in_process=True)

    def snapshot(self) -> dict[str, tuple[bytes, int]]:
        """Bytes and modification time (ns) of every file outside posts/, _build/ and .cache/."""
        files = {}
        for path in sorted(self.root.rglob("*")):
            relative = path.relative_to(self.root)
            if path.is_file() and relative.parts[0] not in ("posts", "_build", ".cache"):
                files[relative.as_posix()] = (path.read_bytes(), path.stat().st_mtime_ns)
        return files


def convert(
    root: Path, *args: str, cwd: Path | None = None, in_process: bool = False
) -> subprocess.CompletedProcess[str]:
    """The one way tests run the converter: `python scripts/convert.py ARGS` from `cwd` (the
    project root unless given), exactly as an author types it.

    `in_process` calls the same entry point (`blogbook.converter.cli.main`) in this process, with
    the same working folder and its output captured: the same exit codes and messages without
    starting Python for every run (a quarter of a second each, hundreds of runs). Tests of what
    only a real process shows (no traceback escapes, exit status, runs side by side) use the
    default.
    """
    if not in_process:
        return subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "convert.py"), *args],
            cwd=cwd or root,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONUTF8": "1"},
            timeout=120,
        )
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd or root), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return subprocess.CompletedProcess(["convert.py", *args], code, out.getvalue(), err.getvalue())


def make_project(root: Path, with_posts: bool = False) -> Project:
    """Config, extensions, landing page and test images; the real posts only if asked."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    (root / "book").mkdir()
    shutil.copy(ROOT / "book" / "index.md", root / "book" / "index.md")
    shutil.copytree(FIXTURES / "project" / "static", root / "static")
    (root / "posts").mkdir()
    if with_posts:
        shutil.copytree(ROOT / "posts", root / "posts", dirs_exist_ok=True)
        shutil.copytree(ROOT / "static", root / "static", dirs_exist_ok=True)
    return Project(root)


SLOW_FIXTURES = frozenset({"built_book", "built_site"})
"""Fixtures that build a whole book or site: every test that uses one is a `build` test."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The `build` mark on every test that needs a built site, however indirectly."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.build)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where `@pytest.mark.sphinx(testroot="x")` finds `test-x/` (Sphinx 7.4 takes a pathlib.Path)."""
    return Path(__file__).resolve().parent / "roots"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return make_project(tmp_path / "book-project")


def front(title: str = "[공부] 테스트 글", **fields: object) -> str:
    """Front matter in the blog's shape, for tests that only care about the body."""
    lines = ["---", f'title: "{title}"']
    lines += [f"{key}: {value}" for key, value in fields.items()]
    return "\n".join([*lines, "---", ""])


@dataclass
class BuiltBook:
    """The committed tree, copied and built with the plain documented command."""

    root: Path

    @property
    def html(self) -> Path:
        return self.root / "_build" / "html"


def build_command() -> list[str]:
    """`jupyter-book build .` with warnings as errors, as the tests and CI demand."""
    return [str(Path(sys.executable).parent / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going"]


def build(root: Path) -> subprocess.CompletedProcess[str]:
    """`jupyter-book build .` with warnings as errors, as the tests and CI demand."""
    return subprocess.run(
        build_command(),
        cwd=root,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> BuiltBook:
    """A copy of the repository exactly as committed, built with no conversion step first.

    Built once per test run: under pytest-xdist the first worker to ask builds it while the
    others wait on a lock, and all read the same files (tests copy it before changing anything).
    """
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    root, outcome = shared / "built" / "book", shared / "built" / "outcome.txt"
    root.parent.mkdir(parents=True, exist_ok=True)
    with (shared / "built" / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not outcome.exists():
            shutil.copytree(ROOT, root, ignore=COPY_IGNORE)
            result = build(root)
            report = "" if result.returncode == 0 else result.stdout[-3000:] + result.stderr[-3000:] or "failed"
            outcome.write_text(report, encoding="utf-8")
    report = outcome.read_text(encoding="utf-8")
    assert not report, report
    return BuiltBook(root)


# --- the built site in Chromium, shared by the reader-facing browser tests -------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium per test module; skips (or fails with CI=true) before the book is built."""
    from browser import chromium

    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def site(browser: Any, built_book: BuiltBook) -> Iterator[str]:
    """The built site where GitHub Pages puts it: below the path of `html.baseurl`, 404.html for misses."""
    from urllib.parse import urlsplit

    import yaml

    from browser import serve

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    prefix = urlsplit(str((config.get("html") or {}).get("baseurl") or "/")).path or "/"
    with serve(built_book.html, prefix=prefix, not_found="404.html") as base:
        yield base
