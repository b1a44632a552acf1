"""Raw HTML in a post is sanitised by an allow-list: nothing runs, nothing vanishes.

Every output is checked twice, independently of the sanitiser's own parsing: a strict pattern
that must account for every `<` in the output (so a browser can only see the tags it lists),
and BeautifulSoup, whose elements, attributes and URLs must all be allowed. Run more examples
with `FUZZ_EXAMPLES=5000 pytest tests/test_html_safety.py`.
"""

from __future__ import annotations

import html
import os
import re
import time
from html.parser import HTMLParser

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blogbook.converter.html_safety import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    DROPPED_ATTRIBUTES,
    GLOBAL_ATTRIBUTES,
    URL_SCHEMES,
    _pieces,
    is_allowed_attribute,
    is_clean,
    sanitize,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

VOID = {"br", "hr", "img", "source", "wbr", "col"}
# A tag exactly as `sanitize` writes one: no `<`, `>` or `"` can hide inside its values.
LIVE_TAG = re.compile(r'<(/?)([a-z][a-z0-9]*)((?: [a-z]+(?:="[^"<>]*")?)*)(?:/| /)?>')
LIVE_ATTRIBUTE = re.compile(r' ([a-z]+)(?:="([^"]*)")?')
SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
# Spaces and control characters, which browsers skip or strip in URLs, removed everywhere.
URL_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f]")


def url_scheme(value: str) -> str | None:
    """The scheme a (decoded) URL would have, stripped harder than any browser would."""
    match = SCHEME.match(URL_NOISE.sub("", value).lower())
    return match.group(1) if match else None


def assert_safe_url(name: str, value: str) -> None:
    """A decoded attribute value: a URL attribute's scheme, if any, is one it allows."""
    schemes = URL_SCHEMES.get(name)
    if schemes is None:
        return
    words = re.split(r"[\s,]+", value) if name == "srcset" else [value]
    for word in words:
        scheme = url_scheme(word)
        assert scheme is None or scheme in schemes, (name, value)


def assert_only_allowed_markup(output: str) -> None:
    """Every `<` starts an allowed tag with allowed attributes and safe URLs, read two ways."""
    remaining = LIVE_TAG.sub("", output)
    assert "<" not in remaining, output
    for closing, name, attributes in LIVE_TAG.findall(output):
        assert name in ALLOWED_TAGS, output
        assert not closing or not attributes, output
        for attribute, value in LIVE_ATTRIBUTE.findall(attributes):
            assert is_allowed_attribute(name, attribute), output
            assert_safe_url(attribute, html.unescape(value))
    for element in BeautifulSoup(output, "html.parser").find_all(True):
        assert element.name in ALLOWED_TAGS, output
        for attribute, value in element.attrs.items():
            assert is_allowed_attribute(element.name, attribute), output
            assert_safe_url(attribute, value if isinstance(value, str) else " ".join(value))


