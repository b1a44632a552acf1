"""Rewrite the source text of prose (paragraphs, headings) without touching code spans or HTML.

markdown-it gives block tokens their lines but gives inline tokens no columns, so this module
walks the prose text once, guided by the inline children markdown-it produced: code spans and
HTML are copied byte-for-byte, link and image destinations that markdown-it saw are handed to a
callback, inline `<img>` tags are replaced, and characters MyST would read as syntax are escaped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from markdown_it.token import Token

# MyST reads `$..$` as math (dollarmath) and `{...}` as roles, attributes and `{{ substitutions }}`.
_ESCAPED = frozenset("${")
# Characters at which the scan has something to decide; everything between is copied as is.
_SPECIAL = re.compile(r"[\\`<\]${]")
# At the start of a line MyST reads `%` as a comment, `(x)=` as a target, `+++` as a block break,
# `:::` as a directive fence. Inside a list item or a quote that start is after the container's
# markers (`> `, `- `, `1. `, indentation), which `_CONTAINER` skips. Escaping one character too
# many is harmless (a backslash before punctuation shows the punctuation); one too few loses text.
_LINE_START = frozenset("%(+:")
_CONTAINER = re.compile(r"[ \t]*(?:(?:>[ \t]?|[-+*][ \t]+|\d{1,9}[.)][ \t]+)[ \t]*)*")


class ProseHooks(Protocol):
    """What the caller does with what the scan finds."""

    def destination(self, dest: str, is_image: bool, line: int) -> str:
        """Return the destination to write for a link or image destination on `line` (0-based)."""

    def html(self, tag: str, line: int) -> str:
        """Return what to write in place of an inline HTML tag on `line` (0-based)."""


@dataclass
class _Expect:
    """What markdown-it found inside this prose, so the scan only acts on real syntax."""

    html: list[str]
    destinations: list[tuple[str, bool]]
    """Each link and image destination, in order, and whether it is an image's."""

    @classmethod
    def of(cls, children: list[Token]) -> _Expect:
        html = [t.content for t in children if t.type == "html_inline"]
        destinations = [
            (str(t.attrGet("src") or ""), True) if t.type == "image" else (str(t.attrGet("href") or ""), False)
            for t in children
            if t.type == "image" or (t.type == "link_open" and t.markup != "autolink")
        ]
        return cls(html, destinations)

    def take(self, target: str) -> bool | None:
        """Whether the next destination written as `target` is an image's (None: no such link).

        Matched by address, not position: in `[![a](x)](y)` the text shows `x` first, while
        markdown-it lists the link to `y` first.
        """
        for position, (destination, is_image) in enumerate(self.destinations):
            if destination == target:
                del self.destinations[position]
                return is_image
        return None


def escape_text(text: str) -> str:
    """Backslash-escape every ASCII punctuation character: plain text that renders as itself."""
    return "".join("\\" + c if c.isascii() and not c.isalnum() and not c.isspace() else c for c in text)


def _run(text: str, start: int) -> int:
    """Length of the backtick run at `start`."""
    return len(text[start:]) - len(text[start:].lstrip("`"))


def _code_span_end(text: str, start: int) -> int:
    """End of a code span opened by the backtick run at `start`, or -1 when it never closes."""
    size = _run(text, start)
    position = start + size
    while (found := text.find("`", position)) != -1:
        length = _run(text, found)
        if length == size:
            return found + length
        position = found + length
    return -1


def _destination_end(text: str, start: int) -> int:
    """End of a link destination starting at `start` (just after `](`)."""
    if start < len(text) and text[start] == "<":
        close = text.find(">", start)
        return close + 1 if close != -1 else start
    depth, index = 0, start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char.isspace() or (char == ")" and depth == 0):
            break
        depth += {"(": 1, ")": -1}.get(char, 0)
        index += 1
    return index


