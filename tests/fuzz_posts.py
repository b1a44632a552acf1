"""A grammar of hostile blog posts for `test_fuzz.py`, and what the blog showed of each one.

A post is built from chunks. Each chunk knows its Markdown lines and what a CommonMark
renderer (the blog) showed of them: `texts`, strings a reader saw as text, and `codes`,
strings shown inside a code block. Every such string carries a unique marker (`문장0042이
여기 있습니다.`, `링크0043`, `코드0044`...) so the test can look for it in the book's HTML.
Hostile payloads carry `PAYLOAD` or `alert(`, and paths aim at `/etc/passwd` and the
repository's `.git/config`, so a leak is easy to see.

The builders below are plain functions, numbered by a `Numbers` counter: the Hypothesis
strategies (`posts()`) draw choices and call them, and the fixed examples call them directly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import yaml
from hypothesis import strategies as st

PAYLOAD = "PAYLOAD"
GIT_SECRET = "GIT-CONFIG-SECRET-5b1e"
PASSWD_SECRET = "FAKE-PASSWD-SECRET-90c2"
PASSWD_LINE = "root:x:0:0"
"""The first bytes of every /etc/passwd, the real one and the fake ones the test plants."""
SECRETS = (PASSWD_LINE, PASSWD_SECRET, GIT_SECRET)

MARKER = re.compile(r"문장\d{4}이 여기 있습니다\.|(?:링크|굵게|강조|요약|코드|셀)\d{4}")
"""A marker sentence or word, which the blog showed as text wherever it stood."""

# Where hostile paths point: outside the repository, and into its .git folder.
PASSWD_PATHS = ("../../../../etc/passwd", "/etc/passwd", "../" * 12 + "etc/passwd")
GIT_PATHS = ("../../.git/config", "/.git/config", "./../../.git/config", "../../.git/../.git/config")
COVER = "../../static/image/cover.png"


class Numbers:
    """Hands out the post's unique marker numbers and collects its reference definitions."""

    def __init__(self) -> None:
        self.count = 0
        self.definitions: list[str] = []

    def next(self, word: str) -> str:
        self.count += 1
        return f"{word}{self.count:04d}"

    def sentence(self) -> str:
        return f"{self.next('문장')}이 여기 있습니다."

    def define(self, target: str) -> str:
        """A fresh reference label whose definition goes at the end of the post."""
        label = self.next("ref")
        self.definitions.append(f"[{label}]: {target}")
        return label


@dataclass
class Chunk:
    """Some Markdown lines (without container prefixes) and what the blog showed of them."""

    lines: list[str]
    texts: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    kind: str = "paragraph"

    @property
    def markers(self) -> list[str]:
        return [text for text in self.texts if MARKER.fullmatch(text)]


@dataclass
class Inline:
    """A piece of prose: its source, the text the blog showed of it, and where it may go."""

    source: str
    texts: list[str] = field(default_factory=list)
    own_line: bool = False
    """Line syntax for MyST (`% x`, `(x)=`, `+++`, `:::{x}`): only dangerous at a line start."""
    html: bool = False
    """Raw HTML: never at a line start, where CommonMark could read an HTML block."""


def role(name: str, content: str) -> Callable[[Numbers], Inline]:
    return lambda n: Inline(f"{{{name}}}`{content}`", [f"{{{name}}}{content}"])


def plain(source: str, shown: str = "") -> Callable[[Numbers], Inline]:
    return lambda n: Inline(source, [shown or source])


def line_syntax(source: str) -> Callable[[Numbers], Inline]:
    return lambda n: Inline(source, [source], own_line=True)


def html_inline(template: str, word: str = "", shown: str = "") -> Callable[[Numbers], Inline]:
    """Inline HTML (or what looks like it); `{m}` in the template is a marker the blog
    showed as text, `shown` more text it showed."""

    def make(n: Numbers) -> Inline:
        marker = n.next(word) if word else ""
        texts = [t for t in (marker, shown) if t]
        return Inline(template.replace("{m}", marker), texts, html=True)

    return make