class _Text(HTMLParser):
    """The text a reader sees, exactly (BeautifulSoup turns a lone tab into a space, and in
    Python 3.11 takes all that follows a stray `&#` as text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible(output: str) -> str:
    reader = _Text()
    reader.feed(output)
    reader.close()
    return "".join(reader.parts)


# --- Allowed markup passes through -------------------------------------------------------------


def allowed_example(tag: str) -> str:
    """The tag with every attribute it may carry, in reverse alphabetical order, around text."""
    names = sorted(GLOBAL_ATTRIBUTES | ALLOWED_ATTRIBUTES.get(tag, frozenset()), reverse=True)
    values = {"href": "https://example.com/a?b=1&amp;c=2", "src": "/static/image/a.png", "srcset": "a.png 1x, b.png 2x"}
    attributes = "".join(f' {name}="{values.get(name, "값 &amp; &quot;x&quot;")}"' for name in names)
    if tag in VOID:
        return f"앞<{tag}{attributes}>뒤"
    return f"<{tag}{attributes}>내용 &lt;그대로&gt; &nbsp;&#54620;</{tag}>"


@pytest.mark.parametrize("tag", sorted(ALLOWED_TAGS))
def test_every_allowed_tag_passes_through(tag: str) -> None:
    fragment = allowed_example(tag)
    assert sanitize(fragment) == fragment
    assert is_clean(fragment)


@pytest.mark.parametrize(
    "fragment",
    [
        "",
        "그냥 글: &nbsp;&lt;&#54620;&#xD55C; & 한글 > 3; a&b",
        '<p align="center">\n<img src="../../static/image/cover.png" alt="표지" width="500">\n</p>',
        "<br><br/><br />",
        "<details open><summary><b>정답</b></summary>\n\n<kbd>Ctrl</kbd>+<kbd>C</kbd></details>",
        '<table><thead><tr><th colspan="2" align="left">머리</th></tr></thead>'
        '<tbody><tr><td rowspan="1">칸</td><td>칸</td></tr></tbody></table>',
        '<a href="mailto:me@example.com">메일</a> <a href="#top">위로</a> <a href="//cdn.example.com/x">x</a>',
        '<ol start="3" type="a"><li>셋</li></ol> H<sub>2</sub>O x<sup>2</sup>',
        '<picture><source srcset="https://example.com/a.webp 1x, /b.webp 2x" type="image/webp"></picture>',
        '<ruby>漢<rp>(</rp><rt>한</rt><rp>)</rp></ruby> <abbr title="HyperText">HTML</abbr>',
        "</div>stray end tags are harmless</span>",
    ],
)
def test_safe_fragments_are_clean(fragment: str) -> None:
    assert sanitize(fragment) == fragment
    assert is_clean(fragment)


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("<P ALIGN=center>가운데</P>", '<p align="center">가운데</p>'),
        ("<p title='It&#39;s'>x</p>", '<p title="It&#x27;s">x</p>'),
        ('<span style="color:red" class="big" id="x">빨강</span>', "<span>빨강</span>"),
        ('<a href="https://x.example" target="_blank" rel="noopener">x</a>', '<a href="https://x.example">x</a>'),
        ('<img src="a.png" style="width:50%" loading="lazy">', '<img src="a.png">'),
        ('<a href="https://a.example" href="https://b.example">x</a>', '<a href="https://a.example">x</a>'),
        # Browsers keep `&param` in an attribute (`html.unescape` would make it `¶m`).
        ('<a href="/q?a=1&param=2&copy=3&amp;b=4">x</a>', '<a href="/q?a=1&amp;param=2&amp;copy=3&amp;b=4">x</a>'),
        ('<a href="/q?&copy 2024">x</a>', '<a href="/q?© 2024">x</a>'),
        ('<details\nopen="">x</details>', '<details open="">x</details>'),
        ("<img src=a.png/>", '<img src="a.png/">'),
        ("a < b <3", "a &lt; b &lt;3"),
        # Old Internet Explorer ended the value at the backtick; browsers today keep it whole.
        ("<img src=x`onerror=alert(1)>", '<img src="x`onerror=alert(1)">'),
    ],
)
def test_allowed_tags_are_rewritten(fragment: str, expected: str) -> None:
    assert sanitize(fragment) == expected
    assert not is_clean(fragment)
    assert is_clean(expected)


# --- Hostile markup is shown, never live -------------------------------------------------------

# (fragment, text the reader must see); None: the whole fragment.
HOSTILE: list[tuple[str, str | None]] = [
    ("<script>alert(1)</script>", None),
    ("<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>", None),
    ('<script>document.write("<img src=x onerror=alert(1)>")</script>', None),
    ('<script>if (a &amp;&amp; b < c) alert("&lt;")</script>', None),
    ("<script>alert(1)", None),
    ("<img src=x onerror=alert(1)>", None),
    ("<img src=x onerror=alert(1)//", None),
    ("<IMG SRC=\"javascript:alert('XSS');\">", None),
    ("<IMG SRC=JaVaScRiPt:alert('XSS')>", None),
    (
        "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;1&#41;>",
        None,
    ),
    (
        "<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)>",
        None,
    ),
    ("<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x31&#x29>", None),
    ("<IMG SRC=\"jav\tascript:alert('XSS');\">", None),
    ("<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">", None),
    ("<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">", None),
    ("<IMG SRC=\"jav&#x0D;ascript:alert('XSS');\">", None),
    ("<IMG SRC=\" &#14;  javascript:alert('XSS');\">", None),
    ('<a href="\x01javascript:alert(1)">x</a>', '<a href="\x01javascript:alert(1)">'),
    ('<a href="  JaVaScRiPt:alert(1)">x</a>', '<a href="  JaVaScRiPt:alert(1)">'),
    ('<a href="javascript&colon;alert(1)">x</a>', '<a href="javascript&colon;alert(1)">'),
    ('<a href="javas&Tab;cript:alert(1)">x</a>', '<a href="javas&Tab;cript:alert(1)">'),
    ('<a href="&#106avascript:alert(1)">x</a>', '<a href="&#106avascript:alert(1)">'),
    ("<a href=javascript:alert(1)>x</a>", "<a href=javascript:alert(1)>"),
    (
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    ),
    ('<a href="vbscript:msgbox(1)">x</a>', '<a href="vbscript:msgbox(1)">'),
    ('<a href="file:///etc/passwd">x</a>', '<a href="file:///etc/passwd">'),
    ('<img src="data:image/svg+xml,<svg onload=alert(1)>">', None),
    (
        '<picture><source srcset="ok.png 1x, javascript:alert(1) 2x"></picture>',
        '<source srcset="ok.png 1x, javascript:alert(1) 2x">',
    ),
    (
        '<a href="https://ok.example" href="javascript:alert(1)">x</a>',
        '<a href="https://ok.example" href="javascript:alert(1)">',
    ),
    ('<iframe src="javascript:alert(1)"></iframe>', None),
    ('<iframe srcdoc="<script>alert(1)</script>"></iframe>', None),
    ('<object data="javascript:alert(1)"><param name="src" value="javascript:alert(1)"></object>', None),
    ('<embed src="javascript:alert(1)">', None),
    ("<style>@import 'http://xss.rocks/xss.css';</style>", None),
    ('<style>body{background:url("javascript:alert(1)")}</style>', None),
    ("<style>unclosed { color: red }", None),
    ('<form action="https://evil.example"><button formaction="javascript:alert(1)">x</button></form>', None),
    ("<svg onload=alert(1)>", None),
    ("<svg><script>alert(1)</script></svg>", None),
    ("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "<mglyph><style><img src=x onerror=alert(1)>"),
    ("<!--<img src=x onerror=alert(1)>-->", None),
    ("<!-- --!><img src=x onerror=alert(1)> -->", None),
    ("<!--> <img src=x onerror=alert(1)> -->", None),
    ('<base href="javascript:alert(1)//">', None),
    ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', None),
    ('<link rel="stylesheet" href="http://xss.rocks/xss.css">', None),
    ("<scr<script>ipt>alert(1)</scr</script>ipt>", None),
    ("<<script>alert(1);//<</script>", None),
    ("<body onload=alert(1)>", None),
    ('<p title="x" onclick="alert(1)">x</p>', '<p title="x" onclick="alert(1)">'),
    ('<p title=="x onmouseover=alert(1) y">', None),
    ('<p title=="<img src=x onerror=alert(1)>">', "<img src=x onerror=alert(1)>"),
    ('<a/href="javascript:alert(1)">x</a>', '<a/href="javascript:alert(1)">'),
    ('<img/src="x"/onerror=alert(1)>', None),
    ('<img src="x"onerror="alert(1)">', None),
    ('<IMG """><SCRIPT>alert("XSS")</SCRIPT>">', '<SCRIPT>alert("XSS")</SCRIPT>'),
    ('<textarea><p title="</textarea><img src=x onerror=alert(1)>">', "<textarea>"),
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>">', "<noscript>"),
    ("<xmp><script>alert(1)</script></xmp>", None),
    ("<plaintext><script>alert(1)</script>", None),
    ("<input onfocus=alert(1) autofocus>", None),
    ("<details open ontoggle=alert(1)>", None),
    ('<video><source onerror="alert(1)"></video>', None),
    ('<table background="javascript:alert(1)">', None),
    (
        '<span data-bs-toggle="modal" data-bs-target="#search">x</span>',
        '<span data-bs-toggle="modal" data-bs-target="#search">',
    ),
    ("<![CDATA[<script>alert(1)</script>]]>", None),
    ('<?xml version="1.0"?><script>alert(1)</script>', None),
    ("<!DOCTYPE html><script>alert(1)</script>", None),
    ("<![foo[ <script>alert(1)</script> ]]>", None),
    ("</p onclick=alert(1)>x", "</p onclick=alert(1)>"),
    ('</p title="><script>alert(1)</script>">', "<script>alert(1)</script>"),
    ("<template><script>alert(1)</script></template>", None),
    (
        '<a href="https://ok.example" style="position:fixed" onmouseover="alert(1)">x</a>',
        '<a href="https://ok.example" style="position:fixed" onmouseover="alert(1)">',
    ),
]


