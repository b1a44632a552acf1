"""A post is data, never code: fuzz the converter with hostile posts (grammar in `fuzz_posts.py`).

For every generated post, in a scratch project holding a fake `.git/config` and fake
`etc/passwd` files where `../../../../etc/passwd` lands, the real CLI (in-process) must either

* refuse it: exit 1, each stderr line `posts/<name>.md:<line>: <message>` pointing into the
  post, and no file or folder of the project created, changed or removed; or
* convert it: exit 0, and the page, rendered to HTML by MyST's docutils parser with file
  insertion and raw output enabled (so a leaked `include`, `csv-table :file:` or `raw` really
  would act), shows
  (a) every marker sentence and every text the blog showed, as text, and every code block
      the blog showed, byte for byte (but for blank lines at its ends, which Pygments drops),
      inside a code block; the title and subtitle as text;
  (b) no live `<script>`/`<iframe>`/`<object>`/`<embed>`/... element, no `on*` attribute,
      no `javascript:`/`vbscript:`/`file:`/`data:text/html` URL, no payload in a live attribute;
  (c) no byte of `/etc/passwd` or of the repository's `.git/config` (nor do the other files
      the converter wrote);
  (d) no "Unknown directive" or "Unknown interpreted text role" message, and no other
      docutils error (the post was read as MyST commands, or broke the page);
  (e) the same post converted again gives the same bytes (`--check` after the run, and again
      without the memo);
  (f) no Markdown link or image whose target is a local file outside `book/` and `static/`
      (Sphinx copies such files into the site: `.git/config` would be published);
  (g) no front-matter key of the post that MyST or MyST-NB would act on (`kernelspec`,
      `substitutions`, `myst: enable_extensions`, an `http-equiv` meta tag) reaches the page.

Also: posts with no HTML and no links or images (text and code the blog showed) must convert.

FUZZ_EXAMPLES=3000 runs thousands of posts; the default keeps the file to a few seconds. A failing
post is not shrunk unless FUZZ_SHRINK=1 (minutes); Hypothesis replays it first on the next run.
"""

from __future__ import annotations

import contextlib
import io
import os
import posixpath
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import fuzz_posts as g
import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from docutils.core import publish_string
from hypothesis import HealthCheck, Phase, given, settings
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig, TopmatterReadError, read_topmatter
from myst_parser.parsers.docutils_ import Parser
from myst_parser.parsers.mdit import create_md_parser

from blogbook.converter.cli import main

from conftest import ROOT, make_project

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    # Shrinking a failure converts and renders hundreds of posts (minutes): on request only.
    # The failing post is saved and replayed first on the next run either way.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, *([Phase.shrink] if os.environ.get("FUZZ_SHRINK") else [])],
    report_multiple_bugs=False,
)

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
EXTENSIONS = list(CONFIG["parse"]["myst_enable_extensions"])
"""The book's MyST extensions (colon_fence, attrs_inline, linkify, tasklist)."""

PAGES = "book/posts"
PUBLISHED = ("book/", "static/")
"""Where a page's local links and images may point: the book's own sources."""

FORBIDDEN_ELEMENTS = frozenset(
    [
        "script",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "base",
        "form",
        "style",
        "link",
        "meta",
        "svg",
        "math",
        "noscript",
        "template",
    ]
)
URL_ATTRIBUTES = frozenset(
    ["href", "src", "data", "action", "formaction", "poster", "background", "cite", "lowsrc", "dynsrc", "xlink:href"]
)
BAD_SCHEMES = ("javascript:", "vbscript:", "livescript:", "file:", "data:text/html")
TEXT_ATTRIBUTES = frozenset({"title", "alt", "id", "class", "name", "href"})
"""Attributes where a payload is harmless text (a heading's id, a link's title, a linkified
URL's address; `javascript:` in an href is checked on its own)."""

