"""The converter's heading slugs are MyST's: links to sections are checked against them."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from myst_parser.mdit_to_docutils.base import compute_unique_slug, default_slugify

from blogbook.converter.render import slugify, unique_slugs

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


def myst_slugs(titles: list[str]) -> tuple[str, ...]:
    """What MyST itself computes for these headings, in order, on one page."""
    tree = SyntaxTreeNode(MarkdownIt().parse("".join(f"# {title}\n\n" for title in titles)))
    seen: list[str] = []
    for heading in tree.children:
        seen.append(compute_unique_slug(heading, seen))
    return tuple(seen)


@pytest.mark.parametrize(
    "titles",
    [
        ["정리", "정리", "정리"],
        ["정리", "정리-1", "정리"],
        ["A b", "a-b", "A B"],
        ["정리"] * 40 + ["정리-1-2", "정리-1"] + ["정리"] * 20,
    ],
    ids=["thrice", "taken", "case", "many"],
)
def test_repeated_titles_get_myst_suffixes(titles: list[str]) -> None:
    assert unique_slugs(titles) == myst_slugs(titles)