@pytest.mark.parametrize(("fragment", "shown"), HOSTILE)
def test_hostile_markup_is_shown_as_text(fragment: str, shown: str | None) -> None:
    output = sanitize(fragment)
    assert_only_allowed_markup(output)
    assert (shown or fragment) in visible(output)
    assert (shown or fragment) in BeautifulSoup(output, "html.parser").get_text()
    assert not is_clean(fragment)
    assert sanitize(output) == output


def test_there_are_enough_hostile_cases() -> None:
    assert len(HOSTILE) >= 30


def test_script_content_reads_as_written() -> None:
    """The inside of `<script>` is raw text to a browser: `&amp;` there means `&amp;`."""
    output = sanitize("<script>a &amp;&amp; b</script>")
    assert output == "&lt;script&gt;a &amp;amp;&amp;amp; b&lt;/script&gt;"
    assert visible(output) == "<script>a &amp;&amp; b</script>"


@pytest.mark.parametrize(
    ("fragment", "expected", "shown"),
    [
        # `html.parser` skips `</>` without a word; it stays, as text.
        ("앞</>뒤", "앞&lt;/>뒤", "앞</>뒤"),
        # A bogus comment runs to the first `>`, as in browsers; `html.parser` would raise on it.
        ("<![x[ 끝 ]]> &#z <b>굵게</b>", "&lt;![x[ 끝 ]]&gt; &#z <b>굵게</b>", "<![x[ 끝 ]]> &#z 굵게"),
        # A stray `&#` does not turn the rest into text (it would for `html.parser` alone).
        ("&#z <b>굵게</b>", "&#z <b>굵게</b>", "&#z 굵게"),
    ],
)
def test_nothing_is_lost_around_odd_markup(fragment: str, expected: str, shown: str) -> None:
    assert sanitize(fragment) == expected
    assert visible(expected) == shown


