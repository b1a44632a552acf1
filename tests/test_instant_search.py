"""The book's own search index, without a browser: records, pairs, synonyms, BM25F, shards.

What a reader sees in Chromium is `tests/test_search.py` and `tests/test_search_box.py`; this
file checks the parts that decide it, on toy pages small enough to compute by hand.
"""

from __future__ import annotations

import json
import math
import re

import pytest
from docutils.core import publish_doctree
from hypothesis import given, settings
from hypothesis import strategies as st

from blogbook.ext.ko_search import SearchKorean
from blogbook.search import bm25, emit, text
from blogbook.search.index import IndexedPage, build_index, shard_key, split_shards
from blogbook.search.pairs import Pair, harvest, harvest_doctree
from blogbook.search.records import page_record
from blogbook.search.synonyms import build_table, resolve_pairs

LANG = SearchKorean({})


def record(docname: str, rst: str):
    """A page record from reStructuredText (its first section is the page's own, as in the book)."""
    doctree = publish_doctree(rst, settings_overrides={"doctitle_xform": False, "report_level": 5})
    title = doctree.next_node(lambda n: n.tagname == "title").astext()
    return page_record(docname, title, doctree)


def page(docname: str, rst: str, date: str = "2025-01-01") -> IndexedPage:
    return IndexedPage(record(docname, rst), f"{docname}.html", "공부", date)


# --- stems: the index stems exactly as Sphinx's Korean search (and so as the browser) ----------


@pytest.mark.parametrize("word", ["도커를", "쿠버네티스에서", "Docker를", "containers", "실행합니다", "파이", "k8s"])
def test_index_stems_like_the_search_language(word: str) -> None:
    assert text.stem(word) == LANG.stem(word)


def test_choseong() -> None:
    assert text.choseong("도커") == "ㄷㅋ"
    assert text.choseong("쿠버네티스") == "ㅋㅂㄴㅌㅅ"
    assert text.choseong("docker") == ""


# --- records: the article's text only -----------------------------------------------------------

PAGE = """
도커 이미지
===========

.. container:: post-meta

   .. container:: post-subtitle

      레이어와 캐시

   2025년 4월 2일 · 공부

도커를 처음 쓰면 이미지를 내려받습니다.

레이어의 구조
-------------

이미지는 레이어로 이루어집니다. ``docker build`` 를 실행합니다.

.. code-block:: text

   docker build -t app .

.. raw:: html

   <nav>메뉴 목차 사이드바</nav>
"""


def test_record_reads_the_article_and_nothing_else() -> None:
    rec = record("book/posts/x", PAGE)
    assert rec.title == "도커 이미지"
    assert rec.subtitle == "레이어와 캐시"
    texts = [b.text for b in rec.blocks]
    assert "레이어의 구조" in texts
    assert any("docker build -t app" in t for t in texts)
    assert not any("메뉴" in t or "2025년" in t for t in texts)
    assert [b.anchor for b in rec.blocks if b.heading] == ["레이어의-구조"] or all(
        b.anchor for b in rec.blocks if b.heading
    )
    counts = dict(rec.body_counts)
    assert counts["레이어"] == 1
    assert counts["이미지"] == 2
    assert "도커" in rec.title_stems
    assert "레이어" in rec.heading_stems  # the subtitle and the section heading


# --- BM25F on a toy index ---------------------------------------------------------------------


def test_idf_and_saturation_by_hand() -> None:
    params = bm25.Bm25Params()
    assert bm25.idf(10, 1) == pytest.approx(math.log(1 + 9.5 / 1.5))
    assert bm25.idf(10, 10) > 0  # never negative, even for a word on every page
    assert bm25.idf(10, 1) > bm25.idf(10, 5)
    one = bm25.score(1.0, 1.0, params)
    assert one == pytest.approx(1.0 * 2.2 / 2.2)
    ten = bm25.score(10.0, 1.0, params)
    assert one < ten < 2.2  # more occurrences count, with saturation at k1 + 1
    lengths = {"title": 2, "headings": 0, "body": 100}
    averages = {"title": 2.0, "headings": 1.0, "body": 100.0}
    tf = bm25.pseudo_frequency({"title": 1, "body": 3}, lengths, averages, params)
    assert tf == pytest.approx(2.5 * 1 + 1.0 * 3)
    longer = bm25.pseudo_frequency({"body": 3}, {**lengths, "body": 200}, averages, params)
    assert longer == pytest.approx(3 / (1 - 0.75 + 0.75 * 2))


ABOUT = """
컨테이너 런타임 정리
====================

runc 는 컨테이너를 만듭니다. runc 는 OCI 규격을 따릅니다. runc 의 설정을 봅니다. runc 로 실행합니다.
"""
TITLE_ONLY = """
runc 한 줄 메모
===============

오늘은 다른 이야기를 합니다. 네트워크와 볼륨을 정리합니다. 브리지 네트워크는 기본값이고 볼륨은 데이터를 남깁니다.
"""
NEITHER = """
헬름 차트
=========

차트는 템플릿입니다.
"""


def test_the_page_about_a_word_beats_the_page_that_names_it_once() -> None:
    index = build_index([page("about", ABOUT), page("title", TITLE_ONLY), page("other", NEITHER)], build_table([], []))
    names = [p.record.docname for p in index.pages]
    scores = {names[d]: s for d, s in index.postings["runc"]}
    assert set(scores) == {"about", "title"}
    assert scores["about"] > scores["title"]


def test_ties_go_to_the_newer_page() -> None:
    same = "\n같은 글\n======\n\n도커 이야기입니다.\n"
    index = build_index([page("old", same, "2024-01-01"), page("new", same, "2025-01-01")], build_table([], []))
    assert [p.record.docname for p in index.pages] == ["new", "old"]  # page number breaks score ties
    (first, s1), (second, s2) = index.postings["도커"]
    assert (first, second) == (0, 1)
    assert s1 == s2


