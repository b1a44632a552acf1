"""Words to stems, the same way the browser does it.

The index and the query must agree on every stem, so this module adds nothing of its own to
the stemming: `korean_stem` with Snowball's Porter is the function Sphinx's Korean search uses
at index time, and `language_data.js` (generated from the same table) is what the browser
loads to stem a query. The splitter is Sphinx's (`\\w+`, mirrored in JS by
`[\\p{L}\\p{N}_]+`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import snowballstemmer

from ..ext.ko_search import SearchKorean, korean_stem

WORD = re.compile(r"\w+")
STOPWORDS: frozenset[str] = frozenset(SearchKorean.stopwords)
"""English and Korean function words: never index terms (the JS query drops them too)."""

_PORTER = snowballstemmer.stemmer("porter")

_CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
"""Initial consonants in the order of the Unicode syllable block (compatibility jamo)."""


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """One word's stem (cached: a book repeats its words, and Porter is the slow part)."""
    return korean_stem(word, _PORTER.stemWord)


def words(text: str) -> list[str]:
    """The words of a text, as Sphinx and the browser split it."""
    return WORD.findall(text)


def stems(text: str) -> list[str]:
    """Stems of a text's words, stopwords left out, in text order (phrases need the order)."""
    out = []
    for word in WORD.findall(text):
        s = stem(word)
        if s and s not in STOPWORDS and word.lower() not in STOPWORDS:
            out.append(s)
    return out


def word_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """Each word's start, end and stem: what a snippet needs to mark a word by its stem."""
    for match in WORD.finditer(text):
        yield match.start(), match.end(), stem(match.group())


def choseong(word: str) -> str:
    """`도커` -> `ㄷㅋ`: the initial consonants of a word's Hangul syllables ('' if any is not)."""
    out = []
    for ch in word:
        code = ord(ch) - 0xAC00
        if not 0 <= code <= 11171:
            return ""
        out.append(_CHOSEONG[code // 588])
    return "".join(out)


def is_latin(word: str) -> bool:
    """A word of ASCII letters and digits only (typo tolerance is for these)."""
    return word.isascii() and word.isalnum()
