"""Records + synonyms -> the search index, split into files a query fetches only as needed.

Layout (what `emit` writes under `_search/`):

- meta: every searchable page (URL, title, part, date, fragment name), newest first, so the
  page's number alone breaks score ties in favour of the newer post; the synonym groups; the
  shard keys;
- shards: stem -> postings `[page, score*100, page, score*100, ...]`, split by stem prefix
  (first letter, then two letters where a letter holds too much), so a one-word query fetches
  one small shard and typing a prefix finds the stems that start with it; a group's other
  spellings are aliases (`"docker": "도커"`) so that prefix typing finds them too;
- fragments: one per page, its headings and paragraphs with their section anchors: the only
  text a snippet is cut from (fetched for the results shown, never the result pages);
- cho: initial consonants -> Hangul stems (`ㄷㅋ` -> `도커`), fetched only for such queries.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from . import bm25, text
from .records import PageRecord
from .synonyms import SynonymTable

SHARD_BYTES = 24_000
"""A shard is split by a longer prefix above this estimate (raw bytes), ~8 KB gzip."""
MAX_PREFIX = 4


@dataclass(frozen=True)
class IndexedPage:
    """A page to index and what the results list shows about it."""

    record: PageRecord
    url: str
    part: str
    date: str


@dataclass(frozen=True)
class SearchIndex:
    """Everything the browser may fetch, as data (`emit` turns it into files)."""

    pages: tuple[IndexedPage, ...]
    postings: Mapping[str, tuple[tuple[int, int], ...]]
    """Term key -> (page number, score*100), page numbers ascending."""
    aliases: Mapping[str, str]
    shards: Mapping[str, tuple[str, ...]]
    """Shard key (a prefix) -> the terms and aliases it holds."""
    synonyms: SynonymTable
    choseong: Mapping[str, tuple[str, ...]]


def fragment_name(docname: str) -> str:
    """A page's fragment file, stable across builds whatever else is added or removed."""
    return hashlib.sha1(docname.encode("utf-8")).hexdigest()[:12]


def shard_key(term: str, keys: Iterable[str]) -> str:
    """The longest shard key that starts the term (the JS does the same)."""
    best = ""
    for key in keys:
        if term.startswith(key) and len(key) > len(best):
            best = key
    return best


def _phrase_counts(stems: Sequence[str], phrases: frozenset[str]) -> Counter[str]:
    found: Counter[str] = Counter()
    for size in (2, 3):
        for i in range(len(stems) - size + 1):
            gram = " ".join(stems[i : i + size])
            if gram in phrases:
                found[gram] += 1
    return found


def field_counts(record: PageRecord, table: SynonymTable, key_of: Mapping[str, str]) -> dict[str, Counter[str]]:
    """Occurrences per field, each spelling counted as its group."""
    phrases = table.phrases()
    raw = {
        "title": Counter(record.title_stems) + _phrase_counts(record.title_stems, phrases),
        "headings": Counter(record.heading_stems) + _phrase_counts(record.heading_stems, phrases),
        "body": Counter(dict(record.body_counts)) + Counter({g: n for g, n in record.latin_ngrams if g in phrases}),
    }
    out: dict[str, Counter[str]] = {}
    for name, counts in raw.items():
        grouped: Counter[str] = Counter()
        for term, n in counts.items():
            grouped[key_of.get(term, term)] += n
        out[name] = grouped
    return out


def _lengths(record: PageRecord) -> dict[str, int]:
    return {"title": len(record.title_stems), "headings": len(record.heading_stems), "body": record.body_length}


def score_postings(
    pages: Sequence[IndexedPage], table: SynonymTable, params: bm25.Bm25Params
) -> dict[str, tuple[tuple[int, int], ...]]:
    """BM25F of every term on every page that has it."""
    key_of = table.key_of()
    counts = [field_counts(p.record, table, key_of) for p in pages]
    lengths = [_lengths(p.record) for p in pages]
    n = max(len(pages), 1)
    averages = {f: sum(ln[f] for ln in lengths) / n for f in bm25.FIELDS}
    per_term: dict[str, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for number, page_counts in enumerate(counts):
        for name, field in page_counts.items():
            for term, count in field.items():
                per_term[term][name][number] = count
    postings: dict[str, tuple[tuple[int, int], ...]] = {}
    for term, fields in per_term.items():
        having = sorted({d for field in fields.values() for d in field})
        term_idf = bm25.idf(len(pages), len(having))
        rows = []
        for d in having:
            freqs = {name: fields[name].get(d, 0) for name in bm25.FIELDS}
            titled = bool(freqs["title"] and freqs["body"])
            s = bm25.score(bm25.pseudo_frequency(freqs, lengths[d], averages, params), term_idf, params, titled)
            rows.append((d, max(1, round(s * 100))))
        postings[term] = tuple(rows)
    return postings


def _estimate(term: str, postings: Mapping[str, tuple[tuple[int, int], ...]]) -> int:
    rows = postings.get(term, ())
    return len(term.encode("utf-8")) + 6 + 9 * len(rows)


def split_shards(terms: Mapping[str, int], limit: int = SHARD_BYTES) -> dict[str, tuple[str, ...]]:
    """Group terms by prefix, one letter first; a group over `limit` bytes is split by one more
    letter (terms no longer than the prefix stay in it)."""
    shards: dict[str, tuple[str, ...]] = {}

    def place(prefix: str, members: list[str]) -> None:
        size = sum(terms[m] for m in members)
        if size <= limit or len(prefix) >= MAX_PREFIX:
            shards[prefix] = tuple(sorted(members))
            return
        here = [m for m in members if len(m) <= len(prefix)]
        longer: dict[str, list[str]] = defaultdict(list)
        for m in members:
            if len(m) > len(prefix):
                longer[m[: len(prefix) + 1]].append(m)
        if here:
            shards[prefix] = tuple(sorted(here))
        for sub, group in longer.items():
            place(sub, group)

    first: dict[str, list[str]] = defaultdict(list)
    for term in terms:
        first[term[:1]].append(term)
    for prefix, group in first.items():
        place(prefix, group)
    return shards


def build_index(
    pages: Sequence[IndexedPage], table: SynonymTable, params: bm25.Bm25Params | None = None
) -> SearchIndex:
    """The whole index from the pages' records (pages in any order; sorted newest first here)."""
    by_name = sorted(pages, key=lambda p: p.record.docname)
    ordered = tuple(sorted(by_name, key=lambda p: p.date, reverse=True))  # stable: newest first, then by name
    postings = score_postings(ordered, table, params or bm25.Bm25Params())
    aliases = {m: g.key for g in table.groups for m in g.members if m != g.key and " " not in m}
    aliases = {m: k for m, k in aliases.items() if k in postings and m not in postings}
    sizes = {t: _estimate(t, postings) for t in postings} | {m: len(m.encode()) * 2 + 6 for m in aliases}
    shards = split_shards(sizes)
    cho: dict[str, set[str]] = defaultdict(set)
    for term in list(postings) + list(aliases):
        initials = text.choseong(term)
        if len(initials) >= 2:
            cho[initials].add(term)
    return SearchIndex(
        ordered,
        postings,
        aliases,
        shards,
        table,
        {k: tuple(sorted(v)) for k, v in sorted(cho.items())},
    )