def rewrite(
    text: str, children: list[Token], hooks: ProseHooks, normalize: Callable[[str], str], line_starts: bool
) -> str:
    """Rewrite prose `text` whose parsed inline children are `children`."""
    expect = _Expect.of(children)
    out: list[str] = []
    index = 0
    while index < len(text):
        # Plain text up to the next character that can start something: copied in one piece.
        found = _SPECIAL.search(text, index)
        if found is None:
            out.append(text[index:])
            break
        if found.start() > index:
            out.append(text[index : found.start()])
            index = found.start()
        char = text[index]
        if char == "\\":
            out.append(text[index : index + 2])
            index += 2
        elif char == "`":
            end = _code_span_end(text, index)
            stop = end if end != -1 else index + _run(text, index)
            out.append(text[index:stop])
            index = stop
        elif char == "<" and expect.html and text.startswith(expect.html[0], index):
            tag = expect.html.pop(0)
            out.append(hooks.html(tag, text.count("\n", 0, index)))
            index += len(tag)
        elif char == "<" and (close := text.find(">", index)) != -1 and _is_autolink(text[index : close + 1]):
            out.append(text[index : close + 1])
            index = close + 1
        elif text.startswith("](", index):
            end = _destination_end(text, index + 2)
            raw = text[index + 2 : end]
            bare = raw[1:-1] if raw.startswith("<") and raw.endswith(">") else raw
            is_image = expect.take(normalize(bare)) if bare else None
            if is_image is not None:
                out.append("](" + hooks.destination(bare, is_image, text.count("\n", 0, index)))
            else:
                out.append(text[index:end])
            index = end
        elif char in _ESCAPED:
            out.append("\\" + char)
            index += 1
        else:  # a `<` that is no tag, or a `]` that opens no destination
            out.append(char)
            index += 1
    result = "".join(out)
    result = korean_emphasis(result)
    return _escape_line_starts(result) if line_starts else result


_EMPHASIS = re.compile(r"(?<![*\\])(\*\*\*|\*\*|\*)(?![\s*])(.+?)(?<![\s*\\])\1(?!\*)")
_TAGS = {"*": ("<em>", "</em>"), "**": ("<strong>", "</strong>"), "***": ("<em><strong>", "</strong></em>")}


def _punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _flanks(before: str, after: str, opening: bool) -> bool:
    """CommonMark's flanking rule for a delimiter run between `before` and `after` ("" at an end)."""
    inner, outer = (after, before) if opening else (before, after)
    if not inner or inner.isspace():
        return False
    return not _punctuation(inner) or not outer or outer.isspace() or _punctuation(outer)


def _is_hangul(char: str) -> bool:
    return "\uac00" <= char <= "\ud7a3"


def korean_emphasis(text: str) -> str:
    """`**파드(Pod)**는` as the author meant it: bold, not literal asterisks.

    CommonMark closes `**` after punctuation only when whitespace or punctuation follows; Korean
    glues a particle straight on (`)**는`), so the blog showed the asterisks and MyST would too.
    Where exactly that rule (or its mirror for the opening run) is what stops a pair, and a
    Hangul syllable stands on the outer side, the pair is written as `<strong>`/`<em>`. Code
    spans are left alone.
    """
    pieces, index = [], 0
    while (start := text.find("`", index)) != -1:
        end = _code_span_end(text, start)
        stop = end if end != -1 else start + _run(text, start)
        pieces += [(text[index:start], True), (text[start:stop], False)]
        index = stop
    pieces.append((text[index:], True))
    return "".join(_emphasis_in(piece) if prose else piece for piece, prose in pieces)


def _emphasis_in(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        delimiter, inner = match.group(1), match.group(2)
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        opens = _flanks(before, inner[0], opening=True)
        closes = _flanks(inner[-1], after, opening=False)
        if (opens and closes) or not (_is_hangul(before) or _is_hangul(after)):
            return match.group(0)
        opening, closing = _TAGS[delimiter]
        return f"{opening}{inner}{closing}"

    return _EMPHASIS.sub(replace, text)


def _is_autolink(candidate: str) -> bool:
    inner = candidate[1:-1]
    scheme, colon, _ = inner.partition(":")
    return bool(colon) and scheme.isascii() and scheme[:1].isalpha() and not any(c.isspace() for c in inner)


def container_prefix(line: str) -> int:
    """Length of the list and quote markers and indentation that open `line`."""
    return _CONTAINER.match(line).end()  # type: ignore[union-attr]  # the pattern matches every string


def _escape_line_starts(text: str) -> str:
    lines = text.split("\n")
    for number, line in enumerate(lines):
        start = container_prefix(line)
        if line[start : start + 1] in _LINE_START:
            lines[number] = line[:start] + "\\" + line[start:]
    return "\n".join(lines)
