"""Raw HTML in a post, made harmless: an allow-list of elements and attributes, the rest shown as text.

A post is data, never code. MyST copies raw HTML into the built page as it is, so whatever a
post's HTML holds (`<script>`, `onerror=`, `javascript:` links, `<iframe>`, `<style>`, `<base>`,
`<meta http-equiv=refresh>`, ...) would run in every reader's browser. `sanitize` keeps the
elements and attributes listed below and writes every other piece of markup out as escaped text
(`&lt;script&gt;`): nothing runs, and the reader sees what the author wrote instead of losing it.

Why the output is safe whatever the input: it is built, never copied. Every `<` in it starts a
tag this module wrote itself (`<name attr="escaped value">`, names from the allow-lists); every
other `<` of the post is written `&lt;`. So however a browser (or `html.parser`, which differs
from browsers on malformed markup) would have read a broken or hostile post, it reads the
output as exactly the tags chosen here. `html.parser` only cuts the fragment into pieces; each
kept tag is read again by `_read_start_tag`, which follows the HTML standard's tokenizer, and a
tag the two do not read the same way is shown as text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from html.entities import html5 as _ENTITIES
from html.parser import HTMLParser
from types import MappingProxyType
from typing import Literal

# Elements a post may use. None of them runs code, loads a page, reads raw text (`<textarea>`,
# `<xmp>`) or switches to foreign content (`<svg>`, `<math>`), so no text can turn into markup.
ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        *("p", "div", "span", "br", "hr", "center", "wbr"),
        *("b", "strong", "i", "em", "u", "s", "del", "ins", "mark", "small", "sub", "sup"),
        *("kbd", "code", "pre", "samp", "var", "abbr", "q", "blockquote", "cite", "dfn", "time"),
        *("details", "summary", "figure", "figcaption", "picture", "source", "img", "a"),
        *("ul", "ol", "li", "dl", "dt", "dd", "ruby", "rt", "rp"),
        *("table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col"),
        *("h1", "h2", "h3", "h4", "h5", "h6"),
    }
)

# Attributes any allowed element may carry.
GLOBAL_ATTRIBUTES: frozenset[str] = frozenset({"title", "lang", "dir"})

_ALIGN = frozenset({"align"})
_CELL = frozenset({"colspan", "rowspan", "align"})
# Attributes per element, on top of `GLOBAL_ATTRIBUTES`. No `style` (overlays, fake dialogs),
# no `class` or `id` (they would reach the theme's CSS and JavaScript hooks), no `on*` handlers.
ALLOWED_ATTRIBUTES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "a": frozenset({"href"}),
        "img": frozenset({"src", "alt", "width", "height"}),
        "source": frozenset({"srcset", "type", "media"}),
        "td": _CELL,
        "th": _CELL,
        **dict.fromkeys(("p", "div", "h1", "h2", "h3", "h4", "h5", "h6"), _ALIGN),
        "ol": frozenset({"start", "type"}),
        "time": frozenset({"datetime"}),
        "abbr": frozenset({"title"}),
        "details": frozenset({"open"}),
    }
)

# Attributes holding URLs, and the schemes each accepts; a URL without a scheme is relative.
URL_SCHEMES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "href": frozenset({"http", "https", "mailto"}),
        "src": frozenset({"http", "https"}),
        "srcset": frozenset({"http", "https"}),
    }
)

# Presentational attributes blog HTML is full of (`<span style="color:red">`, `<table border=1>`,
# `<a target="_blank">`): not allowed, but dropped quietly rather than showing the whole tag as
# text, since the words around them read the same without them. Any attribute in neither list
# (`onerror`, `srcdoc`, `formaction`, `data-bs-toggle`, ...) makes its tag shown as text.
DROPPED_ATTRIBUTES: frozenset[str] = frozenset(
    {
        *("style", "class", "id", "name", "width", "height", "align", "valign", "border"),
        *("cellpadding", "cellspacing", "bgcolor", "color", "face", "size", "target", "rel"),
        *("loading", "decoding", "nowrap", "scope", "span"),
    }
)

# `html.parser` never sees the post's `&`: it would split text at character references and, on
# a stray `&#` with no `;` after it, take the whole rest of the fragment as text. Text is copied
# from the fragment itself, so the parser only needs to know where markup starts and ends.
_AMPERSAND_STAND_IN = "\ue000"
# What a browser skips between attributes (a lone `/` included) and around `=`.
_SPACE = "\t\n\f\r "
_TAG_OPEN = re.compile(rf"<([a-zA-Z][^{_SPACE}/>]*)")
_ATTRIBUTE_NAME = re.compile(rf"[{_SPACE}/]*([^{_SPACE}/>][^{_SPACE}/=>]*)")
_EQUALS = re.compile(rf"[{_SPACE}]*=")
_VALUE = re.compile(rf"""[{_SPACE}]*=[{_SPACE}]*("[^"]*"|'[^']*'|(?!["'])[^{_SPACE}>]*)""")
_TAG_CLOSE = re.compile(rf"([{_SPACE}/]*)>")
_TAIL = re.compile(r"<[a-zA-Z/!?][^<]*|<|[^<]+")
_END_TAG = re.compile(rf"</([a-zA-Z][a-zA-Z0-9]*)[{_SPACE}]*>")
# Entity names are at most 32 characters long; a longer run is cut, which changes nothing.
_REFERENCE = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|([a-zA-Z][a-zA-Z0-9]{0,31};?))")
# Browsers drop tabs and newlines anywhere in a URL and control characters or spaces at its ends.
_URL_NOISE = re.compile(r"[\t\n\r]")
_URL_EDGES = "".join(map(chr, range(0x21)))
_SCHEME = re.compile(r"([^/?#]*?):")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

