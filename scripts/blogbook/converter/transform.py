"""Rewrite a post body on markdown-it tokens: only the lines a token points at are touched.

Rules, each a small function below: lone `#` spacer lines go; body headings shift so the page
title is the only h1 and no level is skipped; `<img>` tags and Markdown images become images
Sphinx copies; thematic breaks where docutils forbids them go; links to other posts are noted
for checking; prose characters that MyST would read as syntax are escaped. Code blocks, inline
code and HTML inside code are never touched, so they stay byte-for-byte.

A post is CommonMark written for a blog, never MyST: the only directives a page holds are the
image and figure directives written here. A fence keeps its info string only when it names a
language Pygments knows (` ```{literalinclude} ` or ` ```{bash} ` would run as a directive, so
it becomes plain or `bash` code: what the blog showed); every link and image destination,
inline or reference-style, is resolved and checked, so no file outside the post's images and
the static folder reaches the book.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.common.utils import unescapeAll
from markdown_it.token import Token
from pygments.lexers import find_lexer_class_by_name
from pygments.util import ClassNotFound

from . import html_safety, images, prose
from .diagnostics import ConversionError, Problem
from .post import Post

MAX_LEVEL = 6


@functools.cache
def markdown() -> MarkdownIt:
    """The parser: CommonMark with raw HTML and tables, as MyST reads posts.

    Inline parsing is left out of the pass over the whole post: it is most of the parse's
    time and only headings and prose holding `<` or `](` need it (`_children`).
    """
    return MarkdownIt("commonmark", {"html": True, "inline_definitions": True}).enable("table").disable("inline")


def _children(md: MarkdownIt, token: Token, env: dict[str, Any]) -> list[Token]:
    """The inline tokens of a block's text, parsed on first use (`env` holds the reference
    definitions, so `![x][r]` is an image)."""
    if not token.children:
        children: list[Token] = []
        md.inline.parse(token.content, md, env, children)
        token.children = children
    return token.children


def _needs_children(token: Token, env: dict[str, Any]) -> bool:
    """Prose that holds no HTML, no link destination and no reference has nothing the scan must
    recognise."""
    return "<" in token.content or "](" in token.content or ("[" in token.content and bool(env.get("references")))


SAFE_LANGUAGE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_+.#-]*")
"""What a code fence's language may look like: a word, never `{directive}`."""
_SPHINX_LANGUAGES = frozenset({"none", "default"})


@functools.cache
def known_language(name: str) -> bool:
    """Sphinx highlights with Pygments and warns (failing a `-W` build) on a name it lacks."""
    if name in _SPHINX_LANGUAGES:
        return True
    try:
        find_lexer_class_by_name(name)
    except ClassNotFound:
        return False
    return True


def fence_language(info: str) -> str:
    """The language a fence keeps: its first word if that is a language Pygments knows, the
    word inside braces for ` ```{bash} ` (a Quarto or notebook habit), else none at all."""
    words = unescapeAll(info).split()
    first = words[0] if words else ""
    second = words[1] if len(words) > 1 and first.startswith("{") else ""  # ` ```{code-cell} python `
    for candidate in (first, first.strip("{}"), second):
        if SAFE_LANGUAGE.fullmatch(candidate) and known_language(candidate.lower()):
            return candidate
    return ""


@dataclass(frozen=True)
class PostLink:
    """A link from this post to another post's page (and maybe a section in it)."""

    line: int
    stem: str
    anchor: str


@dataclass(frozen=True)
class Body:
    """The converted body and what it refers to, for the checks that need every post."""

    text: str
    headings: tuple[str, ...]
    """Each body heading's text as the page shows it, which MyST makes its anchor from."""
    links: tuple[PostLink, ...]
    images: tuple[Path, ...]
    files: tuple[Path, ...] = ()
    """Files of the static folder the post links to (downloads), project-relative."""
    characters: int = 0
    """Letters and digits a reader reads (prose and code), for a reading time counted the
    Korean way: by characters, not words."""


_LINK_SCHEMES = frozenset({"http", "https", "mailto"})


@dataclass
class _Lines:
    """The body's lines with their source line numbers, and the edits made to them."""

    text: list[str]
    origin: list[int]
    edits: dict[int, tuple[int, list[str]]] = field(default_factory=dict)

    def replace(self, start: int, end: int, new: list[str]) -> None:
        self.edits[start] = (end, new)

    def joined(self) -> str:
        out: list[str] = []
        index = 0
        while index < len(self.text):
            if index in self.edits:
                end, new = self.edits[index]
                if not (new == [""] and out and out[-1] == ""):
                    out += new
                index = end
            else:
                out.append(self.text[index])
                index += 1
        return "\n".join(out)


