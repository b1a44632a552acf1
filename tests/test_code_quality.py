"""The code style the team agreed on, checked the same way in every run."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

CODE = ["scripts"]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_ruff_finds_nothing() -> None:
    result = run("ruff", "check", *CODE, "tests")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing() -> None:
    result = run("mypy", *CODE)
    assert result.returncode == 0, result.stdout + result.stderr
