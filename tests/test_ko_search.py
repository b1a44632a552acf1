"""Tests for `blogbook.ext.ko_search`: Python stemming, the built index, JS parity, e2e.

The browser tests run Debian's Chromium through Playwright.  Without Chromium
they are skipped locally but fail when ``CI=true``, because a green CI that
never ran the JS side would prove nothing about the search page.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sphinx.search.en import SearchEnglish

from blogbook.ext import ko_search
from blogbook.ext.ko_search import SUFFIXES, SearchKorean

from browser import chromium, serve

LANG: SearchKorean = SearchKorean({})
ENGLISH: SearchEnglish = SearchEnglish({})


# --------------------------------------------------------------------------
# Python stemming
# --------------------------------------------------------------------------

STEM_CASES: list[tuple[str, str]] = [
    # single particles
    ("도커를", "도커"),
    ("도커는", "도커"),
    ("도커의", "도커"),
    ("도커가", "도커"),
    ("쿠버네티스와", "쿠버네티스"),
    ("쿠버네티스는", "쿠버네티스"),
    ("가상머신을", "가상머신"),
    ("차트의", "차트"),
    ("이미지는", "이미지"),
    ("이미지를", "이미지"),
    ("노드를", "노드"),
    ("노드의", "노드"),
    ("파드가", "파드"),
    ("볼륨을", "볼륨"),
    ("서버로", "서버"),
    ("명령으로", "명령"),
    ("클러스터까지", "클러스터"),
    ("도커처럼", "도커"),
    # stacked particles
    ("컨테이너에서는", "컨테이너"),
    ("서버에서도", "서버"),
    ("서버에서만", "서버"),
    ("설정으로는", "설정"),
    ("노드에는", "노드"),
    ("도커와의", "도커"),
    ("헬름과의", "헬름"),
    ("헬름이라는", "헬름"),
    ("도커라는", "도커"),
    ("도커란", "도커"),
    ("컨테이너들을", "컨테이너"),
    # 하다/되다 endings
    ("실행합니다", "실행"),
    ("실행한다", "실행"),
    ("실행하는", "실행"),
    ("실행하고", "실행"),
    ("실행해서", "실행"),
    ("실행했다", "실행"),
    ("설치했습니다", "설치"),
    ("배포된다", "배포"),
    ("배포되는", "배포"),
    ("배포되어", "배포"),
    ("생성됩니다", "생성"),
    ("실행할", "실행"),
    ("실행하면", "실행"),
    # words that must not be cut
    ("파이", "파이"),
    ("파이를", "파이"),
    ("도커", "도커"),
    ("노드", "노드"),
    ("이미지", "이미지"),
    ("차트", "차트"),
    ("파드", "파드"),
    ("볼륨", "볼륨"),
    ("권한", "권한"),
    ("역할", "역할"),
    ("경로", "경로"),
    ("결과", "결과"),
    ("정의", "정의"),
    ("웹", "웹"),
    # Latin + particle reduces to the English stem
    ("Docker를", "docker"),
    ("Pod가", "pod"),
    ("ConfigMap을", "configmap"),
    ("containers를", "contain"),
    ("API는", "api"),
    # pure English: as Sphinx's English search
    ("containers", "contain"),
    ("Running", "run"),
    ("deployments", "deploy"),
]


@pytest.mark.parametrize(("word", "expected"), STEM_CASES)
def test_stem(word: str, expected: str) -> None:
    """Each inflected form reduces to the stem a reader would type."""
    assert LANG.stem(word) == expected


@pytest.mark.parametrize(
    "word",
    [
        "containers",
        "Running",
        "deployments",
        "generalization",
        "hopefully",
        "Kubernetes",
        "images",
        "configuring",
        "k8s",
        "v2",
        "the",
        "a",
        "x",
    ],
)
def test_english_is_unchanged(word: str) -> None:
    """Latin words get exactly Sphinx's English Porter stem (no regression)."""
    assert LANG.stem(word) == ENGLISH.stem(word)


def test_nfd_input_is_normalised() -> None:
    """Decomposed Hangul (e.g. from macOS files) stems like composed Hangul."""
    assert LANG.stem(unicodedata.normalize("NFD", "도커를")) == "도커"