@dataclass
class _Context:
    """What the rules share while walking one post."""

    post: Post
    resolver: images.Resolver
    md: MarkdownIt
    lines: _Lines
    env: dict[str, Any] = field(default_factory=dict)
    """markdown-it's environment: the reference definitions."""
    levels: dict[int, int] = field(default_factory=dict)
    """New level of each heading, by token index."""
    inline_children: dict[tuple[int, int], list[Token]] = field(default_factory=dict)
    """The parsed inline tokens of each prose block, by its line range."""
    image_sources: set[str] = field(default_factory=set)
    """Every image destination in the post, so a reference definition knows it is an image's."""
    spacers: set[int] = field(default_factory=set)
    headings: list[str] = field(default_factory=list)
    done: set[tuple[int, int]] = field(default_factory=set)
    links: list[PostLink] = field(default_factory=list)
    image_files: list[Path] = field(default_factory=list)
    linked_files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """Every problem found so far: the author gets all of a post's problems at once."""
    lead_until: int = 0
    """Body line index where the first text begins: images above it are the post's header image."""

    def line(self, index: int) -> int:
        """Source line number of a body line index."""
        return self.post.line_of(self.lines.origin[min(index, len(self.lines.origin) - 1)])

    def image(self, src: str, index: int) -> images.Image | None:
        found = self.resolver.resolve(src, (self.post.source, self.line(index)))
        if found and found.local:
            self.image_files.append(found.local)
        return found

    def link(self, dest: str, index: int) -> str:
        """What a link destination becomes: a post link (checked later), a download from the
        static folder, an anchor or a web address as written; anything else is a problem."""
        parts = urlsplit(dest)
        where = (self.post.source, self.line(index))
        if parts.scheme or parts.netloc:
            if parts.scheme.lower() not in _LINK_SCHEMES:
                raise ConversionError.at(*where, f"unsupported link URL {dest!r} (only http, https and mailto)")
            return dest
        if not parts.path:  # `#section` of this page
            return dest
        if parts.path.endswith(".md"):
            stem = Path(unquote(parts.path)).stem
            self.links.append(PostLink(self.line(index), stem, unquote(parts.fragment)))
            return f"{stem}.md" + (f"#{parts.fragment}" if parts.fragment else "")
        uri = self.resolver.resolve_file(dest, where)
        self.linked_files.append(Path(uri.lstrip("/")))
        return uri

    def tag(self, tag: images.ImgTag, index: int) -> images.Image:
        image = images.image_from_tag(tag.attrs, tag.align, self.resolver, (self.post.source, self.line(index)))
        if image.local:
            self.image_files.append(image.local)
        if images.decorative(tag.attrs.get("alt"), self.post.title, header=index < self.lead_until):
            return replace(image, alt="")
        return image


def _split_image_lines(lines: _Lines, md: MarkdownIt, env: dict[str, Any]) -> list[Token]:
    """End an HTML block after its leading image lines, so the Markdown after them is parsed.

    CommonMark ends an HTML block only at a blank line, so a post that writes `<img ...>` and
    then `#` and `# 제목` on the next lines would have its heading swallowed as raw HTML.
    Returns the tokens of the final text.
    """
    while True:
        changed = False
        env.clear()
        tokens = md.parse("\n".join(lines.text), env)
        for token in tokens:
            if token.type != "html_block" or token.map is None:
                continue
            start, end = token.map
            seen_image = False
            for index in range(start, end):
                text = lines.text[index]
                block = images.read_html(text)
                if not block.caption and not block.other and text.strip().startswith("<"):
                    seen_image = seen_image or bool(block.images)
                    continue
                if seen_image and text.strip() and not text.lstrip().startswith("<"):
                    lines.text.insert(index, "")
                    lines.origin.insert(index, lines.origin[index])
                    changed = True
                break
            if changed:
                break
        if not changed:
            return tokens


