"""Korean-aware full-text search for Sphinx (and so for Jupyter Book 1).

Why this exists
---------------
Sphinx ships no Korean search language: with ``language = 'ko'`` it falls back
to English, splits text on ``\\w+`` and Porter-stems every token.  Korean glues
particles and endings onto words (``도커를``, ``도커는``, ``차트의``,
``실행합니다``), so every inflected form becomes a separate index term, and the
JS search only does substring matching for terms longer than two characters
and only when no exact term exists.  A reader typing ``도커를`` then misses
pages that say ``도커는``.

This extension registers :class:`SearchKorean` for ``ko``.  It normalises each
token the same way at index time (Python) and at query time (JavaScript):

1. NFC-normalise and lowercase;
2. if the token contains Hangul, repeatedly strip the longest particle/ending
   from :data:`SUFFIXES` that leaves a valid stem (a stem must end in at least
   :data:`MIN_HANGUL_STEM` Hangul syllables, or in a non-Hangul character as in
   ``docker를``);
3. if what remains contains no Hangul at all, apply the Porter stemmer that
   Sphinx's English search uses, so English words are indexed exactly as
   before (``containers`` -> ``contain``, ``Docker를`` -> ``docker``).

Parity between the two implementations is guaranteed by construction: the JS
stemmer is generated from the same :data:`SUFFIXES` tuple (embedded as JSON),
mirrors :func:`korean_stem` line by line, and for Latin stems uses the
Snowball-generated Porter JS that Sphinx ships (``search/minified-js``), which
is compiled from the same Snowball source as ``snowballstemmer`` on the Python
side.  (Sphinx's hand-written ``sphinx.search.en.js_porter_stemmer`` is *not*
identical to the Python stemmer; see :func:`_snowball_porter_js`.)

Short terms: Sphinx's Python ``word_filter`` keeps 2-character Hangul words, but
``searchtools.js`` treats every query term of length <= 2 as optional in
multi-word queries (``filteredTermCount``) and never substring-matches it.
The generated JS therefore wraps ``Search.performTermsSearch``: Hangul terms
of any length are required, two-syllable ones get the substring fallback
longer terms have, and a page whose own title holds a query stem gets +1 to
break the ties stemming creates.  Queries without Hangul reach the original
function untouched, so English search behaves as before.
"""

from __future__ import annotations

import hashlib
import json
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

#: Particles (조사), including stacked ones, the plural marker 들 and the
#: copula forms.  Single syllables such as 라/으/이라 are here because longer
#: entries end in them (라는 = 라 + 는): without them ``인프라`` and
#: ``인프라는`` would get different stems.  ``test_suffix_list_is_closed``
#: checks that property.
PARTICLES: tuple[str, ...] = (
    # plain particles
    "은", "는", "이", "가", "을", "를", "의", "에", "에서", "에게", "에게서",
    "께서", "한테", "으로", "로", "와", "과", "도", "만", "까지", "부터",
    "처럼", "보다", "이나", "나", "랑", "이랑", "마다", "조차", "마저", "만큼",
    "들", "으",
    # stacked particles
    "에서는", "에서도", "에서의", "에서만", "으로는", "으로도", "으로의", "로는",
    "로도", "로의", "에는", "에도", "에만", "에의", "와의", "과의", "와는", "과는",
    "까지는", "까지도", "부터는", "만을", "만의", "만은", "에게는",
    # copula / quotation
    "이라는", "라는", "이란", "란", "이라고", "라고", "이라", "라", "이다",
    "입니다", "이며", "이고",
)

#: Verb/adjective endings on 하다/되다 stems (실행합니다 -> 실행).  Only these two
#: light verbs are handled: they turn Sino-Korean nouns into verbs, which is
#: what technical prose is made of, and stripping them is safe.
ENDINGS: tuple[str, ...] = (
    # 하다
    "하", "하다", "합니다", "합니까", "한다", "하는", "하고", "하여", "하며",
    "하면", "하면서", "하려면", "하려고", "하도록", "하기", "하기도", "하지",
    "하지만", "하게", "하세요", "하십시오", "한", "할", "함", "해", "해서",
    "해야", "했다", "했습니다", "했고", "했던", "했으며", "했지", "했지만",
    # 되다
    "되", "되다", "됩니다", "된다", "되는", "되고", "되어", "되어야", "되어서",
    "되며", "되면", "되지", "되기", "되도록", "된", "될", "됨", "돼", "돼서",
    "됐다", "됐습니다", "되었다", "되었습니다", "되었고",
)