NOUNS: list[str] = [
    "도커",
    "차트",
    "파드",
    "노드",
    "볼륨",
    "파이",
    "이미지",
    "쿠버네티스",
    "컨테이너",
    "가상머신",
    "인프라",
    "과부하",
    "그라파나",
    "오버레이",
    "전문가",
    "게이트웨이",
    "서버",
    "클러스터",
    "헬름",
    "매크로",
    "경로",
]
NOUN_PARTICLES: list[str] = [
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
    "에서는",
    "에서도",
    "으로는",
    "에는",
    "와의",
    "과의",
    "이라는",
    "라는",
    "란",
]


@pytest.mark.parametrize("noun", NOUNS)
def test_noun_and_its_forms_meet(noun: str) -> None:
    """Bare noun and noun+particle share a stem, from either side."""
    bare = LANG.stem(noun)
    mismatched = {noun + p: LANG.stem(noun + p) for p in NOUN_PARTICLES if LANG.stem(noun + p) != bare}
    assert not mismatched, (bare, mismatched)


def test_suffix_list_is_closed() -> None:
    """If S = P + B with B a suffix, P must be one too.

    Otherwise a noun ending in P (인프라) and that noun plus B (인프라는, where
    라는 matches) would get different stems.
    """
    suffixes = set(SUFFIXES)
    missing = {s[:i] for s in suffixes for i in range(1, len(s)) if s[i:] in suffixes and s[:i] not in suffixes}
    assert not missing


def test_stopwords_are_stem_fixed_points_and_not_nouns() -> None:
    """JS checks stopwords on the raw word, Python on the stem: keep them equal."""
    for word in ko_search.KOREAN_STOPWORDS:
        assert LANG.stem(word) == word
    for noun in [*NOUNS, "수", "것", "등", "때", "중"]:
        assert LANG.stem(noun) not in LANG.stopwords


@pytest.mark.parametrize("word", ["차트", "파드", "노드", "볼륨", "웹", "docker"])
def test_word_filter_keeps_short_stems(word: str) -> None:
    """Two-syllable (and one-syllable) stems must reach the index."""
    assert LANG.word_filter(word)


@pytest.mark.parametrize("word", ["및", "그리고", "the", "and"])
def test_word_filter_drops_stopwords(word: str) -> None:
    """Korean stopwords are dropped too, not only Latin ones as in Sphinx."""
    assert not LANG.word_filter(word)


def test_js_embeds_python_suffixes() -> None:
    """The JS is generated from SUFFIXES, not maintained by hand."""
    embedded = re.search(r"var SUFFIXES = (\[.*?\]);", LANG.js_stemmer_code)
    assert embedded is not None and json.loads(embedded.group(1)) == list(SUFFIXES)
    assert "PorterStemmer=function" in LANG.js_stemmer_code  # Snowball's
    assert "var Stemmer = function() {" not in LANG.js_stemmer_code


# --------------------------------------------------------------------------
# A tiny built site
# --------------------------------------------------------------------------

PAGES: dict[str, str] = {
    "index": """
안내
====

이 책은 개발자를 위한 안내서입니다.

.. toctree::
   :hidden:

   docker
   helm
   k8s
""",
    "docker": """
도커 기초
=========

도커는 컨테이너를 실행합니다. 가상머신과 달리 도커는 가볍습니다.
Docker를 설치하면 containers 명령을 쓸 수 있습니다.

볼륨 마운트
-----------

호스트 디렉터리를 연결합니다.
""",
    "helm": """
헬름 패키지
===========

헬름 차트의 구조를 설명합니다. 쿠버네티스는 차트를 배포합니다.
Pod가 실행되는 노드의 이미지를 고릅니다.
""",
    "k8s": """
클러스터와 볼륨 운영
====================

쿠버네티스 클러스터에서 파드와 볼륨을 관리합니다.
ConfigMap을 사용하여 설정을 주입합니다. Running containers in production.
Network topology is described in JS.
""",
}


def _conf_py(*extra: str) -> str:
    """conf.py for the tiny project: the extension, the language, ``extra``."""
    return "\n".join(
        [
            "project = 'ko-search-test'",
            "extensions = ['blogbook.ext.ko_search']",
            *extra,
            "",
        ]
    )