def _heading_levels(tokens: list[Token]) -> dict[int, int]:
    """New level for each non-empty top-level heading, keyed by token index.

    The shallowest body heading becomes h2 (the title is the h1); a heading never sits more
    than one level below the one before it, which is what Sphinx warns about.
    """
    found = [
        (index, int(token.tag[1]))
        for index, token in enumerate(tokens)
        if token.type == "heading_open" and token.level == 0 and tokens[index + 1].content.strip()
    ]
    if not found:
        return {}
    base = min(level for _, level in found)
    levels: dict[int, int] = {}
    previous = 1
    for index, level in found:
        new = min(level - base + 2, previous + 1, MAX_LEVEL)
        levels[index] = previous = new
    return levels


def _plain(children: list[Token]) -> str:
    """Heading text as docutils will show it (what MyST slugs are computed from)."""
    parts = []
    for child in children:
        if child.type in ("text", "text_special", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()


class _Hooks:
    """Prose callbacks bound to one block: resolve images, note post links, replace `<img>`."""

    def __init__(self, context: _Context, first: int) -> None:
        self.context = context
        self.first = first

    def destination(self, dest: str, is_image: bool, line: int) -> str:
        index = self.first + line
        try:
            if is_image:
                found = self.context.image(dest, index)
                return _destination(found.uri) if found else dest
            return _destination(self.context.link(dest, index))
        except ConversionError as error:  # noted; the scan goes on to the block's other destinations
            self.context.problems += error.problems
            return dest

    def html(self, tag: str, line: int) -> str:
        block = images.read_html(tag)
        if len(block.images) != 1:
            return safe_inline_html(tag)
        try:
            image = self.context.tag(block.images[0], self.first + line)
        except ConversionError as error:
            self.context.problems += error.problems
            return tag
        return images.inline(image, prose.escape_text)


def _destination(uri: str) -> str:
    """A destination as Markdown must write it: in `<...>` when it holds a space."""
    return f"<{uri}>" if " " in uri else uri


def _fence(context: _Context, token: Token) -> None:
    """Keep a fence's language only when it is one; never let its info string name a directive."""
    assert token.map is not None
    language = fence_language(token.info)
    if language and language == token.info.split()[0]:
        return  # a language, maybe with options MyST ignores: byte-for-byte
    start = token.map[0]
    line = context.lines.text[start]
    opening = line.index(token.markup) + len(token.markup)
    context.lines.replace(start, start + 1, [line[:opening] + language])


def _definition(context: _Context, token: Token) -> None:
    """A reference definition (`[r]: ../../static/image/x.png`) is checked and rewritten like the
    inline destination it stands for."""
    assert token.map is not None
    start, end = token.map
    url = str(token.meta["url"])
    if url in context.image_sources:
        found = context.image(url, start)
        uri = found.uri if found else url
    else:
        uri = context.link(url, start)
    title = str(token.meta.get("title") or "")
    prefix = context.lines.text[start][: prose.container_prefix(context.lines.text[start])]
    written = f"{prefix}[{token.meta['label']}]: {_destination(uri) if uri else '<>'}"
    if title:
        written += ' "' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    context.lines.replace(start, end, [written])


def _rewrite_prose(context: _Context, start: int, end: int, children: list[Token]) -> str:
    text = "\n".join(context.lines.text[start:end])
    return prose.rewrite(text, children, _Hooks(context, start), context.md.normalizeLink, line_starts=True)


def _heading(context: _Context, tokens: list[Token], index: int, level: int) -> str:
    opening, inline = tokens[index], tokens[index + 1]
    assert opening.map is not None
    start, end = opening.map
    children = _children(context.md, inline, context.env)
    if opening.markup.startswith("#"):
        line = context.lines.text[start]
        rest = line.lstrip()[len(opening.markup) :]
        text = prose.rewrite(rest, children, _Hooks(context, start), context.md.normalizeLink, line_starts=False)
        context.lines.replace(start, end, ["#" * level + text])
    else:
        body = " ".join(part.strip() for part in context.lines.text[start : end - 1])
        text = prose.rewrite(body, children, _Hooks(context, start), context.md.normalizeLink, line_starts=False)
        context.lines.replace(start, end, ["#" * level + " " + text])
    return _plain(children)


def _html_block(context: _Context, token: Token) -> None:
    """`<img>` tags in a raw HTML block become image directives after what is left of the HTML;
    the rest of the HTML goes through the allow-list (`html_safety`)."""
    assert token.map is not None
    start, end = token.map
    block = images.read_html(token.content)
    for url, line in block.sources:  # a <picture>'s alternatives must be the post's images too
        context.image(url, start + line - 1)
    if not block.images:
        _safe_html(context, start, end, token.level > 0)
        return
    shown = [context.tag(tag, start + tag.line - 1) for tag in block.images]
    if token.level > 0:
        # Inside a list or quote: each tag becomes an inline image on its own line, so the
        # line keeps its container prefix (`> `, indentation) and stays in the container.
        inline = [images.inline(image, prose.escape_text) for image in shown]
        context.lines.replace(start, end, _replace_tags(context.lines.text[start:end], inline))
        return
    new: list[str] = []
    if block.other:
        new += [*safe_html_lines(_replace_tags(context.lines.text[start:end], [""] * len(block.images))), ""]
        caption = ""
    else:
        caption = prose.escape_text(" ".join(block.caption)) if len(shown) == 1 else ""
        if block.caption and not caption:
            new += [prose.escape_text(" ".join(block.caption)), ""]
    for image in shown:
        new += [*images.directive(image, caption), ""]
    context.lines.replace(start, end, ["", *new])


def safe_inline_html(tag: str) -> str:
    """An inline tag as it may reach the page: an allowed one (with only its allowed attributes),
    or its source as plain text, escaped so Markdown and MyST read none of it."""
    if html_safety.is_clean(tag):
        return tag
    safe = html_safety.sanitize(tag)
    return safe if safe.startswith("<") else prose.escape_text(tag)


_COMMENT_ONLY = re.compile(r"\s*<!--(?:(?!-->|--!>).)*-->\s*", re.DOTALL)


def safe_html_lines(lines: list[str]) -> list[str]:
    """A top-level HTML block as it may reach the page: unchanged when the allow-list keeps every
    byte (or it is one comment, which shows nothing), else its sanitized form (disallowed markup
    shown as text) inside a `<div>`, so MyST still reads it as one HTML block, not as Markdown."""
    text = "\n".join(lines)
    if html_safety.is_clean(text) or _COMMENT_ONLY.fullmatch(text):
        return lines
    shown = html_safety.sanitize(text).split("\n")
    return ["<div>", *(line if line.strip() else "<span></span>" for line in shown), "</div>"]


def _safe_html(context: _Context, start: int, end: int, nested: bool) -> None:
    """An HTML block through the allow-list. Inside a list or quote a `<div>` cannot be added
    around it without leaving the container, so unclean HTML there shows as its source text."""
    lines = context.lines.text[start:end]
    if not nested:
        safe = safe_html_lines(lines)
        if safe is not lines:
            context.lines.replace(start, end, safe)
        return
    contents = [line[prose.container_prefix(line) :] for line in lines]
    if html_safety.is_clean("\n".join(contents)):
        return
    prefixes = [line[: prose.container_prefix(line)] for line in lines]
    shown = [prefix + prose.escape_text(content) for prefix, content in zip(prefixes, contents, strict=True)]
    context.lines.replace(start, end, shown)


def _replace_tags(lines: list[str], replacements: list[str]) -> list[str]:
    """The source lines with each `<img>` tag's text replaced, in order.

    The tags are found again in the source lines themselves, so their positions include any
    container prefix (`> `, list indentation) that the token's content leaves out.
    """
    out = list(lines)
    tags = images.read_html("\n".join(lines)).images
    for tag, replacement in sorted(
        zip(tags, replacements, strict=True), key=lambda p: (p[0].line, p[0].column), reverse=True
    ):
        row = tag.line - 1
        out[row] = out[row][: tag.column] + replacement + out[row][tag.column + len(tag.text) :]
    return out


_CONTAINER_CLOSE = frozenset({"bullet_list_close", "ordered_list_close", "blockquote_close"})
_END_OF_CONTAINER = "%"
"""What replaces a removed line that ended a list or quote: a MyST comment, which shows nothing
but still ends the container, so what follows (indented code, say) does not slide into it."""


_REMOVABLE = re.compile(r" {0,3}(#+|([-*_])( *\2){2,}) *")
"""A spacer or a break line: either may be removed too, so the look past a removed line skips them."""


def _removed(context: _Context, tokens: list[Token], index: int) -> list[str]:
    """The line a removed top-level spacer or break becomes: blank, unless it ended a list or
    quote and the next text is indented, which would then continue the list item."""
    if index == 0 or tokens[index - 1].type not in _CONTAINER_CLOSE:
        return [""]
    end = (tokens[index].map or (0, 0))[1]
    following = next((line for line in context.lines.text[end:] if line.strip() and not _REMOVABLE.fullmatch(line)), "")
    return [_END_OF_CONTAINER] if following[:1] in (" ", "\t") else [""]


def _drop_misplaced_breaks(context: _Context, tokens: list[Token], spacers: set[int]) -> None:
    """Drop `---` breaks next to a heading or at either end, and any inside a list or quote:
    docutils rejects those."""
    blocks = [i for i, t in enumerate(tokens) if t.level == 0 and t.nesting != -1 and i not in spacers]
    for position, index in enumerate(blocks):
        if tokens[index].type != "hr":
            continue
        before = tokens[blocks[position - 1]].type if position > 0 else None
        after = tokens[blocks[position + 1]].type if position + 1 < len(blocks) else None
        if before in (None, "heading_open", "hr") or after in (None, "heading_open", "hr"):
            start, end = tokens[index].map or (0, 0)
            context.lines.replace(start, end, _removed(context, tokens, index))
    for token in tokens:
        if token.type == "hr" and token.level > 0 and token.map:
            start, end = token.map
            line = context.lines.text[start]
            context.lines.replace(start, end, [line[: prose.container_prefix(line)].rstrip("-*_ \t") or ""])


def _apply_rules(context: _Context, tokens: list[Token], index: int) -> None:
    """The rule for one token, by its type."""
    token, lines = tokens[index], context.lines
    if token.type == "heading_open" and token.level == 0 and token.map:
        if index in context.levels:
            context.headings.append(_heading(context, tokens, index, context.levels[index]))
        else:
            context.spacers.add(index)
            lines.replace(token.map[0], token.map[1], _removed(context, tokens, index))
    elif token.type == "html_block":
        _html_block(context, token)
    elif token.type == "fence" and token.map:
        _fence(context, token)
    elif token.type == "definition" and token.map:
        _definition(context, token)
    elif token.type == "inline" and token.map and (tokens[index - 1].type != "heading_open" or token.level > 1):
        # Prose, and headings inside a list or quote (kept as they are, but read like prose).
        key = (token.map[0], token.map[1])
        if key not in context.done:
            context.done.add(key)
            lines.replace(*key, _rewrite_prose(context, *key, context.inline_children[key]).split("\n"))


def transform(post: Post, resolver: images.Resolver) -> Body:
    """Convert one post's body; raises ConversionError with every offending line of the post."""
    md = markdown()
    lines = _Lines(post.body.split("\n"), list(range(post.body.count("\n") + 1)))
    env: dict[str, Any] = {}
    tokens = _split_image_lines(lines, md, env)
    context = _Context(post, resolver, md, lines, env, _heading_levels(tokens), lead_until=_lead_until(tokens))
    for token in tokens:
        if token.type == "inline" and token.map:
            found = _children(md, token, env) if _needs_children(token, env) else []
            context.inline_children.setdefault((token.map[0], token.map[1]), []).extend(found)
    children = [child for found in context.inline_children.values() for child in found]
    context.image_sources.update(str(child.attrGet("src") or "") for child in children if child.type == "image")
    for index in range(len(tokens)):
        try:
            _apply_rules(context, tokens, index)
        except ConversionError as error:  # go on to the next block
            context.problems += error.problems
    if context.problems:
        raise ConversionError(sorted(context.problems, key=lambda problem: problem.line or 0))
    _drop_misplaced_breaks(context, tokens, context.spacers)
    return Body(
        lines.joined(),
        tuple(context.headings),
        tuple(context.links),
        tuple(dict.fromkeys(context.image_files)),
        tuple(dict.fromkeys(context.linked_files)),
        _characters(tokens),
    )


_READ = re.compile(r"\w")


def _characters(tokens: list[Token]) -> int:
    """Letters and digits of the prose and code, as a Korean reading time counts them."""
    return sum(len(_READ.findall(t.content)) for t in tokens if t.type in ("inline", "fence", "code_block"))


def _lead_until(tokens: list[Token]) -> int:
    """The first body line of text: what comes before it is spacers, breaks and HTML image blocks,
    so an image there heads the post (a banner, not content)."""
    for index, token in enumerate(tokens):
        if token.level != 0 or token.nesting == -1 or token.map is None:
            continue
        is_spacer = token.type == "heading_open" and not tokens[index + 1].content.strip()
        is_image = token.type == "html_block" and bool(images.read_html(token.content).images)
        if not (is_spacer or is_image or token.type == "hr"):
            return token.map[0]
    return 10**9