PROBLEM_LINE = re.compile(r"posts/(?P<name>[^/:]+)\.md:(?P<line>\d+): (?P<message>\S.*)")
DOCUTILS_MESSAGE = re.compile(r"\((?P<level>INFO|WARNING|ERROR|SEVERE)/\d\) (?P<message>[^\n]*)")
LEAKED = re.compile(r"Unknown directive type|Unknown interpreted text role")
DOCUTILS_ONLY = re.compile(r"Unknown target name")
"""Docutils cannot resolve a link to a local file, where Sphinx would: checked as (f) instead."""


# --- the scratch project and the converter ---------------------------------------------------


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    """A project with a secret in `.git/config`, and a fake `etc/passwd` where
    `../../../../etc/passwd` lands from the pages' folder and from the posts' folder."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as temporary:
        base = Path(temporary)
        root = make_project(base / "a" / "outer" / "proj").root
        (root / ".git").mkdir()
        (root / ".git" / "config").write_text(f"[core]\n\tsecret = {g.GIT_SECRET}\n", encoding="utf-8")
        for etc in (base / "a" / "etc", base / "etc"):  # ../../../../ from book/posts and from posts
            etc.mkdir(parents=True)
            (etc / "passwd").write_text(f"{g.PASSWD_LINE}:root:/root:/bin/sh\n{g.PASSWD_SECRET}\n", encoding="utf-8")
        yield root


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def convert(root: Path, *args: str) -> Run:
    """`scripts/convert.py -q` from the project root, in this process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(root), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--config", str(root / "_config.yml"), "-q", *args])
    return Run(code, out.getvalue(), err.getvalue())


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file's bytes and every folder (None) under the project root."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes() if path.is_file() else None
        for path in sorted(root.rglob("*"))
    }


# --- reading the page as the book would -------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    html: str
    messages: list[tuple[str, str]]
    """(level, first line) of each docutils system message at WARNING or above."""


def render(page: Path) -> Rendered:
    """The page through MyST's docutils parser, files and raw output allowed, as a leak would need."""
    stream = io.StringIO()
    html = publish_string(
        page.read_text(encoding="utf-8"),
        source_path=str(page),
        parser=Parser(),
        writer_name="html5",
        settings_overrides={
            "myst_enable_extensions": EXTENSIONS,
            "myst_heading_anchors": CONFIG["sphinx"]["config"]["myst_heading_anchors"],
            "report_level": 2,
            "halt_level": 5,
            "file_insertion_enabled": True,
            "raw_enabled": True,
            "output_encoding": "unicode",
            "warning_stream": stream,
            "embed_stylesheet": False,
            "_disable_config": True,
        },
    )
    messages = [(m["level"], m["message"]) for m in DOCUTILS_MESSAGE.finditer(stream.getvalue())]
    return Rendered(str(html), messages)


@cache
def myst_markdown() -> MarkdownIt:
    return create_md_parser(MdParserConfig(enable_extensions=set(EXTENSIONS)), RendererHTML)


def _walk(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        yield from _walk(token.children or [])


def local_targets(page_text: str) -> list[tuple[str, str]]:
    """Each link or image target MyST sees in the page, as a path from the project root."""
    found = []
    for token in _walk(myst_markdown().parse(page_text)):
        url = str(token.attrGet("href") or "") if token.type == "link_open" else ""
        url = str(token.attrGet("src") or "") if token.type == "image" else url
        parts = urlsplit(url)
        if not url or parts.scheme or parts.netloc or not parts.path:
            continue
        path = unquote(parts.path)
        resolved = posixpath.normpath(path.lstrip("/") if path.startswith("/") else posixpath.join(PAGES, path))
        found.append((url, resolved))
    return found


_DROPPED = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})


def norm(text: str) -> str:
    """Text as a reader compares it: invisible characters dropped, whitespace runs as one space."""
    kept = "".join(c for c in text if c in "\t\n\r" or (unicodedata.category(c) not in _DROPPED and c != "\ufffd"))
    return " ".join(kept.split())