def attributed(template: str, attributes: str, word: str) -> Callable[[Numbers], Inline]:
    """An element and MyST inline attributes (`attrs_inline`), which the blog showed as text."""

    def make(n: Numbers) -> Inline:
        marker = n.next(word) if word else ""
        return Inline(template.replace("{m}", marker) + attributes, [t for t in (marker, attributes) if t])

    return make


def link(target: str) -> Callable[[Numbers], Inline]:
    def make(n: Numbers) -> Inline:
        marker = n.next("링크")
        return Inline(f"[{marker}]({target})", [marker])

    return make


def image(target: str) -> Callable[[Numbers], Inline]:
    return lambda n: Inline(f"![{n.next('그림')}]({target})")


def reference(target: str, is_image: bool) -> Callable[[Numbers], Inline]:
    def make(n: Numbers) -> Inline:
        if is_image:
            return Inline(f"![{n.next('그림')}][{n.define(target)}]")
        marker = n.next("링크")
        return Inline(f"[{marker}][{n.define(target)}]", [marker])

    return make


def sentence(n: Numbers) -> Inline:
    text = n.sentence()
    return Inline(text, [text])


def strong(n: Numbers) -> Inline:
    text = n.sentence()
    return Inline(f"**{text}**", [text])


def code_span(n: Numbers) -> Inline:
    text = f"{n.next('코드')} $HOME {{{{ .Values }}}} <b>"
    return Inline(f"`{text}`", [text])


# Each kind of prose piece, with its variants. Kinds are switched on and off per post
# (swarm testing), so some posts are all roles and others all HTML.
INLINE: dict[str, list[Callable[[Numbers], Inline]]] = {
    "sentence": [sentence, strong, code_span],
    "role": [
        role("download", "../../.git/config"),
        role("eval-rst", ".. include:: /etc/passwd"),
        role("math", "x^2"),
        role("include", "/etc/passwd"),
        role("raw-html", '<script>alert("PAYLOAD")</script>'),
        role("abbr", "PAYLOAD (alert)"),
        role("doc", "../../.git/config"),
        role("sub-ref", "today"),
    ],
    "dollar": [plain("$x^2$"), plain("$5"), plain("$HOME"), plain("$$E=mc^2$$"), plain("\\$\\alpha$", "$\\alpha$")],
    "substitution": [plain("{{ PAYLOAD }}"), plain("{{ .Values.image.tag }}"), plain("{{title}}")],
    "escaped": [
        plain("\\{download}`../../.git/config`", "{download}../../.git/config"),
        plain("&#123;download}`../../.git/config`", "{download}../../.git/config"),
        plain("&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"),
        plain("\\<script>alert(1)\\</script>", "<script>alert(1)</script>"),
        plain("\\$x$ \\% \\(x)=", "$x$ % (x)="),
    ],
    "attrs": [
        attributed("[{m}](https://example.com/)", "{#PAYLOAD .x onclick=\"alert('PAYLOAD')\"}", "링크"),
        attributed("**{m}**", "{onmouseover=\"alert('PAYLOAD')\"}", "굵게"),
        attributed("`{m}`", "{.PAYLOAD}", "코드"),
        attributed(f"![{{m}}]({COVER})", "{onerror=\"alert('PAYLOAD')\" width=10px}", ""),
    ],
    "line_syntax": [
        line_syntax("% 주석 PAYLOAD"),
        line_syntax("(PAYLOAD-label)="),
        line_syntax("+++"),
        line_syntax('+++ {"PAYLOAD": 1}'),
        line_syntax(":::{note}"),
        line_syntax(":::{include} ../../.git/config"),
        line_syntax(":::"),
        line_syntax("$$"),
        line_syntax("{{ PAYLOAD }}"),
    ],
    "html": [
        html_inline('<script>alert("PAYLOAD")</script>'),
        html_inline("<img src=x onerror=alert(1)>"),
        html_inline("<iframe src=\"javascript:alert('PAYLOAD')\"></iframe>"),
        html_inline("<a href=\"javascript:alert('PAYLOAD')\">{m}</a>", "링크"),
        html_inline("<a href=\"JaVa&#x53;cript:alert('PAYLOAD')\">{m}</a>", "링크"),
        html_inline("<span onmouseover=\"alert('PAYLOAD')\">{m}</span>", "강조"),
        html_inline('<object data="../../.git/config"></object>'),
        html_inline("<svg onload=\"alert('PAYLOAD')\"></svg>"),
        html_inline('<img src="../../.git/config">'),
        html_inline(f'<img src="{COVER}" onerror="alert(1)">'),
        html_inline("<b>{m}</b>", "굵게"),
    ],
    "link": [
        *(link(path) for path in (*PASSWD_PATHS, *GIT_PATHS)),
        link("file:///etc/passwd"),
        link('javascript:alert("PAYLOAD")'),
        link("https://example.com/"),
        html_inline('<javascript:alert("PAYLOAD")>', shown='<javascript:alert("PAYLOAD")>'),
        *(image(path) for path in (*PASSWD_PATHS, *GIT_PATHS)),
        image(COVER),
    ],
    "reference": [
        *(
            reference(path, bool(is_image))
            for path in ("../../.git/config", "../../../../etc/passwd")
            for is_image in (0, 1)
        ),
        reference('/etc/passwd "PAYLOAD"', is_image=False),
        reference("<../../.git/config>", is_image=True),
        reference('javascript:alert("PAYLOAD")', is_image=False),
        reference(COVER, is_image=True),
    ],
}

