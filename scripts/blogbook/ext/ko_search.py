"""Korean-aware full-text search for Sphinx (and so for Jupyter Book 1).

Why this exists
---------------
Sphinx ships no Korean search language: with `language = 'ko'` it falls back to
English, splits text on `\\w+` and Porter-stems every token.  Korean glues
particles and endings onto words (`도커를`, `도커는`, `차트의`, `실행합니다`), so
every inflected form becomes a separate index term, and the JS search only does
substring matching for terms longer than two characters and only when no exact
term exists.  A reader typing `도커를` then misses pages that say `도커는`.

This extension registers `SearchKorean` for `ko`.  It normalises each token the
same way at index time (Python) and at query time (JavaScript):

1. NFC-normalise and lowercase;
2. if the token contains Hangul, repeatedly strip the longest particle/ending
   from `SUFFIXES` that leaves a valid stem (a stem must end in at least
   `MIN_HANGUL_STEM` Hangul syllables, or in a non-Hangul character as in
   `docker를`);
3. if what remains contains no Hangul at all, apply the Porter stemmer that
   Sphinx's English search uses, so English words are indexed exactly as
   before (`containers` -> `contain`, `Docker를` -> `docker`).

Parity between the two implementations is guaranteed by construction: the JS
stemmer (`ko_search.js`, next to this module) is generated from the same
`SUFFIXES` tuple (embedded as JSON by `build_js_stemmer_code`), mirrors
`korean_stem` line by line, and for Latin stems uses the Snowball-generated
Porter JS that Sphinx ships (`search/minified-js`), which is compiled from the
same Snowball source as `snowballstemmer` on the Python side.  (Sphinx's
hand-written `sphinx.search.en.js_porter_stemmer` is *not* identical to the
Python stemmer; see `_snowball_porter_js`.)

Short terms: Sphinx's Python `word_filter` keeps 2-character Hangul words, but
`searchtools.js` treats every query term of length <= 2 as optional in
multi-word queries (`filteredTermCount`) and never substring-matches it.
The generated JS therefore wraps `Search.performTermsSearch`: Hangul terms
of any length are required, two-syllable ones get the substring fallback
longer terms have, and a page whose own title holds a query stem gets +1 to
break the ties stemming creates.  Queries without Hangul reach the original
function untouched, so English search behaves as before.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import snowballstemmer
from sphinx import package_dir
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.search import SearchLanguage
from sphinx.search.en import english_stopwords
from sphinx.util import logging

logger = logging.getLogger(__name__)

__all__ = [
    "ENDINGS",
    "MIN_HANGUL_STEM",
    "PARTICLES",
    "SUFFIXES",
    "SearchKorean",
    "korean_stem",
    "setup",
    "strip_korean_suffixes",
]

# Particles (조사), including stacked ones, the plural marker 들 and the
# copula forms.  Single syllables such as 라/으/이라 are here because longer
# entries end in them (라는 = 라 + 는): without them `인프라` and `인프라는`
# would get different stems.  `test_suffix_list_is_closed` checks that
# property.
PARTICLES: tuple[str, ...] = (
    # plain particles
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "의",
    "에",
    "에서",
    "에게",
    "에게서",
    "께서",
    "한테",
    "으로",
    "로",
    "와",
    "과",
    "도",
    "만",
    "까지",
    "부터",
    "처럼",
    "보다",
    "이나",
    "나",
    "랑",
    "이랑",
    "마다",
    "조차",
    "마저",
    "만큼",
    "들",
    "으",
    # stacked particles
    "에서는",
    "에서도",
    "에서의",
    "에서만",
    "으로는",
    "으로도",
    "으로의",
    "로는",
    "로도",
    "로의",
    "에는",
    "에도",
    "에만",
    "에의",
    "와의",
    "과의",
    "와는",
    "과는",
    "까지는",
    "까지도",
    "부터는",
    "만을",
    "만의",
    "만은",
    "에게는",
    # copula / quotation
    "이라는",
    "라는",
    "이란",
    "란",
    "이라고",
    "라고",
    "이라",
    "라",
    "이다",
    "입니다",
    "이며",
    "이고",
)

# Verb/adjective endings on 하다/되다 stems (실행합니다 -> 실행).  Only these two
# light verbs are handled: they turn Sino-Korean nouns into verbs, which is
# what technical prose is made of, and stripping them is safe.
ENDINGS: tuple[str, ...] = (
    # 하다
    "하",
    "하다",
    "합니다",
    "합니까",
    "한다",
    "하는",
    "하고",
    "하여",
    "하며",
    "하면",
    "하면서",
    "하려면",
    "하려고",
    "하도록",
    "하기",
    "하기도",
    "하지",
    "하지만",
    "하게",
    "하세요",
    "하십시오",
    "한",
    "할",
    "함",
    "해",
    "해서",
    "해야",
    "했다",
    "했습니다",
    "했고",
    "했던",
    "했으며",
    "했지",
    "했지만",
    # 되다
    "되",
    "되다",
    "됩니다",
    "된다",
    "되는",
    "되고",
    "되어",
    "되어야",
    "되어서",
    "되며",
    "되면",
    "되지",
    "되기",
    "되도록",
    "된",
    "될",
    "됨",
    "돼",
    "돼서",
    "됐다",
    "됐습니다",
    "되었다",
    "되었습니다",
    "되었고",
)

# All strippable suffixes, longest first (ties broken alphabetically so the
# order is deterministic and identical in the generated JS).
SUFFIXES: tuple[str, ...] = tuple(sorted(set(PARTICLES) | set(ENDINGS), key=lambda s: (-len(s), s)))

# A Hangul stem must keep at least this many trailing syllables, so `파이`
# is not cut to `파` while `차트의` still becomes `차트`.
MIN_HANGUL_STEM: int = 2

_HANGUL_FIRST: int = 0xAC00  # 가
_HANGUL_LAST: int = 0xD7A3  # 힣

# Korean function words that are never worth indexing.  Every entry must be a
# fixed point of `korean_stem` (checked by the tests), so the JS check on the
# raw query word and the Python check on the stem agree.  No nouns.
KOREAN_STOPWORDS: frozenset[str] = frozenset(
    {
        "및",
        "또는",
        "혹은",
        "그리고",
        "그래서",
        "따라서",
        "또한",
        "즉",
        "이런",
        "그런",
        "저런",
        "있다",
        "있습니다",
        "있는",
        "있고",
        "없다",
        "없습니다",
        "없는",
        "하다",
        "합니다",
        "한다",
        "된다",
        "됩니다",
        "위해",
        "위한",
        "대한",
        "대해",
        "통해",
        "같은",
    }
)


def _is_hangul(ch: str) -> bool:
    """Return True for a precomposed Hangul syllable (the only Hangul we strip)."""
    return _HANGUL_FIRST <= ord(ch) <= _HANGUL_LAST


def _has_hangul(word: str) -> bool:
    """Return True if any character is a Hangul syllable (decides Porter or not)."""
    return any(_is_hangul(ch) for ch in word)


def _trailing_hangul(word: str) -> int:
    """Count the Hangul syllables at the end of `word`."""
    count = 0
    for ch in reversed(word):
        if not _is_hangul(ch):
            break
        count += 1
    return count


def _is_valid_stem(rest: str) -> bool:
    """Decide whether `rest` may be left after stripping a suffix.

    A stem ending in Latin/digits (`docker` from `docker를`) is always fine;
    a Hangul stem needs `MIN_HANGUL_STEM` syllables so short nouns survive.
    """
    if not rest:
        return False
    if not _is_hangul(rest[-1]):
        return True
    return _trailing_hangul(rest) >= MIN_HANGUL_STEM


def _strip_once(word: str) -> str | None:
    """Strip the longest suffix that leaves a valid stem, or return None."""
    for suffix in SUFFIXES:
        if len(word) > len(suffix) and word.endswith(suffix):
            rest = word[: len(word) - len(suffix)]
            if _is_valid_stem(rest):
                return rest
    return None


def strip_korean_suffixes(word: str) -> str:
    """Strip particles/endings repeatedly until none applies.

    Repeating (rather than stripping once) makes a noun and its inflected forms
    meet: `오버레이` and `오버레이를` both end at `오버레`, `서버에서만` reaches
    `서버` without listing every stacked combination.
    """
    while word and _is_hangul(word[-1]):
        stripped = _strip_once(word)
        if stripped is None:
            break
        word = stripped
    return word


def korean_stem(word: str, porter: Callable[[str], str]) -> str:
    """Normalise one token; `porter` is snowball's Porter `stemWord`.

    `stemWord` in `ko_search.js` (rendered by `build_js_stemmer_code`) is a
    line-by-line mirror of this function.
    """
    w = unicodedata.normalize("NFC", word).lower()
    if _has_hangul(w):
        w = strip_korean_suffixes(w)
        if _has_hangul(w):
            return w
    return porter(w)


_SNOWBALL_JS_DIR: Path = Path(package_dir) / "search" / "minified-js"


def _snowball_porter_js() -> str:
    """Sphinx's Snowball-generated Porter JS (`PorterStemmer`).

    Sphinx ships two English Porter stemmers for the browser: the hand-written
    `sphinx.search.en.js_porter_stemmer` (what stock English search uses) and
    `search/minified-js/porter-stemmer.js`, generated by Snowball from the
    same algorithm source as Python's `snowballstemmer.stemmer('porter')`.
    Only the second is identical to the Python indexer: the hand-written one
    differs on e.g. `technology`, `topology`, `possibly`, `js`, `os`
    (70 of 91,440 distinct English words measured), so its query stems miss
    the index.  We load the generated pair exactly as Sphinx's IndexBuilder
    does for its Snowball languages, and fail loudly if the layout changes.
    """
    base = (_SNOWBALL_JS_DIR / "base-stemmer.js").read_text(encoding="utf-8")
    porter = (_SNOWBALL_JS_DIR / "porter-stemmer.js").read_text(encoding="utf-8")
    if "BaseStemmer=function" not in base or "PorterStemmer=function" not in porter:
        msg = f"ko_search: unexpected Snowball JS layout in {_SNOWBALL_JS_DIR}"
        raise RuntimeError(msg)
    return f"{base}\n{porter}\n"


_JS_PATH: Path = Path(__file__).with_name("ko_search.js")

# The JS side of the search (stemmer, splitter, `Search.performTermsSearch`
# patch), read once at import.  It is a file of its own so that it can be
# read, highlighted and edited as JavaScript; the Python data it needs goes in
# at its `/*@NAME@*/` markers (see `build_js_stemmer_code`).  Reading in text
# mode turns CRLF into LF, so a Windows checkout generates the same
# `language_data.js`.
_JS_TEMPLATE: str = _JS_PATH.read_text(encoding="utf-8")

_JS_MARKER: re.Pattern[str] = re.compile(r"/\*@([A-Z_]+)@\*/")


def build_js_stemmer_code() -> str:
    """Render the JS `Stemmer` from the Python data (the parity guarantee).

    `ko_search.js` marks each value with a JS comment such as `/*@SUFFIXES@*/`
    rather than `%(suffixes)s`: a comment cannot collide with JavaScript,
    whereas with `%` formatting every literal `%` (the modulo operator, a `%`
    in a string or regex) would raise or silently format something unless
    written `%%`, so the file would no longer be plain JavaScript.  The markers
    are replaced in one pass, so marker-like text inside an inserted value (the
    Snowball JS) is never substituted; a marker without a value, or a value
    whose marker is missing or repeated, raises instead of producing a stemmer
    that disagrees with the index.

    A blank line goes first so the generated block stands apart from the line
    Sphinx writes before it in `language_data.js`.
    """
    values = {
        "PORTER": _snowball_porter_js(),
        "SUFFIXES": json.dumps(list(SUFFIXES)),
        "MIN_HANGUL_STEM": str(MIN_HANGUL_STEM),
        "HANGUL_FIRST": str(_HANGUL_FIRST),
        "HANGUL_LAST": str(_HANGUL_LAST),
    }
    markers = _JS_MARKER.findall(_JS_TEMPLATE)
    if sorted(markers) != sorted(values):
        msg = f"ko_search: {_JS_PATH} has markers {sorted(markers)}, expected each of {sorted(values)} once"
        raise RuntimeError(msg)
    return "\n" + _JS_MARKER.sub(lambda m: values[m.group(1)], _JS_TEMPLATE)


JS_SPLITTER_CODE: str = "var splitQuery = KoSearch.splitQuery;\n"


class SearchKorean(SearchLanguage):
    """Korean search: particle/ending stripping plus English Porter for Latin."""

    lang = "ko"
    language_name = "Korean"
    stopwords = set(english_stopwords) | set(KOREAN_STOPWORDS)
    js_stemmer_code = build_js_stemmer_code()
    js_splitter_code = JS_SPLITTER_CODE

    def init(self, options: dict[str, str]) -> None:
        """Create the same Porter stemmer that `SearchEnglish` uses."""
        self._porter = snowballstemmer.stemmer("porter")

    def stem(self, word: str) -> str:
        """Normalise a token for the index; see `korean_stem`."""
        return korean_stem(word, self._porter.stemWord)

    def word_filter(self, word: str) -> bool:
        """Sphinx's filter plus Korean stopwords, which it ignores for non-Latin.

        Sphinx's base filter keeps two-syllable Hangul words already; this
        keeps that and only adds the Korean stopword check.
        """
        return super().word_filter(word) and word not in KOREAN_STOPWORDS


def _source_version() -> int:
    """A number that changes with this module or `ko_search.js` (data, stemmer or JS).

    Returned as `env_version`.  Sphinx then discards a cached environment
    and the old `searchindex.js` (whose `envversion` no longer matches)
    instead of mixing stems from two versions of the suffix list, and rewrites
    every page, so `language_data.js` is regenerated too: an incremental
    build with no changed source would otherwise keep the old JS stemmer.
    """
    sha = hashlib.sha256()
    for path in (Path(__file__), _JS_PATH):
        sha.update(path.read_bytes())
    return int(sha.hexdigest()[:8], 16) + 1


def _default_search_language(app: Sphinx, config: Config) -> None:
    """Use Korean search when the project left the language at its default.

    Jupyter Book 1 ignores a top-level `language:` key in `_config.yml`
    (only `sphinx: config: language:` reaches Sphinx), so a book that loads
    this extension may still build with `language = 'en'` and would silently
    get English search.  Loading the extension is the signal that Korean search
    is wanted, and English words are indexed as before either way.  An
    explicit `html_search_language` or another non-default `language`
    always wins.
    """
    if config.html_search_language or config.language not in (None, "en"):
        return
    config.html_search_language = SearchKorean.lang
    logger.info("ko_search: language is %r; using Korean search (html_search_language = 'ko')", config.language)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the `ko` search language; needs no configuration."""
    app.add_search_language(SearchKorean)
    app.connect("config-inited", _default_search_language)
    return {
        "version": "1.0",
        "env_version": _source_version(),
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