def _values(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _bad_url(value: str) -> bool:
    squeezed = "".join(c for c in value if not c.isspace() and unicodedata.category(c) != "Cc").lower()
    return squeezed.startswith(BAD_SCHEMES)


def live_markup(body: Tag) -> list[str]:
    """(b): what in the page's body the browser would run or load as markup."""
    problems = []
    for element in body.find_all(True):
        if element.name in FORBIDDEN_ELEMENTS:
            problems.append(f"(b) live <{element.name}> element: {str(element)[:120]!r}")
        for name, value in element.attrs.items():
            attribute = name.lower()
            for text in _values(value):
                if attribute.startswith("on") or attribute == "srcdoc":
                    problems.append(f"(b) live {name}= attribute on <{element.name}>: {text[:80]!r}")
                elif attribute in URL_ATTRIBUTES and _bad_url(text):
                    problems.append(f"(b) {name}= with a script or file URL on <{element.name}>: {text[:80]!r}")
                elif attribute not in TEXT_ATTRIBUTES and (g.PAYLOAD in text or "alert(" in text):
                    problems.append(f"(b) payload in a live {name}= attribute on <{element.name}>: {text[:80]!r}")
    return problems


@dataclass(frozen=True)
class Shown:
    """The page as a reader sees it."""

    title: str
    """The first heading's text."""
    page: str
    """All visible text, normalised."""
    body: str
    """Visible text below the title and the post's meta block, normalised."""
    codes: list[str]
    """Each code block's text."""


def shown(body: Tag) -> Shown:
    """What a reader sees; docutils' docinfo list (its view of the front matter) and system
    messages (which quote the source) are no part of the book's page, so they are left out."""
    for element in body.select("dl.docinfo, .system-message, .system-messages"):
        element.decompose()
    heading = body.find(re.compile(r"^h[1-6]$"))
    title, page = heading.get_text() if heading else "", norm(body.get_text())
    for block in [heading, *body.select(".post-meta")]:
        if block is not None:
            block.decompose()
    return Shown(title, page, norm(body.get_text()), [pre.get_text() for pre in body.find_all("pre")])


# --- the blog's view, which is the oracle ------------------------------------------------------

BLOG = MarkdownIt("commonmark", {"html": True}).enable("table")
"""What the blog showed: CommonMark with raw HTML and tables."""


def blog_view(post: g.FuzzPost) -> str:
    """The body's visible text as the blog showed it, normalised; and a check that the
    grammar's claims about what the blog showed hold for the blog's own renderer."""
    soup = BeautifulSoup(BLOG.render(post.body), "html.parser")
    for element in soup.find_all(["script", "style", "iframe", "object", "embed", "svg", "template"]):
        element.decompose()
    visible, codes = norm(soup.get_text()), [pre.get_text() for pre in soup.find_all("pre")]
    wrong = [t for t in post.texts if norm(t) not in visible] + [
        c for c in post.codes if not any(c in p for p in codes)
    ]
    assert not wrong, f"grammar bug, not a converter bug: the blog did not show {wrong}\n{post.text}"
    return visible


# --- the property -------------------------------------------------------------------------------


def refused(post: g.FuzzPost, run: Run, root: Path, before: dict[str, bytes | None]) -> list[str]:
    """Exit 1: one located line per problem, and the project exactly as it was."""
    problems = []
    lines = run.err.splitlines()
    if not lines:
        problems.append("exit 1 without a message")
    last = post.text.count("\n") + 1
    for line in lines:
        match = PROBLEM_LINE.fullmatch(line)
        if not match or match["name"] != post.name:
            problems.append(f"message not of the form posts/{post.name}.md:<line>: <message>: {line!r}")
        elif not 1 <= int(match["line"]) <= last:
            problems.append(f"message points outside the post (1..{last}): {line!r}")
        if "internal error" in line:
            problems.append(f"the converter crashed: {line!r}")
    if run.out:
        problems.append(f"stdout under -q: {run.out!r}")
    if (after := snapshot(root)) != before:
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k, b"?") != after.get(k, b"?"))
        problems.append(f"a refused post changed the project: {changed}")
    again = convert(root)
    if (again.code, again.err) != (run.code, run.err):
        problems.append(f"(e) a second run answers differently: {again.code} {again.err!r}")
    return problems


