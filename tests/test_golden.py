"""Whole posts through the real CLI, compared with reviewed golden pages.

Set UPDATE_GOLDEN=1 to rewrite the expected files after an intended change, then review the diff.
"""

from __future__ import annotations

import os
import shutil

import pytest

from conftest import FIXTURES, Project

GOLDEN = FIXTURES / "golden"
NAMES = sorted(path.stem for path in (GOLDEN / "posts").glob("*.md"))


@pytest.fixture(scope="module")
def golden_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    from conftest import make_project

    project = make_project(tmp_path_factory.mktemp("golden") / "p")
    for path in (GOLDEN / "posts").glob("*.md"):
        shutil.copy(path, project.root / "posts" / path.name)
    result = project.convert()
    assert result.returncode == 0, result.stderr
    return project


@pytest.mark.parametrize("name", NAMES)
def test_golden_page(golden_project: Project, name: str) -> None:
    produced = (golden_project.root / "book" / "posts" / f"{name}.md").read_text(encoding="utf-8")
    expected_file = GOLDEN / "expected" / f"{name}.md"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        expected_file.write_text(produced, encoding="utf-8")
    assert produced == expected_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["_toc.yml", "book/_post_cards.md"])
def test_golden_navigation(golden_project: Project, name: str) -> None:
    produced = (golden_project.root / name).read_text(encoding="utf-8")
    expected_file = GOLDEN / "expected" / name.replace("/", "__")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        expected_file.write_text(produced, encoding="utf-8")
    assert produced == expected_file.read_text(encoding="utf-8")