def _build_project(root: Path, conf: str) -> Path:
    """Write PAGES + conf.py under ``root`` and run sphinx-build -W -b html."""
    src = root / "src"
    src.mkdir()
    (src / "conf.py").write_text(conf, encoding="utf-8")
    for name, text in PAGES.items():
        (src / f"{name}.rst").write_text(text.lstrip(), encoding="utf-8")
    out = root / "html"
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(src), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the tiny project once per module, as the book does (language ko)."""
    return _build_project(tmp_path_factory.mktemp("ko_site"), _conf_py("language = 'ko'"))


def _load_index(out: Path) -> dict[str, Any]:
    """Parse searchindex.js (``Search.setIndex(<json>)``)."""
    text = (out / "searchindex.js").read_text(encoding="utf-8")
    prefix, suffix = "Search.setIndex(", ")"
    assert text.startswith(prefix) and text.endswith(suffix)
    return json.loads(text[len(prefix) : -len(suffix)])


def _docs_for(index: dict[str, Any], term: str) -> set[str]:
    """Docnames holding ``term`` in body or title terms."""
    found: set[str] = set()
    for table in (index["terms"], index["titleterms"]):
        files = table.get(term, [])
        for f in [files] if isinstance(files, int) else files:
            found.add(index["docnames"][f])
    return found


@pytest.mark.parametrize(
    ("term", "docs"),
    [
        ("도커", {"docker"}),
        ("차트", {"helm"}),
        ("파드", {"k8s"}),
        ("노드", {"helm"}),
        ("볼륨", {"docker", "k8s"}),
        ("이미지", {"helm"}),
        ("쿠버네티스", {"helm", "k8s"}),
        ("컨테이너", {"docker"}),
        ("가상머신", {"docker"}),
        ("실행", {"docker", "helm"}),
        ("docker", {"docker"}),
        ("pod", {"helm"}),
        ("configmap", {"k8s"}),
        ("contain", {"docker", "k8s"}),
        ("run", {"k8s"}),
    ],
)
def test_index_terms(built_site: Path, term: str, docs: set[str]) -> None:
    """Stems, not surface forms, are indexed, and map to the right pages."""
    assert _docs_for(_load_index(built_site), term) == docs


def test_index_has_no_surface_forms(built_site: Path) -> None:
    """Inflected forms must not leak into the index as separate terms."""
    index = _load_index(built_site)
    for form in ["도커는", "차트의", "쿠버네티스는", "실행합니다", "docker를"]:
        assert form not in index["terms"] and form not in index["titleterms"]


@pytest.mark.parametrize(
    ("extra", "korean"),
    [
        ((), True),  # Jupyter Book drops a top-level `language:`; still Korean
        (("language = 'ko_KR'",), True),
        (("html_search_language = 'en'",), False),  # explicit choice wins
    ],
)
def test_search_language_selection(tmp_path: Path, extra: tuple[str, ...], korean: bool) -> None:
    """Korean search needs no config beyond loading the extension."""
    index = _load_index(_build_project(tmp_path, _conf_py(*extra)))
    assert ("차트" in index["terms"]) is korean
    assert ("차트의" in index["terms"]) is not korean


def test_language_data_has_generated_stemmer(built_site: Path) -> None:
    """Sphinx wrote our stemmer and splitter into language_data.js."""
    js = (built_site / "_static" / "language_data.js").read_text(encoding="utf-8")
    assert LANG.js_stemmer_code in js
    assert ko_search.JS_SPLITTER_CODE in js


# --------------------------------------------------------------------------
# Browser: JS/Python parity and end-to-end search
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium via Playwright, one per module (skips or fails: tests/browser.py)."""
    with chromium() as launched:
        yield launched


PARITY_WORDS: list[str] = [
    *(w for w, _ in STEM_CASES),
    *(
        n + p
        for n in ["인프라", "오버레이", "그라파나", "과부하", "전문가"]
        for p in ["", "는", "를", "의", "라는", "이나"]
    ),
    "하지만",
    "그리고",
    "때문에",
    "이러한",
    "있습니다",
    "수",
    "것",
    "k8s의",
    "v2로",
    "helm차트의",
    "Kubernetes는",
    "NGINX를",
    "로그인",
    "generalization",
    "hopefully",
    "images",
    "configuring",
    "yaml",
    # where Sphinx's hand-written JS Porter disagrees with Python's Snowball one
    "technology",
    "topology",
    "possibly",
    "js",
    "os",
    "ies",
    "specced",
    unicodedata.normalize("NFD", "쿠버네티스는"),
    "",
    "ㅋㅋ",
    "123",
]

PARITY_QUERIES: list[str] = [
    "도커를 설치합니다",
    "Docker를 ConfigMap을 쓰는 법",
    "k8s/helm 차트의 구조",
    "foo_bar-baz 한국어.텍스트",
    "emoji 🐳 도커",
    "숫자 123 v2.0",
    "  여러   공백\t탭\n줄바꿈 ",
    "괄호(도커)와 [쿠버네티스]",
]