HOSTILE_INLINE = ("html", "link", "reference")
"""Kinds a post with nothing but text and code leaves out (see `benign`)."""


def paragraph(pieces: list[Inline], breaks: list[bool]) -> Chunk:
    """Pieces joined by spaces, or by line breaks where `breaks` says and CommonMark allows."""
    text = ""
    for index, piece in enumerate(pieces):
        if index:
            previous = pieces[index - 1]
            newline = piece.own_line or previous.own_line or breaks[index % len(breaks)]
            text += "\n" if newline else " "
            if newline and piece.html:
                text += "그리고 "  # HTML at a line start could open an HTML block
        text += piece.source
    return Chunk(text.split("\n"), [t for p in pieces for t in p.texts])


def heading(level: int, pieces: list[Inline], setext: bool) -> Chunk:
    text = " ".join(piece.source for piece in pieces)
    texts = [t for p in pieces for t in p.texts]
    if setext and level <= 2:
        return Chunk([text, "=" * 4 if level == 1 else "-" * 4], texts, kind="heading")
    return Chunk(["#" * level + " " + text], texts, kind="heading")


def spacer() -> Chunk:
    """The blog's empty `#` line, which its theme showed as a gap."""
    return Chunk(["#"], kind="spacer")


CODE_LINES: tuple[str, ...] = (
    'print("{m}")',
    ":file: /etc/passwd",
    ":start-line: 0",
    ".. include:: /etc/passwd",
    ".. raw:: html",
    '   <script>alert("PAYLOAD")</script>',
    "{{ .Values.image.tag }} $HOME",
    "<img src=x onerror=alert(1)>",
    ":::{note}",
    "% 주석",
    "(label)=",
    "+++",
    "",
    "@FENCE@{eval-rst}",
)
FENCE_INFO: tuple[str, ...] = (
    "",
    "python",
    "bash",
    "{bash}",
    "{literalinclude} ../../../../etc/passwd",
    "{literalinclude} ../../.git/config",
    "{eval-rst}",
    "{raw} html",
    "{include} /etc/passwd",
    "{include} ../../.git/config",
    "{code-cell} python",
    "{csv-table}",
    "{note}",
    "{admonition} PAYLOAD",
    "{figure} ../../.git/config",
    "{toctree}",
    " {eval-rst}",
    "{.python}",
    "python {literalinclude} ../../.git/config",
)


def fence(char: str, size: int, info: str, body: list[str]) -> Chunk:
    """A fenced code block; lines that would close it are left out of `body` by the caller."""
    mark = char * size
    return Chunk([mark + info, *body, mark], codes=["\n".join(body)] if any(body) else [], kind="fence")


def code_lines(n: Numbers, picks: list[int], char: str, size: int) -> list[str]:
    """Code lines for a fence of `char` * `size`: the picks, then a marker line.

    The picks come first, where a leaked directive would read them as its options (`:file:`)
    or its rST. A line of the other fence character (or a shorter run of the same one) is
    code too; a line that would close the fence is left out.
    """
    other = ("~" if char == "`" else "`") * 3
    lines = []
    for pick in picks:
        line = CODE_LINES[pick % len(CODE_LINES)].replace("{m}", n.next("코드"))
        lines.append(line.replace("@FENCE@", other if size == 3 else char * 3))
    lines.append(f'print("{n.next("코드")}")')
    return [line for line in lines if not line.lstrip().startswith(char * size)]


