"""The post's meta line: a Korean date, and a reading time counted in characters."""

from __future__ import annotations

from pathlib import Path

import pytest

from blogbook.converter import images
from blogbook.converter.post import read_post
from blogbook.converter.render import READING_SPEED, reading_minutes
from blogbook.converter.transform import transform
from blogbook.schema import korean_date

from conftest import FIXTURES


@pytest.mark.parametrize(
    ("iso", "shown"),
    [
        ("2025-04-02", "2025년 4월 2일"),
        ("2025-12-31", "2025년 12월 31일"),
        ("1999-01-10", "1999년 1월 10일"),
        ("2025.04.02", "2025.04.02"),  # not ISO: shown as it is, never an exception
        ("", ""),
    ],
)
def test_korean_date(iso: str, shown: str) -> None:
    assert korean_date(iso) == shown


@pytest.mark.parametrize(
    ("characters", "minutes"),
    [
        (0, 1),
        (1, 1),
        (READING_SPEED, 1),
        (READING_SPEED * 2, 2),
        (READING_SPEED * 10 + 100, 10),
        (READING_SPEED * 30, 30),
    ],
)
def test_reading_minutes(characters: int, minutes: int) -> None:
    assert reading_minutes(characters) == minutes


def characters(body: str) -> int:
    text = '---\ntitle: "제목"\n---\n' + body
    post = read_post(Path("posts/t.md"), text.encode("utf-8"), "글")
    return transform(post, images.Resolver((FIXTURES / "project").resolve(), Path("posts"), 2)).characters


@pytest.mark.parametrize(
    ("body", "count"),
    [
        ("가나다 라마\n", 5),  # Hangul syllables, not words; spaces are not read
        ("## 제목\n\n본문, 끝.\n", 5),  # headings are read; punctuation is not counted
        ("**강조**와 `code`\n", 7),
        ("```python\nprint(1)\n```\n", 6),  # code is read too
        ("#\n#\n", 0),  # spacers carry nothing
        ('<img src="../../static/image/cover.png">\n', 0),
    ],
)
def test_characters_a_reader_reads(body: str, count: int) -> None:
    assert characters(body) == count