#: All strippable suffixes, longest first (ties broken alphabetically so the
#: order is deterministic and identical in the generated JS).
SUFFIXES: tuple[str, ...] = tuple(
    sorted(set(PARTICLES) | set(ENDINGS), key=lambda s: (-len(s), s))
)

#: A Hangul stem must keep at least this many trailing syllables, so ``파이``
#: is not cut to ``파`` while ``차트의`` still becomes ``차트``.
MIN_HANGUL_STEM: int = 2

_HANGUL_FIRST: int = 0xAC00  # 가
_HANGUL_LAST: int = 0xD7A3  # 힣

#: Korean function words that are never worth indexing.  Every entry must be a
#: fixed point of :func:`korean_stem` (checked by the tests), so the JS check
#: on the raw query word and the Python check on the stem agree.  No nouns.
KOREAN_STOPWORDS: frozenset[str] = frozenset({
    "및", "또는", "혹은", "그리고", "그래서", "따라서", "또한", "즉",
    "이런", "그런", "저런", "있다", "있습니다", "있는", "있고", "없다",
    "없습니다", "없는", "하다", "합니다", "한다", "된다", "됩니다",
    "위해", "위한", "대한", "대해", "통해", "같은",
})


def _is_hangul(ch: str) -> bool:
    """Return True for a precomposed Hangul syllable (the only Hangul we strip)."""
    return _HANGUL_FIRST <= ord(ch) <= _HANGUL_LAST


def _has_hangul(word: str) -> bool:
    """Return True if any character is a Hangul syllable (decides Porter or not)."""
    return any(_is_hangul(ch) for ch in word)


def _trailing_hangul(word: str) -> int:
    """Count the Hangul syllables at the end of ``word``."""
    count = 0
    for ch in reversed(word):
        if not _is_hangul(ch):
            break
        count += 1
    return count


def _is_valid_stem(rest: str) -> bool:
    """Decide whether ``rest`` may be left after stripping a suffix.

    A stem ending in Latin/digits (``docker`` from ``docker를``) is always fine;
    a Hangul stem needs MIN_HANGUL_STEM syllables so short nouns survive.
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
    meet: ``오버레이`` and ``오버레이를`` both end at ``오버레``, ``서버에서만``
    reaches ``서버`` without listing every stacked combination.
    """
    while word and _is_hangul(word[-1]):
        stripped = _strip_once(word)
        if stripped is None:
            break
        word = stripped
    return word


def korean_stem(word: str, porter: Callable[[str], str]) -> str:
    """Normalise one token; ``porter`` is snowball's Porter ``stemWord``.

    ``stemWord`` in the generated JS (:func:`build_js_stemmer_code`) is a
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
    """Sphinx's Snowball-generated Porter JS (``PorterStemmer``).

    Sphinx ships two English Porter stemmers for the browser: the hand-written
    ``sphinx.search.en.js_porter_stemmer`` (what stock English search uses) and
    ``search/minified-js/porter-stemmer.js``, generated by Snowball from the
    same algorithm source as Python's ``snowballstemmer.stemmer('porter')``.
    Only the second is identical to the Python indexer: the hand-written one
    differs on e.g. ``technology``, ``topology``, ``possibly``, ``js``, ``os``
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


