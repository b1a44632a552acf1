"""BM25F: the ranking function, computed at build time for every (word, page).

Why BM25F and not Sphinx's scores: Sphinx gives a word found in any heading a fixed 15 and in
the body 5, whatever the number of occurrences or the page's length, so a page that names a
word in one heading beats the page that is about it. BM25 counts occurrences with saturation
(`k1`: the tenth `도커` adds little, the second a lot), normalises by length (`b`: a long page
is not better for being long) and weighs rare words above common ones (`idf`); BM25F (Robertson
and Zaragoza, "The Probabilistic Relevance Framework", 2009) does this over fields, each with a
weight and its own length normalisation, before the saturation, so a word in the title counts
like several in the body without the title alone deciding.

Every input is known when the book is built, so each posting carries its final score and a
query only adds the scores of its words: no statistics travel to the browser.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

FIELDS = ("title", "headings", "body")


@dataclass(frozen=True)
class Bm25Params:
    """The usual k1; per-field weights and length normalisation, chosen on the query set
    (tests/data/search_queries.yml) and the toy cases in tests/test_instant_search.py.

    A title counts like two and a half body occurrences, not more: with a heavier title one
    mention in a title beat four in the body of the page about the word. Titles and headings
    are short and alike in length, so their `b` is small (length says little about them).
    """

    k1: float = 1.2
    title_bonus: float = 0.5
    """Added (times idf) when the word is in the title *and* the body: see `score`."""
    weights: Mapping[str, float] = field(default_factory=lambda: {"title": 2.5, "headings": 1.5, "body": 1.0})
    b: Mapping[str, float] = field(default_factory=lambda: {"title": 0.3, "headings": 0.5, "body": 0.75})


def idf(documents: int, with_term: int) -> float:
    """Robertson-Sparck Jones idf, in the `1 +` form that never goes negative."""
    return math.log(1 + (documents - with_term + 0.5) / (with_term + 0.5))


def pseudo_frequency(
    counts: Mapping[str, int], lengths: Mapping[str, int], averages: Mapping[str, float], params: Bm25Params
) -> float:
    """The weighted, length-normalised term frequency summed over the fields (BM25F's tf~)."""
    total = 0.0
    for name in FIELDS:
        tf = counts.get(name, 0)
        if not tf:
            continue
        average = averages.get(name) or 1.0
        b = params.b[name]
        norm = 1 - b + b * lengths.get(name, 0) / average
        total += params.weights[name] * tf / norm
    return total


def score(frequency: float, term_idf: float, params: Bm25Params, titled: bool = False) -> float:
    """Saturate the pseudo-frequency and weigh it by rarity; `titled` adds the title bonus.

    Why a bonus outside the saturation: on long pages the body alone saturates (30 mentions or
    40 score nearly the same), so the title weight inside BM25F stops telling the page named
    after a word from a page that uses it as often. The author's title says what the page is
    about, so a page whose title *and* body hold the word gets `title_bonus * idf` on top. A
    title alone (a page that names the word once) gets no bonus, so it cannot beat the page
    about the word.
    """
    if frequency <= 0:
        return 0.0
    saturated = term_idf * frequency * (params.k1 + 1) / (frequency + params.k1)
    return saturated + (params.title_bonus * term_idf if titled else 0.0)
