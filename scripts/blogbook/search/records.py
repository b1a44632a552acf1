"""A page's doctree -> what the search needs to know about it, kept in the environment.

Read once per page at `doctree-read` (in parallel readers too) and pickled with the
environment, so a rebuild re-reads only the pages that changed and the index is assembled from
records, never from HTML. Only the article is read: the theme's menus, sidebars and
page-contents panel are not in the doctree at all, so no snippet can come from them.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

from docutils import nodes
from sphinx import addnodes

from . import text
from .pairs import Pair, harvest_doctree

CODE_BLOCK_CHARS = 400
"""A code block's text is kept to this many characters: enough to find and show a command."""

SKIP_NODES: tuple[type[nodes.Node], ...] = (
    nodes.comment,
    nodes.raw,
    nodes.system_message,
    nodes.substitution_definition,
    nodes.target,
    nodes.image,
    addnodes.toctree,
    addnodes.only,
)
"""Never text a reader searches for: markup, comments, images (alts are descriptions), toctrees."""

SKIP_CLASSES = frozenset({"post-meta", "cell_output", "toggle-details"})
"""Containers that are not prose: the post's date/category line and notebook cell outputs."""

BLOCKS: tuple[type[nodes.Node], ...] = (
    nodes.paragraph,
    nodes.literal_block,
    nodes.term,
    nodes.rubric,
    nodes.line,
    nodes.caption,
    nodes.doctest_block,
)
"""Text that becomes one snippet candidate (`Block`)."""


@dataclass(frozen=True)
class Block:
    """One snippet candidate: a heading or a paragraph, with the section it links to."""

    anchor: str
    text: str
    heading: bool = False


@dataclass(frozen=True)
class PageRecord:
    """Everything the index needs from one page; `digest` changes whenever any of it does."""

    docname: str
    title: str
    subtitle: str
    blocks: tuple[Block, ...]
    title_stems: tuple[str, ...]
    heading_stems: tuple[str, ...]
    body_counts: tuple[tuple[str, int], ...]
    """Stem -> occurrences in the body (sorted), counted once here so the index never re-stems."""
    body_length: int
    latin_ngrams: tuple[tuple[str, int], ...]
    """Adjacent Latin stems ("virtual machin") and their counts: English phrases of a pair."""
    pairs: tuple[Pair, ...]
    """Korean/English pairs this page writes (`도커(Docker)`), in order."""
    digest: str

    @property
    def body_text(self) -> str:
        return "\n".join(b.text for b in self.blocks if not b.heading)


def _classes(node: nodes.Node) -> set[str]:
    return set(node.get("classes", ())) if isinstance(node, nodes.Element) else set()


def _skipped(node: nodes.Node, subtitle: list[str]) -> bool:
    """Nodes that are not the article's text; the subtitle (in the meta block) is kept aside."""
    if isinstance(node, SKIP_NODES):
        return True
    classes = _classes(node)
    if "post-subtitle" in classes or "post-meta" in classes:
        subtitle.extend(
            " ".join(sub.astext().split()) for sub in node.findall(lambda n: "post-subtitle" in _classes(n))
        )
        return True
    return bool(classes & SKIP_CLASSES)


def _collect(node: nodes.Node, anchor: str, out: list[Block], subtitle: list[str], top: list[bool]) -> None:
    """Depth-first over the article: headings and text blocks, each with its section's anchor."""
    if _skipped(node, subtitle):
        return
    if isinstance(node, nodes.section):
        ids = node.get("ids") or [anchor]
        anchor = "" if top[0] else ids[0]  # the page's own section: link to the page itself
        top[0] = False
        for child in node.children:
            if isinstance(child, nodes.title):
                if anchor:
                    out.append(Block(anchor, " ".join(child.astext().split()), heading=True))
                continue
            _collect(child, anchor, out, subtitle, top)
        return
    if isinstance(node, BLOCKS):
        raw = node.astext()
        if isinstance(node, nodes.literal_block):
            raw = raw[:CODE_BLOCK_CHARS]
        content = " ".join(raw.split())
        if content:
            out.append(Block(anchor, content))
        return
    for child in node.children if isinstance(node, nodes.Element) else ():
        _collect(child, anchor, out, subtitle, top)


def latin_ngrams(stems: list[str]) -> Counter[str]:
    """Adjacent pairs and triples of Latin stems, the only phrases a pair may name."""
    found: Counter[str] = Counter()
    for size in (2, 3):
        for i in range(len(stems) - size + 1):
            gram = stems[i : i + size]
            if all(text.is_latin(s) for s in gram):
                found[" ".join(gram)] += 1
    return found


def page_record(docname: str, title: str, doctree: nodes.document) -> PageRecord:
    """Read one page's doctree into its record."""
    blocks: list[Block] = []
    subtitle: list[str] = []
    _collect(doctree, "", blocks, subtitle, [True])
    body: Counter[str] = Counter()
    grams: Counter[str] = Counter()
    length = 0
    for block in blocks:
        if block.heading:
            continue
        block_stems = text.stems(block.text)
        body.update(block_stems)
        grams.update(latin_ngrams(block_stems))
        length += len(block_stems)
    headings = [s for b in blocks if b.heading for s in text.stems(b.text)]
    sub = " ".join(subtitle)
    headings += text.stems(sub)
    for heading in (title, sub, *(b.text for b in blocks if b.heading)):
        grams.update(latin_ngrams(text.stems(heading)))
    fields = (
        docname,
        title,
        sub,
        tuple(blocks),
        tuple(text.stems(title)),
        tuple(headings),
        tuple(sorted(body.items())),
        length,
        tuple(sorted(grams.items())),
        tuple(harvest_doctree(doctree)),
    )
    digest = hashlib.sha256(repr(fields).encode("utf-8")).hexdigest()[:16]
    return PageRecord(*fields, digest=digest)