def indented_code(n: Numbers) -> Chunk:
    body = [f"{n.next('코드')} = 1", "```{include} /etc/passwd", ":::{note}", "% 주석"]
    return Chunk(["    " + line for line in body], codes=["\n".join(body)], kind="indented")


def colon_fence(opener: str, inner: list[str]) -> Chunk:
    """`:::{note}` and friends: to CommonMark one paragraph of plain text."""
    lines = [opener, *inner, ":" * (len(opener) - len(opener.lstrip(":")))]
    return Chunk(lines, [" ".join(lines), *(line for line in inner if MARKER.fullmatch(line))], kind="colon")


COLON_OPENERS = (
    ":::{note}",
    ":::{include} ../../.git/config",
    "::::{admonition} PAYLOAD",
    ":::{raw} html",
    ":::{csv-table}",
    ":::{eval-rst}",
)
COLON_INNER = (":file: /etc/passwd", ":class: PAYLOAD", ".. include:: /etc/passwd", '{"PAYLOAD": 1}')


HTML_BLOCKS: tuple[tuple[str, ...], ...] = (
    ('<script>alert("PAYLOAD")</script>',),
    ("<script>", 'alert("PAYLOAD")', "</script>"),
    ("<div>", "@S@", "</div>"),
    ("<div onclick=\"alert('PAYLOAD')\">@S@</div>",),
    ('<iframe src="https://example.com/PAYLOAD" onload="alert(1)"></iframe>',),
    ("<a href=\"javascript:alert('PAYLOAD')\">", "@링크@", "</a>"),
    ("<details>", "<summary>@요약@</summary>", "", "@S@", "", "</details>"),
    ('<p align="center"><img src=x onerror="alert(1)"></p>',),
    (f'<img src="{COVER}" onerror="alert(\'PAYLOAD\')">',),
    ("<!-- PAYLOAD 주석 -->",),
    ("<style>body { display: none }</style>",),
    ("<table><tr><td>@셀@</td></tr></table>",),
    ('<object data="../../.git/config">', "</object>"),
    ("<embed src=/etc/passwd>",),
)
"""Raw HTML blocks; `@S@` is a marker sentence, `@word@` a marker word, both shown as text."""


def html_block(n: Numbers, variant: int) -> Chunk:
    """A raw HTML block, and the text the blog showed of it (script bodies are not shown)."""
    lines, texts = [], []
    for template in HTML_BLOCKS[variant % len(HTML_BLOCKS)]:
        line = template
        for word in re.findall(r"@([^@]+)@", template):
            marker = n.sentence() if word == "S" else n.next(word)
            texts.append(marker)
            line = line.replace(f"@{word}@", marker, 1)
        lines.append(line)
    return Chunk(lines, texts, kind="html")


def table(header: list[list[Inline]], rows: list[list[list[Inline]]]) -> Chunk:
    def row(cells: list[list[Inline]]) -> str:
        return "| " + " | ".join(" ".join(p.source for p in cell) for cell in cells) + " |"

    lines = [row(header), "|" + "---|" * len(header), *(row(cells) for cells in rows)]
    texts = [t for cells in (header, *rows) for cell in cells for p in cell for t in p.texts]
    return Chunk(lines, texts, kind="table")


def thematic_break(variant: int) -> Chunk:
    return Chunk([("---", "***", "___")[variant % 3]], kind="break")


def _indent(lines: list[str], first: str, rest: str) -> list[str]:
    return [(first if index == 0 else rest) + line if line else "" for index, line in enumerate(lines)]


def join(chunks: list[Chunk]) -> list[str]:
    """Chunks one after another, a blank line between each."""
    lines: list[str] = []
    for chunk in chunks:
        lines += [*([""] if lines else []), *chunk.lines]
    return lines


