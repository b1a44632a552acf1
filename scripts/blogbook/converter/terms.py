"""A post's words as the book's search indexes them: the input of related posts.

Related posts compare posts by the stems the Korean search uses (`blogbook.ext.ko_search`), so
`도커를` and `도커는` are one word here as they are in the search box. The stemmer module
imports Sphinx (0.1 s): it is imported on first use, by a post being converted, never by a
run whose posts all come from the memo.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from .post import Post

TERMS_PER_POST = 60
"""The post's most frequent stems kept (in the memo too): enough to compare, small to store."""

_FENCE = re.compile(r"^(`{3,}|~{3,}).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
_NOISE = re.compile(r"<[^>\n]*>|\]\([^)\n]*\)|https?://\S+")
_WORD = re.compile(r"\w+")

_STEMMER: list[Callable[[str], str]] = []
_STOPWORDS: set[str] = set()


def _stemmer() -> Callable[[str], str]:
    if not _STEMMER:
        import functools

        import snowballstemmer

        from ..ext.ko_search import SearchKorean, korean_stem

        porter = snowballstemmer.stemmer("porter").stemWord
        _STOPWORDS.update(SearchKorean.stopwords)
        _STEMMER.append(functools.lru_cache(maxsize=65536)(lambda word: korean_stem(word, porter)))
    return _STEMMER[0]


def _words(text: str) -> list[str]:
    return _WORD.findall(_NOISE.sub(" ", _FENCE.sub(" ", text)))


def post_terms(post: Post) -> tuple[tuple[str, int], ...]:
    """The post's most frequent stems (title words count three times) with their counts;
    numbers, one-letter words and the search's stopwords are left out."""
    stem = _stemmer()
    counts: Counter[str] = Counter()
    for weight, text in ((3, post.title), (1, post.subtitle), (1, post.body)):
        for word in _words(text):
            if len(word) < 2 or word.isdigit() or word.lower() in _STOPWORDS:
                continue
            term = stem(word)
            if len(term) >= 2 and term not in _STOPWORDS:
                counts[term] += weight
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TERMS_PER_POST]
    return tuple(ranked)