def converted(post: g.FuzzPost, run: Run, root: Path, blog: str) -> list[str]:
    """Exit 0: the page shows what the blog showed, runs nothing, reads nothing, and is stable."""
    problems = [
        f"stderr line not located: {line!r}" for line in run.err.splitlines() if not PROBLEM_LINE.fullmatch(line)
    ]
    problems += [f"stdout under -q: {run.out!r}"] if run.out else []
    page = root / PAGES / f"{post.name}.md"
    if not page.is_file():
        return [*problems, f"exit 0 but no page {page.relative_to(root)}"]
    try:
        rendered = render(page)
    except Exception as error:  # a page that crashes docutils fails the book's build
        return [*problems, f"(d) docutils crashed on the page: {type(error).__name__}: {error}"]
    soup = BeautifulSoup(rendered.html, "html.parser")
    body = soup.body
    assert body is not None
    problems += live_markup(body)
    problems += [
        f"(b) live <meta http-equiv> in the head: {m}" for m in soup.find_all("meta", attrs={"http-equiv": True})
    ]
    problems += front_matter_acts(page.read_text(encoding="utf-8"))
    problems += secrets(rendered.html, root)
    problems += read_as_myst(rendered.messages)
    problems += [
        f"(f) link or image reaches {resolved!r}, outside the book: {url!r}"
        for url, resolved in local_targets(page.read_text(encoding="utf-8"))
        if not resolved.startswith(PUBLISHED) or "/." in f"/{resolved}"
    ]
    problems += not_shown(post, body, blog)
    return problems + unstable(root)


def front_matter_acts(page_text: str) -> list[str]:
    """(g): the page's front matter holds nothing MyST or MyST-NB act on but the page's meta
    tags (a `kernelspec` makes a page a notebook to execute, `myst:` changes the parser)."""
    try:
        data = read_topmatter(page_text) or {}
    except TopmatterReadError:  # MyST acts on no front matter it cannot read (and says so: (d))
        return []
    problems = [f"(g) the page's front matter has {key}:" for key in data if key in g.DANGEROUS_KEYS]
    myst = data.get("myst") or {}
    problems += [f"(g) the page's front matter sets myst.{key}" for key in myst if key != "html_meta"]
    meta = myst.get("html_meta") or {}
    problems += [f"(g) the page's front matter sets the meta tag {key!r}" for key in meta if "http-equiv" in key]
    return problems


def secrets(html: str, root: Path) -> list[str]:
    """(c): the files the test planted, in the page's HTML or in anything the converter wrote."""
    problems = [f"(c) the page shows a file it must not read: {s!r}" for s in g.SECRETS if s in html]
    for written in [*(root / "book").rglob("*.md"), root / "_toc.yml"]:
        data = written.read_bytes() if written.is_file() else b""
        problems += [f"(c) {written.relative_to(root)} holds {s!r}" for s in g.SECRETS if s.encode() in data]
    return problems


def read_as_myst(messages: list[tuple[str, str]]) -> list[str]:
    """(d): docutils met a directive or role it does not know, or another error."""
    problems = []
    for level, message in messages:
        if LEAKED.search(message):
            problems.append(f"(d) read as MyST: {message}")
        elif level in ("ERROR", "SEVERE") and not DOCUTILS_ONLY.search(message):
            problems.append(f"(d) docutils {level}: {message}")
    return problems


def not_shown(post: g.FuzzPost, body: Tag, blog: str) -> list[str]:
    """(a): markers, texts and code the blog showed; the title and the subtitle.

    A text shows below the title at least as often as in the blog's body (`$5` in a title
    or in a code block does not stand in for a `$5` lost from the prose).
    """
    page = shown(body)
    problems = [f"(a) marker not shown: {m!r}" for m in post.markers if norm(m) not in page.body]
    for text in dict.fromkeys(t for t in post.texts if t not in post.markers):
        need, have = blog.count(norm(text)), page.body.count(norm(text))
        if have < need:
            problems.append(f"(a) text the blog showed {need}x is shown {have}x: {text!r}")
    problems += [
        f"(a) code block lost or changed: {c!r}" for c in post.codes if not any(c.strip("\n") in p for p in page.codes)
    ]
    if norm(page.title) != norm(post.front.title):
        problems.append(f"(a) title shown as {norm(page.title)!r}, not {norm(post.front.title)!r}")
    if post.front.subtitle and norm(post.front.subtitle) not in page.page:
        problems.append(f"(a) subtitle not shown: {norm(post.front.subtitle)!r}")
    return problems