_Kind = Literal["start", "end", "text", "markup", "content"]
_Verdict = Literal["keep", "drop", "reject"]


@dataclass(frozen=True)
class _Piece:
    """A stretch of the fragment: where it starts and what it is (it runs to the next piece).

    `content` is the inside of `<script>` or `<style>` (or, on newer Pythons, `<textarea>` and
    `<title>`), which the parser hands over as plain data; `tag_length` is a start tag's length.
    """

    start: int
    kind: _Kind
    tag_length: int = 0


@dataclass(frozen=True)
class _StartTag:
    """A start tag as the HTML standard reads it: lower-case names, decoded values (None: bare)."""

    name: str
    attributes: tuple[tuple[str, str | None], ...]
    closing: str
    """What came before `>`: `""`, `"/"` or `" /"` (a self-closing tag keeps its look)."""


class _Splitter(HTMLParser):
    """Records where each start tag, end tag, text run, comment or declaration starts.

    Only positions are kept: what a piece says is cut from the fragment, so the handlers'
    arguments (names lower-cased, references decoded) never reach the output.
    """

    def __init__(self, fragment: str) -> None:
        super().__init__(convert_charrefs=False)
        self._line_starts = [0, *(match.end() for match in re.finditer("\n", fragment))]
        self.pieces: list[_Piece] = []

    def _add(self, kind: _Kind, tag_length: int = 0) -> None:
        line, column = self.getpos()
        self.pieces.append(_Piece(self._line_starts[line - 1] + column, kind, tag_length))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add("start", len(self.get_starttag_text() or ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self._add("end")

    def handle_data(self, data: str) -> None:
        # Data starting with `<` is a tag the parser gave up on (`<img src=x onerror=...` with
        # no `>`) or a lone `<`: shown like any other markup the post cannot keep.
        kind: _Kind = "content" if self.cdata_elem else "markup" if data.startswith("<") else "text"
        self._add(kind)

    def handle_comment(self, data: str) -> None:
        self._add("markup")

    def handle_decl(self, decl: str) -> None:
        self._add("markup")

    def handle_pi(self, data: str) -> None:
        self._add("markup")

    def unknown_decl(self, data: str) -> None:
        self._add("markup")

    def parse_html_declaration(self, i: int) -> int:
        # `<![CDATA[...]]>` and `<![if ...]>` are bogus comments to a browser outside `<svg>`;
        # `html.parser` would raise AssertionError on an unknown `<![word[`.
        if self.rawdata.startswith("<![", i):
            return self.parse_bogus_comment(i)
        return super().parse_html_declaration(i)


def _head_pieces(head: str) -> tuple[list[_Piece], bool]:
    """The pieces of `head` as `html.parser` cuts it, and whether it ends inside `<script>`."""
    splitter = _Splitter(head)
    splitter.feed(head.replace("&", _AMPERSAND_STAND_IN))
    splitter.close()
    pieces = splitter.pieces
    # Text the parser passed over without a handler (`</>`; on newer Pythons an unclosed tag at
    # the end) joins the piece before it, or is a piece of its own at the start.
    if not pieces or pieces[0].start > 0:
        pieces.insert(0, _Piece(0, "markup"))
    consumed = len(head) - len(splitter.rawdata)
    if consumed < len(head):
        pieces.append(_Piece(consumed, "content"))
    return pieces, splitter.cdata_elem is not None


def _tail_pieces(fragment: str, cut: int, in_content: bool) -> list[_Piece]:
    """The pieces after the fragment's last `>`, where no tag, comment or declaration can end.

    Read here rather than by `html.parser`, which in older Pythons (3.11.7 here) reads the rest
    again at every `<` of such a tail: `<a ` written 20,000 times took minutes. As there, text
    runs to the first `<`; `<` and a letter, `/`, `!` or `?` starts markup running to the next
    `<`; any other `<` is markup on its own.
    """
    if cut == len(fragment):
        return []
    if in_content:
        return [_Piece(cut, "content")]
    return [_Piece(m.start(), "markup" if m[0][0] == "<" else "text") for m in _TAIL.finditer(fragment, cut)]


def _pieces(fragment: str) -> list[tuple[_Piece, str]]:
    """The fragment cut into pieces, each with its own text; together they are the fragment."""
    cut = fragment.rfind(">") + 1
    pieces, in_content = _head_pieces(fragment[:cut]) if cut else ([], False)
    pieces += _tail_pieces(fragment, cut, in_content)
    ends = [piece.start for piece in pieces[1:]] + [len(fragment)] if pieces else []
    return [(piece, fragment[piece.start : end]) for piece, end in zip(pieces, ends, strict=True)]


def _shown(raw: str) -> str:
    """Markup the post cannot keep, as text that reads exactly as written (`&` included)."""
    return html.escape(raw, quote=False)


def _text(raw: str) -> str:
    """Text as written, character references and all; only a `<` must not start a tag."""
    return raw.replace("<", "&lt;")


def _ascii_lower(name: str) -> str:
    """Lower-case as browsers do: ASCII letters only (`str.lower` maps the Kelvin sign to `k`)."""
    return name.translate(_ASCII_LOWER)


def _decode_reference(match: re.Match[str]) -> str:
    """One character reference in an attribute value, decoded the way the HTML standard says.

    Unlike `html.unescape`, a named reference without `;` followed by `=` or a letter or digit
    stays as written (`?a=1&param=2` keeps `&param`, not `¶m`), as browsers do in attributes.
    """
    written, name = match.group(0), match.group(1)
    if name is None:
        return html.unescape(written)
    known = next((name[:n] for n in range(len(name), 0, -1) if name[:n] in _ENTITIES), None)
    if known is None:
        return written
    rest = name[len(known) :]
    following = (rest or match.string[match.end() : match.end() + 1])[:1]
    if not known.endswith(";") and (following == "=" or (following.isascii() and following.isalnum())):
        return written
    return _ENTITIES[known] + rest


def _decode_attribute(raw: str) -> str:
    """An attribute value as the browser will hold it."""
    return _REFERENCE.sub(_decode_reference, raw).replace("\0", "\ufffd")


def _read_attributes(text: str, position: int) -> tuple[list[tuple[str, str | None]], int] | None:
    """The attributes from `position` on, and where they end; None when a quote is never closed."""
    attributes: list[tuple[str, str | None]] = []
    while name := _ATTRIBUTE_NAME.match(text, position):
        position = name.end()
        value: str | None = None
        if _EQUALS.match(text, position):
            written = _VALUE.match(text, position)
            if written is None:
                return None
            position = written.end()
            quoted = written.group(1)
            value = _decode_attribute(quoted[1:-1] if quoted[:1] in ('"', "'") else quoted)
        attributes.append((_ascii_lower(name.group(1)), value))
    return attributes, position


def _read_start_tag(text: str) -> _StartTag | None:
    """A whole start tag (`<` to `>`) read by the standard's tokenizer; None if it ends elsewhere.

    `html.parser` decides where a tag ends with its own rules (it accepts `title=="a>b"` as one
    quoted value; a browser ends that tag at the `>`). A tag the standard does not end exactly
    at the end of `text` is not kept.
    """
    opening = _TAG_OPEN.match(text)
    if opening is None:
        return None
    read = _read_attributes(text, opening.end())
    if read is None:
        return None
    attributes, position = read
    closing = _TAG_CLOSE.fullmatch(text, position)
    if closing is None:
        return None
    before = closing.group(1)
    slash = "" if not before.endswith("/") else " /" if before[:1] in _SPACE else "/"
    return _StartTag(_ascii_lower(opening.group(1)), tuple(attributes), slash)


def is_allowed_attribute(tag: str, name: str) -> bool:
    """Whether the allow-lists let element `tag` carry attribute `name` (both lower-case)."""
    return name in GLOBAL_ATTRIBUTES or name in ALLOWED_ATTRIBUTES.get(tag, frozenset())


def _url_is_safe(value: str, schemes: frozenset[str]) -> bool:
    """Whether a URL has no scheme or one of `schemes`, after the clean-up browsers do.

    Any `:` before the first `/`, `?` or `#` counts as ending a scheme, even where a browser
    would read a relative path (`a b:c`): stricter than needed, never looser.
    """
    url = _URL_NOISE.sub("", value).strip(_URL_EDGES)
    scheme = _SCHEME.match(url)
    return scheme is None or _ascii_lower(scheme.group(1)) in schemes


def _value_is_safe(name: str, value: str) -> bool:
    """Whether an allowed attribute's value is harmless: URLs must pass `_url_is_safe`.

    A `srcset` is checked word by word (split at spaces and commas): descriptors like `2x` have
    no scheme, and every URL, whatever its commas, has its scheme in some word.
    """
    schemes = URL_SCHEMES.get(name)
    if schemes is None:
        return True
    words = re.split(r"[\s,]+", value) if name == "srcset" else [value]
    return all(_url_is_safe(word, schemes) for word in words)


def _verdict(tag: str, name: str, value: str | None) -> _Verdict:
    """Keep an allowed attribute with a harmless value, drop a presentational one, else reject."""
    if is_allowed_attribute(tag, name):
        return "keep" if value is None or _value_is_safe(name, value) else "reject"
    return "drop" if name in DROPPED_ATTRIBUTES else "reject"


def _serialised(tag: _StartTag) -> str | None:
    """The tag rebuilt from its allowed attributes (the first of repeated ones, as browsers
    keep); None when the element, an attribute or a URL is not allowed."""
    if tag.name not in ALLOWED_TAGS:
        return None
    kept: dict[str, str | None] = {}
    for name, value in tag.attributes:
        verdict = _verdict(tag.name, name, value)
        if verdict == "reject":
            return None
        if verdict == "keep":
            kept.setdefault(name, value)
    attributes = "".join(
        f" {name}" if value is None else f' {name}="{html.escape(value, quote=True)}"' for name, value in kept.items()
    )
    return f"<{tag.name}{attributes}{tag.closing}>"


def _start(raw: str, tag_length: int) -> str:
    """A start tag piece: the rebuilt tag if allowed, else its text; anything after it as text."""
    tag = _read_start_tag(raw[:tag_length])
    serialised = _serialised(tag) if tag else None
    if serialised is None:
        return _shown(raw)
    return serialised + _shown(raw[tag_length:])


def _end(raw: str) -> str:
    """An end tag piece: `</name>` for an allowed element written plainly, else its text."""
    match = _END_TAG.match(raw)
    name = _ascii_lower(match.group(1)) if match else ""
    if match is None or name not in ALLOWED_TAGS:
        return _shown(raw)
    return f"</{name}>" + _shown(raw[match.end() :])


def _render(piece: _Piece, raw: str) -> str:
    """One piece as it goes into the page."""
    if piece.kind == "text":
        return _text(raw)
    if piece.kind == "start":
        return _start(raw, piece.tag_length)
    if piece.kind == "end":
        return _end(raw)
    return _shown(raw)


def sanitize(fragment: str) -> str:
    """The fragment with only allowed markup live; everything else reads as the author wrote it.

    - An allowed start tag is rebuilt: lower-case name, its allowed attributes in their order
      (`name="value"` with `html.escape(value, quote=True)`, a bare `name` stays bare), the
      self-closing `/` kept; presentational attributes in `DROPPED_ATTRIBUTES` are left out.
    - Any other tag, a tag with an unknown attribute or an unsafe URL, an end tag with more than
      its name, a comment, a doctype, `<?...>`, `<![CDATA[...]]>`, and a tag that is never closed
      are escaped (`&lt;script&gt;`), as is the content of `<script>` and `<style>`.
    - Text is kept as written, character references included; only a `<` becomes `&lt;`.

    Tags are not balanced: a fragment is often part of a construct (`<details>` opened in one
    HTML block, closed in another), and a stray end tag of an allowed element is harmless.
    `sanitize(sanitize(x)) == sanitize(x)`.
    """
    return "".join(_render(piece, raw) for piece, raw in _pieces(fragment))


def is_clean(fragment: str) -> bool:
    """Whether `sanitize` leaves the fragment byte for byte as it is: `sanitize(fragment) == fragment`.

    Deliberately exact, so that a caller keeping a clean fragment keeps precisely what `sanitize`
    would have written, with no trust placed in any parser agreeing with browsers. So a fragment
    is clean only when it uses allowed elements and attributes and writes them the way `sanitize`
    does: lower-case names, double-quoted values with `&`, `<`, `>`, `"`, `'` as references
    (`?a=1&amp;b=2`), no dropped attribute, and no bare `<` in text. `<br>`, `<br/>`, `<br />`,
    `<p align="center">` and `<details open>` are clean; `<P ALIGN=center>` or a `style` are not,
    though `sanitize` only rewrites them.
    """
    return sanitize(fragment) == fragment