def list_block(items: list[list[Chunk]], ordered: bool, bullet: str = "-") -> Chunk:
    """A list whose items hold chunks; continuation lines indented under the item's text."""
    lines: list[str] = []
    for number, item in enumerate(items, start=1):
        first = f"{number}. " if ordered else f"{bullet} "
        lines += _indent(join(item), first, " " * len(first))
        lines.append("")
    chunks = [chunk for item in items for chunk in item]
    return Chunk(lines[:-1], [t for c in chunks for t in c.texts], [c for ch in chunks for c in ch.codes], "list")


def quote(chunks: list[Chunk]) -> Chunk:
    lines = [f"> {line}" if line else ">" for line in join(chunks)]
    return Chunk(lines, [t for c in chunks for t in c.texts], [c for ch in chunks for c in ch.codes], "quote")


# --- front matter -------------------------------------------------------------------------

TITLE_PIECES = (
    '<script>alert("PAYLOAD")</script>',
    "<img src=x onerror=alert(1)>",
    "{{ PAYLOAD }}",
    "$5",
    "$x$",
    '"따옴표"',
    "'작은따옴표'",
    "\\역슬래시\\",
    "{download}`../../.git/config`",
    "% 퍼센트",
    "# 해시",
    "*별표*",
    ":::{note}",
    "`",
    "[대괄호]",
    "&amp; &lt;",
)
CONTROL = ("\x00", "\x01", "\x07", "\x1b[31m", "\x7f", "\x85", "\u2028", "\u200b", "\t", "\ufeff", "\x9b")

# What YAML reads as itself inside double quotes; everything else is written as an escape.
_YAML_PLAIN = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def yaml_double(text: str) -> str:
    """A YAML double-quoted scalar for any text, controls and line breaks as escapes."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif _YAML_PLAIN.fullmatch(char):
            out.append(char)
        else:
            out.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def yaml_value(text: str, style: str) -> list[str]:
    """`key: ` is written by the caller; this is the value's text, possibly several lines."""
    if style == "literal" and all(_YAML_PLAIN.fullmatch(c) for c in text.replace("\n", "")):
        lines = text.split("\n")
        if all(line and not line[0].isspace() and line == line.rstrip() for line in lines):
            return ["|-", *("  " + line for line in lines)]
    if style == "single" and all(_YAML_PLAIN.fullmatch(c) for c in text) and text == text.strip():
        return ["'" + text.replace("'", "''") + "'"]
    if style == "json":
        return [json.dumps(text, ensure_ascii=False)] if _json_is_yaml(text) else [yaml_double(text)]
    return [yaml_double(text)]


def _json_is_yaml(text: str) -> bool:
    return all(_YAML_PLAIN.fullmatch(c) or c in "\n\t" or ord(c) < 0x20 for c in text)


FRONT_EXTRA = (
    'date: "2025.6.3"',
    "id: 7",
    'thumbnail: "cover.png"',
    'tags: [docker, "<b>PAYLOAD</b>", "{{ PAYLOAD }}"]',
)
"""The blog's other front-matter keys."""
FRONT_HOSTILE = (
    "kernelspec:\n  name: python3\n  display_name: PAYLOAD",
    "jupytext:\n  text_representation:\n    format_name: myst",
    "substitutions:\n  PAYLOAD: '<script>alert(\"PAYLOAD\")</script>'",
    "myst:\n  enable_extensions: [dollarmath, substitution]\n  html_meta:\n    http-equiv=refresh: 0; url=javascript:alert(1)",
    "html_meta:\n  http-equiv=refresh: 0; url=javascript:alert(1)",
)
"""Keys MyST or MyST-NB would act on in a page."""
DANGEROUS_KEYS = frozenset({"kernelspec", "jupytext", "substitutions", "html_meta", "mystnb", "file_format"})


@dataclass
class Front:
    lines: list[str]
    title: str
    """The title as the page should show it (after the `[category]` prefix)."""
    subtitle: str


