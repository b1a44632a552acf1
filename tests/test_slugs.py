"""The converter's heading slugs are MyST's: links to sections are checked against them."""

from __future__ import annotations

import pytest
from blogbook.render import slugify, unique_slugs
from myst_parser.mdit_to_docutils.base import default_slugify

TITLES = [
    "컨테이너의 개념과 중요성",
    "배포 방식의 진화: 전통적 배포에서 컨테이너까지",
    "Deployment로 파드 관리하기",
    "쿠버네티스와 도커: 현대 개발자의 필수 지식",
    "`kubectl` 명령 (기초)",
    "C++ & Go — 비교!",
    "漢字와 한글 mixed_Case-Title",
    "  앞뒤 공백  ",
]


@pytest.mark.parametrize("title", TITLES)
def test_slug_matches_myst(title: str) -> None:
    assert slugify(title) == default_slugify(title)


def test_repeated_titles_get_myst_suffixes() -> None:
    assert unique_slugs(["정리", "정리", "정리"]) == ("정리", "정리-1", "정리-1-2")