def unstable(root: Path) -> list[str]:
    """(e): `--check` finds nothing to change, with the memo and without it, and writes nothing."""
    problems = []
    written = snapshot(root)
    for memo in ("with the memo", "without the memo"):
        if memo == "without the memo":
            shutil.rmtree(root / ".cache", ignore_errors=True)
            written = {k: v for k, v in written.items() if not k.startswith(".cache")}
        again = convert(root, "--check")
        if again.code != 0 or again.err:
            problems.append(f"(e) converting again, {memo}, would change the output: {again.code} {again.err!r}")
    if snapshot(root) != written:
        problems.append("(e) --check wrote to the project")
    return problems


def check_post(post: g.FuzzPost, must_convert: bool = False) -> None:
    """Convert the post in a scratch project; fail with every problem found, the post and the page."""
    blog = blog_view(post)
    with scratch() as root:
        (root / "posts" / f"{post.name}.md").write_text(post.text, encoding="utf-8", newline="\n")
        before = snapshot(root)
        run = convert(root)
        if run.code == 0:
            problems = converted(post, run, root, blog)
        elif run.code == 1 and not must_convert:
            problems = refused(post, run, root, before)
        elif run.code == 1:
            problems = [f"a post of text and code the blog showed was refused: {run.err!r}"]
        else:
            problems = [f"exit {run.code}: {run.err!r}"]
        page = root / PAGES / f"{post.name}.md"
        page_text = page.read_text(encoding="utf-8") if run.code == 0 and page.is_file() else ""
    if problems:
        report = "\n".join(f"  - {p}" for p in problems)
        detail = f"\n--- converted page ---\n{page_text}" if page_text else f"\n--- stderr ---\n{run.err}"
        pytest.fail(f"{len(problems)} problem(s) with this post:\n{report}\n--- post ---\n{post.text}{detail}")


@FUZZ
@given(g.posts())
def test_a_post_is_data_never_code(post: g.FuzzPost) -> None:
    """Refused with located messages and nothing changed, or converted with nothing run,
    read, injected or lost (the module docstring lists the checks)."""
    check_post(post)


@FUZZ
@given(g.posts(benign=True))
def test_posts_of_text_and_code_convert(post: g.FuzzPost) -> None:
    """What is left without HTML, links and images is text and code the blog showed:
    refusing it is no way to be safe."""
    check_post(post, must_convert=True)


# --- fixed examples: each hostile construct on its own, so a regression shows deterministically ---


Build = Callable[[g.Numbers], list[g.Chunk]]


def _case(build: Build, **front: str) -> g.FuzzPost:
    """A marker sentence, then what `build` makes."""
    numbers = g.Numbers()
    chunks = build(numbers)
    return g.make_post([g.paragraph([g.sentence(numbers)], [False]), *chunks], numbers, **front)


def _prose(*pieces: Callable[[g.Numbers], g.Inline], breaks: bool = False) -> Build:
    return lambda n: [g.paragraph([g.sentence(n), *(piece(n) for piece in pieces)], [breaks])]


def _fence(info: str, *lines: str, char: str = "`") -> Build:
    """A fence of exactly these lines (a marker line when there are none), so that a leaked
    directive would read them as its options (`:file:`) or its rST."""
    return lambda n: [g.fence(char, 3, info, list(lines) or [f'print("{n.next("코드")}")'])]


def _html(variant: int) -> Build:
    return lambda n: [g.html_block(n, variant)]


def _in_list(inner: Build) -> Build:
    return lambda n: [g.list_block([[g.paragraph([g.sentence(n)], [False]), *inner(n)]], ordered=False)]


