"""Errors that point at a file and a line, so the CLI can print one line per problem."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml where installed: ten times faster on a 1,000-post toc."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is and what to do about it."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path.as_posix() if self.line is None else f"{self.path.as_posix()}:{self.line}"
        return f"{where}: {self.message}"


class ConversionError(Exception):
    """Raised for bad input; carries every problem found so the author fixes them in one pass."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

    @classmethod
    def at(cls, path: Path, line: int | None, message: str) -> ConversionError:
        """Shorthand for an error with a single problem."""
        return cls([Problem(path, line, message)])


def shown(path: Path) -> Path:
    """A path as the author should see it in a message: relative to where they stand."""
    try:
        return Path(os.path.relpath(path))
    except ValueError:
        return path


def as_seen_from_cwd(problem: Problem, root: Path) -> Problem:
    """Problems name files relative to the project root, so pages, the memo and messages do
    not depend on where the converter ran; only the message printed at the end does."""
    return replace(problem, path=shown(root / problem.path))


@contextmanager
def yaml_problems(source: Path, first_line: int, what: str = "invalid YAML") -> Iterator[None]:
    """A YAML error in text that starts on `first_line` of `source`, as one line naming that line."""
    try:
        yield
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + first_line if mark is not None else None
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ConversionError.at(source, line, f"{what}: {problem}") from None


@contextmanager
def reported_as_problem(path: Path) -> Iterator[None]:
    """Turn a bug met while converting one file into a one-line problem naming that file.

    The author still learns which post triggers it, and the other posts are still checked;
    set BLOGBOOK_DEBUG=1 to get the traceback instead.
    """
    try:
        yield
    except ConversionError:
        raise
    except Exception as error:
        if os.environ.get("BLOGBOOK_DEBUG"):
            raise
        message = f"internal error ({type(error).__name__}: {error}); please report it, BLOGBOOK_DEBUG=1 shows more"
        raise ConversionError.at(path, None, message) from None
