"""One group of spellings per word: the configured table plus the pairs the posts write.

A group's members are stems (`도커`, `docker`) or phrases of stems (`virtual machin`); every
member is indexed and queried as the group, so a query for either spelling finds both. The
configured table (`blogbook_search_synonyms`) is taken as it is. Harvested pairs are checked
both ways: an English spelling that the posts pair with two different Korean words is kept only
with the one it is paired with most often (a tie drops it), and a Korean word glossed with two
different English spellings (`설정(ConfigMap)`, `설정(JSON)`: a generic word, not a translation)
keeps none of them, because one bad pair would make every page with `설정` a result for `JSON`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import text
from .pairs import Pair


@dataclass(frozen=True)
class SynonymGroup:
    """Spellings of one word; `key` is the member the index stores the postings under."""

    key: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class SynonymTable:
    """Every group, and which group each member belongs to."""

    groups: tuple[SynonymGroup, ...]

    def key_of(self) -> dict[str, str]:
        return {member: group.key for group in self.groups for member in group.members}

    def phrases(self) -> frozenset[str]:
        """Members of more than one stem, which the index counts as adjacent words."""
        return frozenset(m for g in self.groups for m in g.members if " " in m)


def member(spelling: str) -> str:
    """A spelling as the index sees it: its stems joined by spaces."""
    return " ".join(text.stem(w) for w in text.words(spelling))


def resolve_pairs(pairs: Iterable[Pair]) -> list[tuple[str, str]]:
    """Harvested pairs as (korean member, english member), ambiguous English spellings resolved."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for pair in pairs:
        korean, english = member(pair.korean), member(pair.english)
        if korean and english and korean != english:
            counts[english][korean] += 1
    kept = []
    for english, koreans in sorted(counts.items()):
        ranked = koreans.most_common()
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            continue
        kept.append((ranked[0][0], english))
    glosses = Counter(korean for korean, _ in kept)
    return [(korean, english) for korean, english in kept if glosses[korean] == 1]


def _key(members: Sequence[str]) -> str:
    """The Korean single word if there is one (what most readers type), else the first member."""
    single_hangul = sorted(m for m in members if " " not in m and not m.isascii())
    return single_hangul[0] if single_hangul else sorted(members)[0]


def build_table(configured: Iterable[Sequence[str]], pairs: Iterable[Pair]) -> SynonymTable:
    """Union of the configured groups and the harvested pairs (a union-find over members)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for spellings in configured:
        members = [m for m in (member(s) for s in spellings) if m]
        for other in members[1:]:
            union(members[0], other)
        for m in members:
            find(m)
    for korean, english in resolve_pairs(pairs):
        union(korean, english)
    grouped: dict[str, list[str]] = defaultdict(list)
    for m in list(parent):
        grouped[find(m)].append(m)
    groups = [SynonymGroup(_key(ms), tuple(sorted(ms))) for ms in grouped.values() if len(ms) > 1]
    return SynonymTable(tuple(sorted(groups, key=lambda g: g.key)))
