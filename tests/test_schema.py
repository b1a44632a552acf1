"""The converter and the extensions agree on what a page carries (`blogbook.schema`).

The converter writes post facts into front matter and cards as JSON lines; the extensions read
them back with `PostFacts.from_metadata` (from MyST's page metadata) and `Card.from_json_line`.
These tests read what the converter wrote the way MyST reads it, and fail when the two sides
would disagree, for the real posts and for any text Hypothesis can think of.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from myst_parser.config.main import read_topmatter

from blogbook.converter import render
from blogbook.converter.config import load_config
from blogbook.converter.memo import Memo
from blogbook.converter.pipeline import build_pages, convert_posts
from blogbook.converter.post import Post
from blogbook.converter.transform import Body
from blogbook.schema import MARKER, Card, PostFacts, carries_marker

from conftest import make_project


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[render.Page]:
    project = make_project(tmp_path_factory.mktemp("schema") / "p", with_posts=True)
    config = load_config(project.root / "_config.yml")
    return build_pages(config, convert_posts(config, Memo(salt="")))


def _metadata(page_text: str) -> dict[str, object]:
    """The page's metadata as MyST reads it."""
    found = read_topmatter(page_text)
    assert found is not None
    return found


def test_real_posts_facts_survive_the_page(pages: list[render.Page]) -> None:
    assert len(pages) >= 5
    for page in pages:
        text = render.post_page(page)
        assert carries_marker(text.encode("utf-8"))
        assert PostFacts.from_metadata(_metadata(text)) == page.facts
        assert page.facts.date == page.post.date.isoformat() if page.post.date else page.facts.date == ""


def test_real_cards_survive_the_card_list(pages: list[render.Page]) -> None:
    text = render.cards(pages, ())
    lines = [line for line in text.splitlines() if line.startswith("{")]
    cards = {card.doc: card for card in map(Card.from_json_line, lines)}
    assert set(cards) == {page.docname for page in pages}
    for page in pages:
        card = cards[page.docname]
        assert (card.title, card.subtitle, card.date, card.category, card.image) == (
            page.post.title,
            page.facts.subtitle,
            page.facts.date,
            page.facts.category,
            page.facts.thumbnail,
        )


def test_a_page_that_is_not_a_post_has_no_facts() -> None:
    assert PostFacts.from_metadata({"title": "x", "myst": {}}) is None


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("[1, 2]", "JSON object"),
        ('{"title": "t", "doc": "d", "colour": "red"}', "unknown card field"),
        ('{"title": "t"}', "title and a doc"),
        ('{"title": "t", "doc": "d", "date": 3}', "strings"),
        ("{not json", "Expecting"),
    ],
)
def test_a_bad_card_line_is_refused_with_a_reason(line: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        Card.from_json_line(line)


text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
line_text = text.map(lambda s: " ".join(s.split()))  # what a one-line front-matter value becomes


def _post(title: str, category: str, subtitle: str) -> Post:
    return Post(
        source=Path("posts/p.md"),
        stem="p",
        id=1,
        title=title or "t",
        category=category or "c",
        subtitle=subtitle,
        date=dt.date(2025, 3, 24),
        thumbnail=None,
        tags=(),
        draft=False,
        body="",
        body_line=3,
    )


@given(category=line_text, subtitle=line_text, thumbnail=line_text)
def test_any_facts_survive_the_page(category: str, subtitle: str, thumbnail: str) -> None:
    post = _post("제목", category, subtitle)
    page = render.Page(post, Body("본문\n", (), (), ()), "book/posts/p", thumbnail or None)
    read_back = PostFacts.from_metadata(_metadata(render.post_page(page)))
    assert read_back == page.facts


@given(title=text.filter(str.strip), subtitle=text, category=text, image=text)
def test_any_card_survives_its_json_line(title: str, subtitle: str, category: str, image: str) -> None:
    card = Card(title, subtitle, "2025-03-24", category, "book/posts/p", image)
    line = card.json_line()
    assert "\n" not in line
    assert Card.from_json_line(line) == card


def test_every_card_field_is_written_when_set() -> None:
    full = Card("t", "s", "2025-01-02", "c", "book/posts/p", "/static/image/x.png")
    assert set(json.loads(full.json_line())) == {"title", "subtitle", "date", "category", "doc", "image"}
    assert replace(full, subtitle="").json_line().count("subtitle") == 0


def test_the_marker_is_found_only_near_the_top() -> None:
    assert carries_marker(f"---\n# {MARKER} from x\n".encode())
    assert not carries_marker(f"a\nb\nc\nd {MARKER}\n".encode())