_JS_TEMPLATE = """
/*
 * Korean search support, generated by ext/ko_search.py from the same suffix
 * data the Python indexer uses.  Do not edit the built file.
 */
%(porter)s

var KoSearch = (function () {
  "use strict";
  var SUFFIXES = %(suffixes)s;
  var MIN_HANGUL_STEM = %(min_stem)d;
  var HANGUL_FIRST = %(hangul_first)d;
  var HANGUL_LAST = %(hangul_last)d;

  var isHangul = function (ch) {
    var c = ch.charCodeAt(0);
    return c >= HANGUL_FIRST && c <= HANGUL_LAST;
  };
  var hasHangul = function (w) {
    for (var i = 0; i < w.length; i++) if (isHangul(w[i])) return true;
    return false;
  };
  var trailingHangul = function (w) {
    var n = 0;
    for (var i = w.length - 1; i >= 0 && isHangul(w[i]); i--) n++;
    return n;
  };
  var isValidStem = function (rest) {
    if (rest.length === 0) return false;
    if (!isHangul(rest[rest.length - 1])) return true;
    return trailingHangul(rest) >= MIN_HANGUL_STEM;
  };
  var stripOnce = function (w) {
    for (var i = 0; i < SUFFIXES.length; i++) {
      var s = SUFFIXES[i];
      if (w.length > s.length && w.endsWith(s)) {
        var rest = w.slice(0, w.length - s.length);
        if (isValidStem(rest)) return rest;
      }
    }
    return null;
  };
  var stripKoreanSuffixes = function (w) {
    while (w.length > 0 && isHangul(w[w.length - 1])) {
      var stripped = stripOnce(w);
      if (stripped === null) break;
      w = stripped;
    }
    return w;
  };
  var porter = new PorterStemmer();
  var stemWord = function (word) {
    var w = word.normalize("NFC").toLowerCase();
    if (hasHangul(w)) {
      w = stripKoreanSuffixes(w);
      if (hasHangul(w)) return w;
    }
    return porter.stemWord(w);
  };
  /* Same tokens as Python's re.findall(r"\\w+"), which builds the index. */
  var splitQuery = function (query) {
    return query.match(/[\\p{L}\\p{N}_]+/gu) || [];
  };

  /*
   * searchtools.js treats query terms of length <= 2 as optional when more
   * than one term is given (filteredTermCount), so "차트 쿠버네티스" would
   * return pages without 차트.  Hangul stems of two syllables are real words,
   * so for queries containing them we require every term that Sphinx would
   * require plus every Hangul term.  Queries without Hangul go to Sphinx
   * unchanged.
   */
  var isStopStem = function (t) {
    return hasHangul(t) && typeof stopwords !== "undefined" &&
      stopwords.indexOf(t) !== -1;
  };
  var isRequired = function (t) { return t.length > 2 || hasHangul(t); };
  var patchSearch = function () {
    if (typeof Search === "undefined" || Search._koPatched) return;
    var original = Search.performTermsSearch;
    Search.performTermsSearch = function (searchTerms, excludedTerms) {
      var all = Array.from(searchTerms);
      if (!all.some(hasHangul)) return original(searchTerms, excludedTerms);
      var terms = all.filter(function (t) { return !isStopStem(t); });
      var shortKo = terms.filter(function (t) {
        return t.length <= 2 && hasHangul(t);
      });
      var results = shortKo.length === 0
        ? original(new Set(terms), excludedTerms)
        : requireAll(original, terms, excludedTerms);
      return boostDocumentTitles(results, terms);
    };
    Search._koPatched = true;
  };
  /*
   * Sphinx scores a term in *any* section title at 15, so the page named
   * after a word ties with every page that has it in some subheading, and
   * ties sort by title.  Stemming makes such ties common (every 파드를/파드의
   * heading now counts as 파드), so add 1 when the stem is in the page's own
   * title, as Sphinx does for its title-substring results.
   */
  var titleStems = new Map();
  var documentTitleHas = function (file, terms) {
    if (!titleStems.has(file)) {
      var title = Search._index.titles[file] || "";
      titleStems.set(file, new Set(splitQuery(title).map(stemWord)));
    }
    var stems = titleStems.get(file);
    return terms.some(function (t) { return stems.has(t); });
  };
  var boostDocumentTitles = function (results, terms) {
    results.forEach(function (r) {
      var file = Search._index.docnames.indexOf(r[0]);
      if (file !== -1 && documentTitleHas(file, terms)) r[4] += 1;
    });
    return results;
  };
  var fileHasTerm = function (term, file) {
    var idx = Search._index;
    return [idx.terms[term], idx.titleterms[term]].some(function (f) {
      return f === file || (Array.isArray(f) && f.indexOf(file) !== -1);
    });
  };
  /*
   * Sphinx only substring-matches terms longer than two characters.  A
   * two-syllable Hangul stem is as specific as a long Latin word, and Korean
   * writes compounds without spaces (가상머신), so give it the same fallback:
   * when the stem is not an index term itself, match terms that contain it.
   */
  var addPartial = function (byDoc, t) {
    var idx = Search._index;
    var tables = [[idx.terms, Scorer.partialTerm],
                  [idx.titleterms, Scorer.partialTitle]];
    tables.forEach(function (pair) {
      var table = pair[0], score = pair[1];
      if (t.length < 2 || table.hasOwnProperty(t)) return;
      Object.keys(table).forEach(function (term) {
        if (term.indexOf(t) === -1) return;
        var files = table[term];
        (Array.isArray(files) ? files : [files]).forEach(function (file) {
          var docName = idx.docnames[file];
          var old = byDoc.get(docName);
          if (old && old[4] >= score) return;
          byDoc.set(docName, [docName, idx.titles[file], "", null, score,
                              idx.filenames[file]]);
        });
      });
    });
  };
  /* Run Sphinx's matcher per term, then intersect over required terms. */
  var requireAll = function (original, terms, excludedTerms) {
    var perTerm = terms.map(function (t) {
      var byDoc = new Map();
      original(new Set([t]), new Set()).forEach(function (r) {
        byDoc.set(r[0], r);
      });
      if (t.length <= 2 && hasHangul(t)) addPartial(byDoc, t);
      return { term: t, byDoc: byDoc };
    });
    var required = perTerm.filter(function (p) { return isRequired(p.term); });
    if (required.length === 0) return [];
    var results = [];
    required[0].byDoc.forEach(function (first, docName) {
      if (!required.every(function (p) { return p.byDoc.has(docName); })) return;
      var file = Search._index.docnames.indexOf(docName);
      var excluded = Array.from(excludedTerms).some(function (t) {
        return fileHasTerm(t, file);
      });
      if (excluded) return;
      var score = Math.max.apply(null, perTerm.filter(function (p) {
        return p.byDoc.has(docName);
      }).map(function (p) { return p.byDoc.get(docName)[4]; }));
      var result = first.slice();
      result[4] = score;
      results.push(result);
    });
    return results;
  };
  return {
    stemWord: stemWord,
    splitQuery: splitQuery,
    patchSearch: patchSearch
  };
})();

var Stemmer = function () {
  this.stemWord = KoSearch.stemWord;
};

/* language_data.js normally loads after searchtools.js; if a theme loads it
   first, patch once the document is parsed (before Search.init runs). */
if (typeof Search !== "undefined") {
  KoSearch.patchSearch();
} else if (typeof document !== "undefined") {
  document.addEventListener("DOMContentLoaded", KoSearch.patchSearch);
}
"""


