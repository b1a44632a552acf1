"""A first run converts posts in worker processes; that must not change a byte or a message."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from blogbook.converter.config import load_config
from blogbook.converter.diagnostics import ConversionError
from blogbook.converter.memo import Memo
from blogbook.converter.pipeline import PARALLEL_FROM, outputs

from conftest import FIXTURES, Project, front, make_project

BAD = ["invalid-yaml.md", "missing-image.md", "impossible-date.md", "escaping-image.md"]


def _outputs(project: Project, workers: int | None) -> list[tuple[str, str]]:
    found = outputs(load_config(project.root / "_config.yml"), Memo(salt=""), workers)
    return [(output.path.as_posix(), output.text) for output in found]


def _problems(project: Project, workers: int) -> list[str]:
    try:
        outputs(load_config(project.root / "_config.yml"), Memo(salt=""), workers)
    except ConversionError as error:
        return [str(problem) for problem in error.problems]
    raise AssertionError("the bad posts converted without a problem")


def test_worker_processes_give_the_same_pages_as_one_process(tmp_path: Path) -> None:
    project = make_project(tmp_path / "real", with_posts=True)
    serial = _outputs(project, workers=1)
    assert len(serial) > 3
    assert _outputs(project, workers=2) == serial


def test_worker_processes_report_the_same_problems_in_the_same_order(tmp_path: Path) -> None:
    project = make_project(tmp_path / "bad", with_posts=True)
    for name in BAD:
        shutil.copy(FIXTURES / "bad" / name, project.root / "posts" / name)
    serial = _problems(project, workers=1)
    assert len(serial) == len(BAD)
    assert _problems(project, workers=2) == serial


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: the CLI never starts workers")
def test_a_first_run_of_many_posts_writes_what_one_process_would(
    tmp_path: Path,
) -> None:
    """Enough posts that the CLI picks worker processes by itself."""
    project = make_project(tmp_path / "many")
    for number in range(PARALLEL_FROM + 6):
        category = "공부" if number % 2 else "메모"
        body = f"#\n# 글 {number}\n\n도커를 {number}번째로 정리합니다.\n\n```bash\n# 주석 {number}\n```\n"
        project.post(
            f"post-{number:03d}.md", front(f"[{category}] 글 {number}", date=f"2025.01.{number % 28 + 1:02d}") + body
        )
    result = project.convert("--no-hands-on")
    assert result.returncode == 0, result.stderr
    expected = _outputs(project, workers=1)
    # the pages, the cards, the toc, the archive, 3 listing indexes, 2 category pages
    assert len(expected) == PARALLEL_FROM + 8 + 6
    for path, text in expected:
        assert (project.root / path).read_text(encoding="utf-8") == text, path
