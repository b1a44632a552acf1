"""Korean emphasis: the README's rule table is the test data, each row through the converter,
then the result read the way MyST reads it, so the page shows emphasis and no asterisk."""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt
from test_rules import convert

from conftest import ROOT

_TABLE = re.search(
    r"<!-- korean-emphasis:begin -->(.*?)<!-- korean-emphasis:end -->",
    (ROOT / "README.md").read_text(encoding="utf-8"),
    re.DOTALL,
)
assert _TABLE, "README.md lost its Korean emphasis table"


def _rows() -> list[tuple[str, str]]:
    """(written, expected) pairs; `unchanged` rows expect each written example as it is."""
    rows: list[tuple[str, str]] = []
    for line in _TABLE.group(1).splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 2 or not cells[0].startswith("`"):
            continue
        written = re.findall(r"`([^`]+)`", cells[0])
        expected = re.findall(r"`([^`]+)`", cells[1])
        rows += list(zip(written, expected or written, strict=True))
    return rows


ROWS = _rows()
MYST = MarkdownIt("commonmark", {"html": True})


def test_the_table_has_the_cases() -> None:
    assert len(ROWS) >= 12


@pytest.mark.parametrize(("written", "expected"), ROWS, ids=[w for w, _ in ROWS])
def test_korean_emphasis_rule(written: str, expected: str) -> None:
    assert convert(f"{written}\n") == f"{expected}\n"


@pytest.mark.parametrize(("written", "expected"), ROWS, ids=[w for w, _ in ROWS])
def test_the_page_shows_no_asterisk_where_hangul_meets_the_pair(written: str, expected: str) -> None:
    shown = MYST.renderInline(expected)
    if re.search(r"[가-힣]", written):
        assert "*" not in re.sub(r"<[^>]+>", "", shown), shown


def _hand_written_prose() -> list[tuple[str, str]]:
    """Each prose line of the Markdown written by hand (the notebooks' Markdown cells and the
    book's own pages), outside code fences: the converter does not see these."""
    import nbformat

    from blogbook.schema import carries_marker

    texts: list[tuple[str, str]] = []
    for path in sorted((ROOT / "book").rglob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        texts += [(path.name, cell.source) for cell in notebook.cells if cell.cell_type == "markdown"]
    for path in sorted((ROOT / "book").rglob("*.md")):
        data = path.read_bytes()
        if not carries_marker(data):
            texts.append((path.name, data.decode("utf-8")))
    lines: list[tuple[str, str]] = []
    for name, text in texts:
        fenced = False
        for line in text.split("\n"):
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
            elif not fenced and line.strip():
                lines.append((name, line))
    return lines


def test_hand_written_markdown_has_no_emphasis_korean_would_break() -> None:
    """myst-nb reads the notebooks straight, so their Markdown must not need the repair."""
    from blogbook.converter.prose import korean_emphasis

    lines = _hand_written_prose()
    assert any(name.endswith(".ipynb") for name, _ in lines)
    broken = [f"{name}: {line}" for name, line in lines if korean_emphasis(line) != line]
    assert not broken, "\n".join(broken)