def test_synonyms_are_one_word_in_the_index() -> None:
    korean = "\n도커 입문\n=========\n\n도커를 설치합니다.\n"
    english = "\nDocker intro\n============\n\nInstall Docker first.\n"
    table = build_table([["도커", "Docker"]], [])
    index = build_index([page("ko", korean), page("en", english)], table)
    assert "docker" not in index.postings  # stored under the group's key, with an alias
    assert len(index.postings["도커"]) == 2
    assert index.aliases["docker"] == "도커"


def test_phrase_members_count_as_adjacent_words() -> None:
    rst = "\nVM 이야기\n=========\n\nA virtual machine runs a kernel. The virtual machine is heavy.\n"
    table = build_table([["가상머신", "virtual machine"]], [])
    index = build_index([page("vm", rst)], table)
    assert "가상머신" in index.postings


def test_shards_split_by_prefix_and_every_term_has_one() -> None:
    sizes = {f"d{chr(97 + i)}{j}": 1000 for i in range(10) for j in range(5)} | {"d": 10, "도커": 10}
    shards = split_shards(sizes, limit=8000)
    assert "d" in shards
    assert "도" in shards
    assert any(len(k) == 2 and k.startswith("d") for k in shards)
    for term in sizes:
        assert term in shards[shard_key(term, shards)]


# --- pairs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prose", "expected"),
    [
        ("도커(Docker)를 설치합니다.", [("도커", "Docker")]),
        ("가상머신(Virtual Machine)은 무겁습니다.", [("가상머신", "Virtual Machine")]),
        ("Kubernetes(쿠버네티스)는 오케스트레이터입니다.", [("쿠버네티스", "Kubernetes")]),
        ("여기서 Control Plane(컨트롤 플레인)이 나옵니다.", [("컨트롤 플레인", "Control Plane")]),
        ("글에서는 헬름(Helm)을 다룹니다.", [("헬름", "Helm")]),
        ("함수(func)", [("함수", "func")]),  # prose: a pair; in code it is not (below)
    ],
)
def test_pairs_that_are_pairs(prose: str, expected: list[tuple[str, str]]) -> None:
    assert [(p.korean, p.english) for p in harvest(prose)] == expected


@pytest.mark.parametrize(
    "prose",
    [
        "옵션을 줍니다(예: x).",
        "설정(1)을 봅니다.",
        "옵션(e.g. rm)을 줍니다.",
        "옵션(e.g. --rm)을 줍니다.",
        "파일(config.yaml)을 엽니다.",
        "리소스(CPU, 메모리)를 나눕니다.",
        "파드의 상태(phase)를 봅니다.",  # the English glosses `파드의 상태`, not `상태`
        "민감한 값(Secret)은 따로 둡니다.",
        "비밀 값(Secret)은 따로 둡니다.",
        "k8s쿠버(K)",
        "이 글(Docker 편)은",
        "값(v2)",
    ],
)
def test_parentheses_that_are_not_pairs(prose: str) -> None:
    assert harvest(prose) == []


def test_code_is_never_harvested() -> None:
    rst = "\n제목\n====\n\n호출은 ``함수(func)`` 처럼 씁니다.\n\n.. code-block:: go\n\n   함수(func)\n\n도커(Docker)\n"
    doctree = publish_doctree(rst, settings_overrides={"doctitle_xform": False, "report_level": 5})
    assert harvest_doctree(doctree) == [Pair("도커", "Docker")]


def test_ambiguous_pairs_are_dropped() -> None:
    pairs = [Pair("설정", "ConfigMap"), Pair("설정", "JSON"), Pair("도커", "Docker"), Pair("도커", "Docker")]
    pairs += [Pair("파일", "file"), Pair("문서", "file")]
    assert resolve_pairs(pairs) == [("도커", "docker")]


def test_configured_and_harvested_groups_merge() -> None:
    table = build_table([["쿠버네티스", "Kubernetes", "k8s"]], [Pair("도커", "Docker")])
    keys = table.key_of()
    assert keys["kubernet"] == keys["k8"] == "쿠버네티스"
    assert keys["docker"] == "도커"


# --- files: data stays data ------------------------------------------------------------------

HOSTILE = st.text(alphabet=st.sampled_from(list("<>&\"'`/\\\u2028\u2029 \n도커ab()</script>")), max_size=60)


@settings(max_examples=60, deadline=None)
@given(title=HOSTILE, body=HOSTILE)
def test_post_text_round_trips_through_the_index_files_as_data(title: str, body: str) -> None:
    """Whatever a post says, the files carry it as JSON strings: `BlogSearch.add(name, data)`
    with the text coming back unchanged (the browser then inserts it with textContent)."""
    rst_title = title.strip() or "제목"
    rec = record("p", "\n" + "T\n=\n\n" + "본문 입니다.\n")
    rec = type(rec)(**{**rec.__dict__, "title": rst_title, "blocks": (type(rec.blocks[0])("", body or "x"),)})
    index = build_index([IndexedPage(rec, "p.html", "<b>part</b>", "2025-01-01")], build_table([], []))
    files = emit.render(index, "sig").files
    for name, data in files.items():
        source = data.decode("utf-8")
        match = re.fullmatch(r'BlogSearch\.add\(("[^"]*"),(.*)\);\n', source, re.DOTALL)
        assert match, name
        payload = json.loads(match.group(2))
        if name == "meta.js":
            assert payload["pages"][0][1] == rst_title
            assert payload["pages"][0][2] == "<b>part</b>"
        if name.startswith("f/"):
            assert payload[0][1] == (body or "x")