@pytest.mark.parametrize("unit", ["<a ", "<!--", "</", "<a b=", '<a b="x>', "<!x", "&#"])
def test_malformed_runs_take_linear_time(unit: str) -> None:
    """`html.parser` of Python 3.11.7 rereads the rest of the input at each unclosed `<a `."""
    fragment = unit * 10_000
    started = time.perf_counter()
    output = sanitize(fragment)
    assert time.perf_counter() - started < 2
    assert visible(output) == fragment


def test_allow_lists_hold_no_hooks_or_handlers() -> None:
    for tag, names in ALLOWED_ATTRIBUTES.items():
        assert tag in ALLOWED_TAGS
        assert not names & {"style", "class", "id"}
    assert not GLOBAL_ATTRIBUTES & DROPPED_ATTRIBUTES
    assert not any(name.startswith("on") for name in DROPPED_ATTRIBUTES)


# --- Properties over a grammar of fragments ---------------------------------------------------

HOSTILE_TAGS = [
    *("script", "style", "iframe", "object", "embed", "form", "base", "meta", "link", "svg", "math"),
    *("textarea", "title", "noscript", "xmp", "plaintext", "template", "input", "button", "body"),
    *("SCRIPT", "Img", "A", "scr<script", "a/", "x:y"),
]
MIXED_TAGS = sorted(ALLOWED_TAGS) + HOSTILE_TAGS
SAFE_ATTRIBUTES = sorted({*GLOBAL_ATTRIBUTES, *(name for names in ALLOWED_ATTRIBUTES.values() for name in names)})
HOSTILE_ATTRIBUTES = [
    *("onclick", "onerror", "onload", "OnMouseOver", "srcdoc", "formaction", "action", "xlink:href"),
    *("data", "data-bs-toggle", "HREF", "SRC", "background", "poster", "on", "=x", '"', "'", "<"),
]
MIXED_ATTRIBUTES = SAFE_ATTRIBUTES + sorted(DROPPED_ATTRIBUTES) + HOSTILE_ATTRIBUTES
URLS = [
    *("javascript:alert(1)", "JaVaScRiPt:alert(1)", "java&#x09;script:alert(1)", "&#106;avascript:x"),
    *("&#x6A&#x61vascript:x", " \x01javascript:x", "jav\nascript:x", "javascript&colon;x", "vbscript:x"),
    *("data:text/html,<script>alert(1)</script>", "file:///etc/passwd", "https://ok.example/a?b=1&c=2"),
    *("/static/image/a.png", "mailto:a@b.example", "#top", "//evil.example/x", "a.png 1x, javascript:x 2x"),
]
KOREAN = "가나다라마바사한글글자띄어쓰기"
TEXT_ALPHABET = KOREAN + "abcXYZ019 \n\t;#=/\"'>"
WILD_ALPHABET = TEXT_ALPHABET + "<&!-?[]`\x00\r\x0b\x0c\u212a"
ENTITIES = ["&amp;", "&lt;", "&gt;", "&quot;", "&nbsp;", "&#54620;", "&#xD55C;", "&copy;", "& "]