def _in_quote(inner: Build) -> Build:
    return lambda n: [g.quote(inner(n))]


SCRIPT = '<script>alert("PAYLOAD")</script>'
FIXED: dict[str, g.FuzzPost] = {
    "fence literalinclude passwd": _case(_fence("{literalinclude} ../../../../etc/passwd")),
    "fence literalinclude git config": _case(_fence("{literalinclude} ../../.git/config")),
    "tilde fence eval-rst include": _case(_fence("{eval-rst}", ".. include:: /etc/passwd", char="~")),
    "fence raw html": _case(_fence("{raw} html", SCRIPT)),
    "fence include passwd": _case(_fence("{include} /etc/passwd")),
    "fence include git config": _case(_fence("{include} ../../.git/config")),
    "fence code-cell": _case(_fence("{code-cell} python")),
    "fence csv-table file option": _case(_fence("{csv-table}", ":file: /etc/passwd")),
    "fence info after a space": _case(_fence(" {eval-rst}", ".. include:: /etc/passwd")),
    "fence eval-rst raw html": _case(_fence("{eval-rst}", ".. raw:: html", "", "   " + SCRIPT)),
    "fence language then directive": _case(_fence("python {literalinclude} ../../.git/config")),
    "backtick fence inside tilde fence": _case(_fence("{eval-rst}", "```{include} /etc/passwd", "```", char="~")),
    "indented code": _case(lambda n: [g.indented_code(n)]),
    "colon fence note": _case(lambda n: [g.colon_fence(":::{note}", [n.sentence()])]),
    "colon fence include": _case(lambda n: [g.colon_fence(":::{include} ../../.git/config", [n.sentence()])]),
    "colon fence csv-table file": _case(lambda n: [g.colon_fence(":::{csv-table}", [":file: /etc/passwd", "x"])]),
    "role download": _case(_prose(g.role("download", "../../.git/config"))),
    "role eval-rst": _case(_prose(g.role("eval-rst", ".. include:: /etc/passwd"))),
    "role math": _case(_prose(g.role("math", "x^2"))),
    "target, comment, block break": _case(
        _prose(g.line_syntax("(PAYLOAD-label)="), g.line_syntax("% 주석 PAYLOAD"), g.line_syntax("+++"))
    ),
    "math and substitution": _case(_prose(g.plain("$x^2$"), g.plain("$5"), g.plain("{{ PAYLOAD }}"))),
    "raw script block": _case(_html(0)),
    "div keeps its text": _case(_html(2)),
    "details keeps its text": _case(_html(6)),
    "iframe block": _case(_html(4)),
    "javascript link block": _case(_html(5)),
    "style block": _case(_html(10)),
    "inline script": _case(_prose(g.html_inline(SCRIPT))),
    "inline img onerror": _case(_prose(g.html_inline("<img src=x onerror=alert(1)>"))),
    "inline iframe": _case(_prose(g.html_inline("<iframe src=\"javascript:alert('PAYLOAD')\"></iframe>"))),
    "inline javascript href": _case(_prose(g.html_inline("<a href=\"javascript:alert('PAYLOAD')\">{m}</a>", "링크"))),
    "inline event handler": _case(_prose(g.html_inline("<span onmouseover=\"alert('PAYLOAD')\">{m}</span>", "강조"))),
    "markdown javascript link": _case(_prose(g.link('javascript:alert("PAYLOAD")'))),
    "image passwd": _case(_prose(g.image("../../../../etc/passwd"))),
    "image git config": _case(_prose(g.image("../../.git/config"))),
    "image absolute passwd": _case(_prose(g.image("/etc/passwd"))),
    "link git config": _case(_prose(g.link("../../.git/config"))),
    "link passwd": _case(_prose(g.link("../../../../etc/passwd"))),
    "reference image git config": _case(_prose(g.reference("../../.git/config", is_image=True))),
    "reference link passwd": _case(_prose(g.reference("../../../../etc/passwd", is_image=False))),
    "reference link javascript": _case(_prose(g.reference('javascript:alert("PAYLOAD")', is_image=False))),
    "list item: eval-rst fence": _case(_in_list(_fence("{eval-rst}", ".. include:: /etc/passwd"))),
    "list item: comment line": _case(_in_list(_prose(g.line_syntax("% 주석 PAYLOAD")))),
    "list item: continuation role": _case(_in_list(_prose(g.role("download", "../../.git/config"), breaks=True))),
    "list item: raw script": _case(_in_list(_html(0))),
    "quote: colon fence": _case(_in_quote(lambda n: [g.colon_fence(":::{note}", [n.sentence()])])),
    "quote: target line": _case(_in_quote(_prose(g.line_syntax("(PAYLOAD-label)=")))),
    "quote: literalinclude fence": _case(_in_quote(_fence("{literalinclude} ../../.git/config"))),
    "heading with role": _case(lambda n: [g.heading(2, [g.sentence(n), g.role("eval-rst", "x")(n)], setext=False)]),
    "list item: heading with role": _case(
        lambda n: [g.list_block([[g.heading(3, [g.role("download", "../../.git/config")(n)], setext=False)]], False)]
    ),
    "quote: heading with role": _case(_in_quote(lambda n: [g.heading(1, [g.role("eval-rst", "x")(n)], setext=False)])),
    "list item: setext heading with img onerror": _case(
        _in_list(lambda n: [g.heading(2, [g.sentence(n), g.html_inline("<img src=x onerror=alert(1)>")(n)], True)])
    ),
    "quote: only a thematic break": _case(lambda n: [g.quote([g.thematic_break(0)])]),
    "quote: ends with a thematic break": _case(
        _in_quote(lambda n: [g.paragraph([g.sentence(n)], [False]), g.thematic_break(2)])
    ),
    "list item: ends with a thematic break": _case(_in_list(lambda n: [g.thematic_break(1)])),
    "break in a list item, then a break": _case(
        lambda n: [
            *_in_list(lambda n: [g.thematic_break(1)])(n),
            g.thematic_break(2),
            g.paragraph([g.sentence(n)], [False]),
        ]
    ),
    "spacer between a list and indented code": _case(
        lambda n: [g.list_block([[g.paragraph([g.sentence(n)], [False])]], False), g.spacer(), g.indented_code(n)]
    ),
    "two breaks between a list and indented code": _case(
        lambda n: [
            g.list_block([[g.paragraph([g.sentence(n)], [False])]], False),
            g.thematic_break(0),
            g.thematic_break(0),
            g.indented_code(n),
        ]
    ),
    "quote: heading with a link to git config": _case(
        _in_quote(lambda n: [g.heading(3, [g.sentence(n), g.link("../../.git/config")(n)], setext=False)])
    ),
    "table cell with role and html": _case(
        lambda n: [
            g.table([[g.sentence(n)], [g.role("download", "x")(n)]], [[[g.html_inline(SCRIPT)(n)], [g.sentence(n)]]])
        ]
    ),
    "title with script, braces, dollar, quotes, backslash": _case(
        lambda n: [], title=f'{SCRIPT} {{{{ PAYLOAD }}}} $5 "따옴표" \\역슬래시\\', subtitle="부제 {download}`x` $x$"
    ),
    "multi-line title": _case(lambda n: [], title="제목 첫 줄\n{{ 둘째 줄 }}\n<script>셋째 줄", style="literal"),
    "front matter: kernelspec": _case(lambda n: [], extra=g.FRONT_HOSTILE[0]),
    "front matter: myst extensions and http-equiv": _case(
        lambda n: [g.paragraph([g.plain("$x$")(n)], [False])], extra=g.FRONT_HOSTILE[3]
    ),
    "control characters in title": _case(
        lambda n: [], title="제목\x00\x01\x1b[31m\x7f\x85\u2028끝", subtitle="부제\x07\t끝"
    ),
}


@pytest.mark.parametrize("post", FIXED.values(), ids=FIXED.keys())
def test_fixed_hostile_post(post: g.FuzzPost) -> None:
    check_post(post)