def front(title: str, subtitle: str, styles: tuple[str, str], category: str, extra: list[str]) -> Front:
    """Front matter for a title and subtitle; checked to read back as exactly those values."""
    lines = ["---"]
    full = f"{category}{title}"
    for key, value, style in (("title", full, styles[0]), ("subtitle", subtitle, styles[1])):
        if key == "subtitle" and not value:
            continue
        first, *rest = yaml_value(value, style)
        lines += [f"{key}: {first}", *rest]
    lines += [*extra, "---"]
    data = yaml.safe_load("\n".join(lines[1:-1]))
    assert data["title"] == full, ("grammar bug: YAML reads the title back differently", lines)
    assert data.get("subtitle", "") == subtitle, ("grammar bug: YAML reads the subtitle back differently", lines)
    return Front(lines, title, subtitle)


# --- whole posts ----------------------------------------------------------------------------


@dataclass
class FuzzPost:
    """A generated post: file name, text, and what the blog showed of it."""

    name: str
    front: Front
    chunks: list[Chunk]
    definitions: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        lines = join(self.chunks)
        if self.definitions:
            lines += ["", *self.definitions]
        return "\n".join(lines) + "\n"

    @property
    def text(self) -> str:
        return "\n".join(self.front.lines) + "\n" + self.body

    @property
    def texts(self) -> list[str]:
        return [t for chunk in self.chunks for t in chunk.texts]

    @property
    def codes(self) -> list[str]:
        return [c for chunk in self.chunks for c in chunk.codes]

    @property
    def markers(self) -> list[str]:
        return [m for chunk in self.chunks for m in chunk.markers]

    def __repr__(self) -> str:
        return f"FuzzPost(name={self.name!r}, text=\n{self.text})"


def make_post(
    chunks: list[Chunk],
    numbers: Numbers | None = None,
    *,
    title: str = "제목9999",
    subtitle: str = "",
    style: str = "json",
    category: str = "[공부] ",
    extra: str = "",
) -> FuzzPost:
    """A post of these chunks (for the fixed examples); `numbers` brings its reference definitions."""
    head = front(title, subtitle, (style, style), category, [extra] if extra else [])
    return FuzzPost("fuzz", head, chunks, numbers.definitions if numbers else [])


# --- Hypothesis strategies ------------------------------------------------------------------

BLOCKS = ("paragraph", "heading", "fence", "colon", "html", "table", "list", "quote", "indented", "break", "spacer")


@dataclass
class _Drawer:
    """Draws one post's blocks: the post's enabled kinds of prose pieces and of blocks."""

    draw: st.DrawFn
    n: Numbers
    kinds: list[str]
    blocks: list[str]

    def inline(self, kinds: list[str], *, line: bool = True) -> Inline:
        usable = [k for k in kinds if line or k != "line_syntax"] or ["sentence"]
        kind = self.draw(st.sampled_from(usable))
        return self.draw(st.sampled_from(INLINE[kind]))(self.n)

    def pieces(self, *, line: bool = True, most: int = 4) -> list[Inline]:
        """A marker sentence or a harmless-looking start, then prose pieces of the enabled kinds."""
        if self.draw(st.booleans()):
            first = sentence(self.n)
        else:
            first = self.inline(["sentence", "role", "dollar", "substitution"])
        rest = [self.inline(self.kinds, line=line) for _ in range(self.draw(st.integers(0, most)))]
        return [first, *rest]

    def sequence(self, depth: int, size: int, item: bool = False) -> list[Chunk]:
        """Blocks one after another; indented code right after a list would continue the list."""
        chunks: list[Chunk] = []
        for index in range(size):
            chunk = self.chunk(depth, first_in_item=item and index == 0)
            if chunk.kind == "indented" and chunks and chunks[-1].kind == "list":
                chunk = paragraph([sentence(self.n)], [False])
            chunks.append(chunk)
        return chunks

    def chunk(self, depth: int, first_in_item: bool) -> Chunk:
        """One block; at most two containers deep. Indented code and thematic breaks never open
        a list item (`-     x` is code in the item, `- ---` a break of its own)."""
        usable = [b for b in self.blocks if depth < 2 or b not in ("list", "quote")]
        if first_in_item:
            usable = [b for b in usable if b not in ("indented", "break")]
        kind = self.draw(st.sampled_from(usable or ["paragraph"]))
        return getattr(self, f"_{kind}")(depth)

    def _paragraph(self, depth: int) -> Chunk:
        return paragraph(self.pieces(), self.draw(st.lists(st.booleans(), min_size=1, max_size=3)))

    def _heading(self, depth: int) -> Chunk:
        level = self.draw(st.integers(1, 6))
        return heading(level, self.pieces(line=False, most=2), self.draw(st.booleans()))

    def _fence(self, depth: int) -> Chunk:
        char, size = self.draw(st.sampled_from([("`", 3), ("`", 4), ("~", 3), ("~", 4)]))
        info = self.draw(st.sampled_from(FENCE_INFO))
        picks = self.draw(st.lists(st.integers(0, len(CODE_LINES) - 1), max_size=4))
        return fence(char, size, info, code_lines(self.n, picks, char, size))

    def _colon(self, depth: int) -> Chunk:
        opener = self.draw(st.sampled_from(COLON_OPENERS))
        inner = self.draw(st.lists(st.sampled_from(COLON_INNER), max_size=2))
        return colon_fence(opener, [*inner, self.n.sentence()])

    def _html(self, depth: int) -> Chunk:
        return html_block(self.n, self.draw(st.integers(0, len(HTML_BLOCKS) - 1)))

    def _table(self, depth: int) -> Chunk:
        width = self.draw(st.integers(1, 3))
        header = [self.pieces(line=False, most=1) for _ in range(width)]
        rows = [[self.pieces(line=False, most=1) for _ in range(width)] for _ in range(self.draw(st.integers(0, 2)))]
        return table(header, rows)

    def _list(self, depth: int) -> Chunk:
        ordered = self.draw(st.booleans())
        items = [
            self.sequence(depth + 1, self.draw(st.integers(1, 2)), item=True)
            for _ in range(self.draw(st.integers(1, 3)))
        ]
        return list_block(items, ordered, self.draw(st.sampled_from("-*+")))

    def _quote(self, depth: int) -> Chunk:
        return quote(self.sequence(depth + 1, self.draw(st.integers(1, 2))))

    def _indented(self, depth: int) -> Chunk:
        return indented_code(self.n)

    def _break(self, depth: int) -> Chunk:
        return thematic_break(self.draw(st.integers(0, 2)))

    def _spacer(self, depth: int) -> Chunk:
        return spacer()