wild_text = st.text(WILD_ALPHABET, max_size=12)
values = st.one_of(st.sampled_from(URLS), wild_text, st.sampled_from(ENTITIES))
# `title`, ` href = 'x'`, `/src=x`, `onclick=="y"` (`html.parser` reads `==` as `=`), unclosed quotes.
attribute = st.one_of(
    st.tuples(st.sampled_from([" ", "\n", "/", "", "\t"]), st.sampled_from(MIXED_ATTRIBUTES)).map("".join),
    st.tuples(
        st.sampled_from([" ", "\n", "/", "", "  "]),
        st.sampled_from(MIXED_ATTRIBUTES),
        st.sampled_from(["=", "=", " = ", "=="]),
        st.sampled_from(['"', "'", ""]),
        values,
        st.sampled_from(['"', "'", ""]),
    ).map("".join),
)
start_tag = st.tuples(
    st.just("<"),
    st.sampled_from(MIXED_TAGS),
    st.lists(attribute, max_size=3).map("".join),
    st.sampled_from([">", ">", "/>", " />", "", " ", "<"]),
).map("".join)
end_tag = st.tuples(st.just("</"), st.sampled_from(MIXED_TAGS), st.sampled_from([">", " >", " x>", "", ' a=">">'])).map(
    "".join
)
odd_markup = st.sampled_from(
    [
        *("<!--", "-->", "--!>", "<!---->", "<!-- x -->", "<!DOCTYPE html>", "<?php echo 1 ?>", "<![CDATA[x]]>"),
        *("<![foo[", "<![ x", "</>", "<", "&", "&#", "&#x", "</ p>", "<!x>", "<%", "<a", "</", "<!"),
    ]
)
fragments = st.lists(st.one_of(start_tag, end_tag, odd_markup, wild_text, st.sampled_from(ENTITIES)), max_size=10).map(
    "".join
)