def build_js_stemmer_code() -> str:
    """Render the JS ``Stemmer`` from the Python data (the parity guarantee)."""
    return _JS_TEMPLATE % {
        "porter": _snowball_porter_js(),
        "suffixes": json.dumps(list(SUFFIXES)),
        "min_stem": MIN_HANGUL_STEM,
        "hangul_first": _HANGUL_FIRST,
        "hangul_last": _HANGUL_LAST,
    }


JS_SPLITTER_CODE: str = "var splitQuery = KoSearch.splitQuery;\n"


class SearchKorean(SearchLanguage):
    """Korean search: particle/ending stripping plus English Porter for Latin."""

    lang = "ko"
    language_name = "Korean"
    stopwords = set(english_stopwords) | set(KOREAN_STOPWORDS)
    js_stemmer_code = build_js_stemmer_code()
    js_splitter_code = JS_SPLITTER_CODE

    def init(self, options: dict[str, str]) -> None:
        """Create the same Porter stemmer that ``SearchEnglish`` uses."""
        self._porter = snowballstemmer.stemmer("porter")

    def stem(self, word: str) -> str:
        """Normalise a token for the index; see :func:`korean_stem`."""
        return korean_stem(word, self._porter.stemWord)

    def word_filter(self, word: str) -> bool:
        """Sphinx's filter plus Korean stopwords, which it ignores for non-Latin.

        Sphinx's base filter keeps two-syllable Hangul words already; this
        keeps that and only adds the Korean stopword check.
        """
        return super().word_filter(word) and word not in KOREAN_STOPWORDS


def _source_version() -> int:
    """A number that changes whenever this file (data, stemmer or JS) changes.

    Returned as ``env_version``.  Sphinx then discards a cached environment
    and the old ``searchindex.js`` (whose ``envversion`` no longer matches)
    instead of mixing stems from two versions of the suffix list, and rewrites
    every page, so ``language_data.js`` is regenerated too: an incremental
    build with no changed source would otherwise keep the old JS stemmer.
    """
    digest = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    return int(digest[:8], 16) + 1


def _default_search_language(app: Sphinx, config: Config) -> None:
    """Use Korean search when the project left the language at its default.

    Jupyter Book 1 ignores a top-level ``language:`` key in ``_config.yml``
    (only ``sphinx: config: language:`` reaches Sphinx), so a book that loads
    this extension may still build with ``language = 'en'`` and would silently
    get English search.  Loading the extension is the signal that Korean search
    is wanted, and English words are indexed as before either way.  An
    explicit ``html_search_language`` or another non-default ``language``
    always wins.
    """
    if config.html_search_language or config.language not in (None, "en"):
        return
    config.html_search_language = SearchKorean.lang
    logger.info("ko_search: language is %r; using Korean search (html_search_language"
                " = 'ko')", config.language)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the ``ko`` search language; needs no configuration."""
    app.add_search_language(SearchKorean)
    app.connect("config-inited", _default_search_language)
    return {
        "version": "1.0",
        "env_version": _source_version(),
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