@st.composite
def text_pieces(draw: st.DrawFn, n: Numbers, word: str, hostile: bool) -> str:
    """A title or subtitle: a marker word and pieces of trouble, maybe over several lines."""
    pieces = [n.next(word)]
    pool = TITLE_PIECES + (CONTROL if hostile else ())
    pieces += draw(st.lists(st.sampled_from(pool), max_size=4))
    text = ""
    for index, piece in enumerate(pieces):
        text += ("\n" if hostile and draw(st.booleans()) and index else " " if index else "") + piece
    return text


@st.composite
def posts(draw: st.DrawFn, benign: bool = False) -> FuzzPost:
    """A whole post. `benign`: no HTML, no links or images, single-line titles without control
    characters; what is left is text and code the blog showed, which must always convert."""
    n = Numbers()
    inline_kinds = [k for k in INLINE if k != "sentence" and not (benign and k in HOSTILE_INLINE)]
    kinds = ["sentence", *draw(st.lists(st.sampled_from(inline_kinds), unique=True))]
    block_kinds = [b for b in BLOCKS if not (benign and b == "html")]
    blocks = ["paragraph", *draw(st.lists(st.sampled_from(block_kinds), unique=True, min_size=1))]
    chunks = _Drawer(draw, n, kinds, blocks).sequence(0, draw(st.integers(1, 6)))
    title = draw(text_pieces(n, "제목", hostile=not benign))
    subtitle = draw(st.one_of(st.just(""), text_pieces(n, "부제", hostile=not benign)))
    styles = draw(st.tuples(*[st.sampled_from(["json", "double", "single", "literal"])] * 2))
    category = draw(st.sampled_from(["[공부] ", "[메모]", ""]))
    extra = draw(st.lists(st.sampled_from(FRONT_EXTRA), unique=True))
    if not benign and draw(st.integers(0, 4)) == 0:  # one post in five: most posts should convert
        extra.append(draw(st.sampled_from(FRONT_HOSTILE)))
    name = draw(st.sampled_from(["fuzz", "post-1", "a_b"]))
    return FuzzPost(name, front(title, subtitle, styles, category, extra), chunks, n.definitions)