def assert_sanitized_well(fragment: str) -> None:
    """Only allowed markup is live, a second pass changes nothing, no character is dropped."""
    once = sanitize(fragment)
    assert_only_allowed_markup(once)
    assert sanitize(once) == once
    assert is_clean(once)
    assert "".join(raw for _, raw in _pieces(fragment)) == fragment


@FUZZ
@given(fragments)
def test_grammar_fragments(fragment: str) -> None:
    assert_sanitized_well(fragment)


@FUZZ
@given(st.text(max_size=40))
def test_any_text(fragment: str) -> None:
    assert_sanitized_well(fragment)


# A tamer grammar where the text a reader sees is known piece by piece: text shows decoded,
# allowed tags show nothing, hostile markup shows exactly as written. Pieces are (HTML, seen).
SAFE_URLS = ["https://example.com/a?b=1&c=2", "/static/image/a.png", "#top", "mailto:a@b.example", "그림.png 2x"]
safe_value = st.text(TEXT_ALPHABET + "&<", max_size=8)
text_piece = st.one_of(st.text(TEXT_ALPHABET, min_size=1, max_size=8), st.sampled_from([*ENTITIES, "< "])).map(
    lambda text: (text, html.unescape(text))
)


@st.composite
def allowed_piece(draw: st.DrawFn) -> tuple[str, str]:
    tag = draw(st.sampled_from(sorted(ALLOWED_TAGS)))
    if draw(st.booleans()):
        return f"</{tag}>", ""
    names = sorted(GLOBAL_ATTRIBUTES | ALLOWED_ATTRIBUTES.get(tag, frozenset()))
    parts = []
    for name in draw(st.lists(st.sampled_from(names), max_size=3, unique=True)):
        urls = [url for url in SAFE_URLS if url_scheme(url) in (None, *URL_SCHEMES.get(name, ()))]
        value = draw(st.sampled_from(urls) if name in URL_SCHEMES else safe_value)
        parts.append(f' {name}="{html.escape(value)}"')
    return f"<{tag}{''.join(parts)}>", ""


@st.composite
def hostile_piece(draw: st.DrawFn) -> tuple[str, str]:
    kind = draw(st.sampled_from(["tag", "comment", "script", "style", "attribute"]))
    body = draw(st.text(TEXT_ALPHABET + "&<", max_size=10).filter(lambda text: "</" not in text))
    quoted = html.escape(body)
    if kind == "comment":
        markup = "<!--" + body.replace("-", "").replace(">", "") + "-->"
    elif kind in ("script", "style"):
        markup = f"<{kind}>{body}</{kind}>"
    elif kind == "attribute":
        markup = f'<{draw(st.sampled_from(sorted(ALLOWED_TAGS)))} onclick="{quoted}">'
    else:
        name = draw(st.sampled_from(["iframe", "object", "embed", "form", "base", "meta", "svg", "input", "body"]))
        markup = f'<{name} src="{draw(st.sampled_from(URLS)).replace(chr(34), "")}" title="{quoted}">'
    return markup, markup


@FUZZ
@given(st.lists(st.one_of(text_piece, allowed_piece(), hostile_piece()), max_size=10))
def test_readers_see_the_same_text(pieces: list[tuple[str, str]]) -> None:
    output = sanitize("".join(markup for markup, _ in pieces))
    assert_only_allowed_markup(output)
    assert visible(output) == "".join(seen for _, seen in pieces)