@pytest.fixture(scope="module")
def language_page(browser: Any, built_site: Path) -> Iterator[Any]:
    """A blank page with the site's generated language_data.js loaded."""
    js = (built_site / "_static" / "language_data.js").read_text(encoding="utf-8")
    page = browser.new_page()
    page.set_content("<!doctype html><html><body></body></html>")
    page.add_script_tag(content=js)
    yield page
    page.close()


@pytest.mark.browser
def test_js_stemmer_matches_python(language_page: Any) -> None:
    """new Stemmer().stemWord(w) in the browser equals Python's stem(w)."""
    js_stems = language_page.evaluate(
        "(ws) => { const s = new Stemmer(); return ws.map((w) => s.stemWord(w)); }",
        PARITY_WORDS,
    )
    py_stems = [LANG.stem(w) for w in PARITY_WORDS]
    diff = [(w, p, j) for w, p, j in zip(PARITY_WORDS, py_stems, js_stems, strict=True) if p != j]
    assert len(PARITY_WORDS) >= 80
    assert not diff


@pytest.mark.browser
def test_js_split_matches_python(language_page: Any) -> None:
    """splitQuery(q) in the browser equals Python's split(q) used for indexing."""
    js_splits = language_page.evaluate("(qs) => qs.map((q) => splitQuery(q))", PARITY_QUERIES)
    assert js_splits == [LANG.split(q) for q in PARITY_QUERIES]


@pytest.fixture(scope="module")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site on 127.0.0.1, shut down afterwards."""
    with serve(built_site) as base:
        yield base


def search(browser: Any, base_url: str, query: str) -> list[tuple[str, int]]:
    """Run the real search page; return (docname, score) in display order.

    searchtools.js appends one ``li > a[data-score]`` per result to
    ``#search-results ul.search`` and, once all are appended, writes the
    status into ``#search-results p.search-summary``; we wait for that text.
    """
    page = browser.new_page()
    try:
        page.goto(f"{base_url}search.html?q={urllib.parse.quote(query)}")
        page.wait_for_function(
            "() => { const s = document.querySelector("
            "'#search-results p.search-summary');"
            " return s !== null && s.textContent.trim().length > 0; }",
            timeout=15000,
        )
        links = page.eval_on_selector_all(
            "#search-results ul.search > li > a",
            "(as) => as.map((a) => [a.getAttribute('href'), a.dataset.score])",
        )
    finally:
        page.close()
    return [(href.split(".html")[0], int(score)) for href, score in links]


@pytest.mark.browser
def test_document_title_breaks_ties(browser: Any, site_url: str) -> None:
    """볼륨 is in a heading of docker and in the title of k8s: k8s first.

    Both score 15 in Sphinx (a title term), and Sphinx breaks ties by title,
    which would put 도커 기초 first.
    """
    hits = search(browser, site_url, "볼륨을")
    assert [doc for doc, _ in hits] == ["k8s", "docker"]
    assert hits[0][1] == hits[1][1] + 1


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ("도커를", {"docker"}, {"helm", "k8s"}),
        ("차트", {"helm"}, {"docker", "k8s"}),
        ("차트의", {"helm"}, {"docker", "k8s"}),
        ("쿠버네티스", {"helm", "k8s"}, {"docker"}),
        ("이미지는", {"helm"}, {"docker", "k8s"}),
        ("노드를", {"helm"}, {"docker", "k8s"}),
        ("파드 볼륨", {"k8s"}, {"docker", "helm"}),
        ("차트 쿠버네티스", {"helm"}, {"docker", "k8s"}),
        ("Docker를 컨테이너", {"docker"}, {"helm", "k8s"}),
        ("ConfigMap", {"k8s"}, {"docker", "helm"}),
        ("containers", {"docker", "k8s"}, {"helm"}),
        ("running production", {"k8s"}, {"docker", "helm"}),
        ("머신", {"docker"}, {"helm", "k8s"}),  # only inside 가상머신
        ("머신 컨테이너", {"docker"}, {"helm", "k8s"}),
        ("topology", {"k8s"}, {"docker", "helm"}),
        ("js", {"k8s"}, {"docker", "helm"}),
    ],
)
@pytest.mark.browser
def test_search_page(browser: Any, site_url: str, query: str, expected: set[str], absent: set[str]) -> None:
    """The real search page finds pages by any particle/ending form."""
    docs = {doc for doc, _ in search(browser, site_url, query)}
    assert expected <= docs, docs
    assert not (absent & docs), docs
