"""Korean and English spellings of one word, harvested from the book's own prose.

Korean developers write a term both ways and often say so: `도커(Docker)`,
`가상머신(Virtual Machine)`, `Kubernetes(쿠버네티스)`. Each such parenthesis in a heading or a
paragraph is a pair; code never is (`함수(func)` in a code span is a call, not a gloss), and
neither is a parenthesis that explains rather than translates (`(예: x)`, `(e.g. --rm)`,
`설정(1)`, `파일(config.yaml)`).

`python -m booktools.search_pairs` lists what was harvested, so an author can check it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docutils import nodes

from . import text

HANGUL_WORD = r"[가-힣]+"
LATIN_WORD = r"[A-Za-z][A-Za-z0-9+#-]*"
LATIN_PHRASE = rf"{LATIN_WORD}(?: {LATIN_WORD}){{0,2}}"
HANGUL_PHRASE = rf"{HANGUL_WORD}(?: {HANGUL_WORD}){{0,2}}"

KOREAN_ENGLISH = re.compile(rf"(?<!\w)({HANGUL_WORD})\(\s*({LATIN_PHRASE})\s*\)")
PRECEDING = re.compile(r"([가-힣]+) $")
"""The Hangul word just before the glossed one, if a space is all that separates them."""
HEAD_OF_PHRASE = re.compile(r"(?:의|한|된|할|던|운|적인)$")
"""Endings that make the next word the head of a phrase (`파드의 상태(phase)`,
`민감한 값(Secret)`): the English glosses the phrase, not the word."""


def _heads_a_phrase(before: str) -> bool:
    """Is the glossed Korean word the last word of a longer phrase? After a genitive or an
    adnominal (`파드의`, `민감한`) or a bare noun (`비밀 값(Secret)`, `접근 권한(RBAC)`) it is; after
    a word with a particle (`글에서는 도커(Docker)`) it is not."""
    match = PRECEDING.search(before)
    if not match:
        return False
    word = match.group(1)
    return bool(HEAD_OF_PHRASE.search(word)) or text.stem(word) == word.lower()


"""`도커(Docker)`, `가상머신(Virtual Machine)`: one Korean word glossed in English."""
ENGLISH_KOREAN = re.compile(rf"(?<![\w.])({LATIN_PHRASE})\(\s*({HANGUL_PHRASE})\s*\)")
"""`Kubernetes(쿠버네티스)`, `Control Plane(컨트롤 플레인)`: English glossed in Korean."""

NOT_A_GLOSS = frozenset({"e", "eg", "ie", "ex", "etc", "vs", "or", "and", "see", "cf", "note"})
"""First words of a parenthesis that explains instead of translating."""
NOT_A_WORD = frozenset({"예", "즉", "참고", "주", "예시", "단"})
"""Korean words before a parenthesis that is an aside, not a translation."""

CODE = "\x00"
"""Stands in for inline code in prose, so no pattern can match across or inside it."""


@dataclass(frozen=True, order=True)
class Pair:
    """One harvested pair, as written and as stems (a phrase is several stems)."""

    korean: str
    english: str

    @property
    def korean_stems(self) -> tuple[str, ...]:
        return tuple(text.stem(w) for w in text.words(self.korean))

    @property
    def english_stems(self) -> tuple[str, ...]:
        return tuple(text.stem(w) for w in text.words(self.english))


def _trim_english(phrase: str) -> str:
    """Outside a parenthesis the English phrase starts where its capitals start:
    `using Virtual Machine(가상머신)` names `Virtual Machine`, `docker(도커)` stays whole."""
    parts = phrase.split()
    while len(parts) > 1 and not parts[0][0].isupper():
        parts.pop(0)
    return " ".join(parts)


def _acceptable(korean: str, english: str) -> bool:
    first = english.split(maxsplit=1)[0].lower()
    letters = sum(ch.isalpha() for ch in english)
    if first in NOT_A_GLOSS or letters < 2 or korean in NOT_A_WORD:
        return False
    stems = [text.stem(w) for w in text.words(korean)] + [text.stem(w) for w in text.words(english)]
    return all(s and s not in text.STOPWORDS for s in stems)


def harvest(prose: str) -> list[Pair]:
    """Every pair in a piece of prose (inline code already replaced by `CODE`)."""
    found = []
    for match in KOREAN_ENGLISH.finditer(prose):
        korean, english = match.group(1), " ".join(match.group(2).split())
        if _heads_a_phrase(prose[max(0, match.start() - 12) : match.start()]):
            continue
        if _acceptable(korean, english):
            found.append(Pair(korean, english))
    for match in ENGLISH_KOREAN.finditer(prose):
        english, korean = _trim_english(match.group(1)), " ".join(match.group(2).split())
        if _acceptable(korean, english):
            found.append(Pair(korean, english))
    return found


def prose_text(node: nodes.Element) -> str:
    """A block's text with each inline code span replaced by `CODE` (never harvested)."""
    out = []
    for child in node.children:
        if isinstance(child, nodes.literal | nodes.raw | nodes.comment):
            out.append(CODE)
        elif isinstance(child, nodes.Text):
            out.append(child.astext())
        elif isinstance(child, nodes.Element):
            out.append(prose_text(child))
    return "".join(out)


PROSE: tuple[type[nodes.Element], ...] = (nodes.paragraph, nodes.title, nodes.term, nodes.rubric, nodes.line)
"""Where pairs are harvested: headings and prose, never code blocks."""


def harvest_doctree(doctree: nodes.Node) -> list[Pair]:
    """Pairs in a page's headings and prose, in order, code blocks and code spans left out."""
    found: list[Pair] = []
    for node in doctree.findall(lambda n: isinstance(n, PROSE)):
        if any(isinstance(a, nodes.literal_block | nodes.raw) for a in _ancestors(node)):
            continue
        found.extend(harvest(prose_text(node)))
    return found


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    out = []
    parent = node.parent
    while parent is not None:
        out.append(parent)
        parent = parent.parent
    return out
