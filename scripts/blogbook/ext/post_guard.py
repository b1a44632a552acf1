"""The build refuses to run MyST commands in a generated post page: belt and braces.

The converter turns a post (CommonMark written for a blog) into a page whose only directives
are the ones it writes itself: images, figures and the containers around the post's facts.
Should anything else ever reach a generated page (a converter bug, a page edited by hand), a
directive such as `{literalinclude}`, `{include}`, `{raw}` or `{eval-rst}` would read files of
the build machine into the public site. Each generated page is parsed here, before MyST reads
it, with MyST's own parser and the book's own settings; any other directive or any role is
reported as one error line (`book/posts/x.md:12: ...`), so `-W` stops the build, and the page
is replaced by its front matter and title, so nothing runs even without `-W`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.parsers.mdit import create_md_parser
from sphinx.application import Sphinx
from sphinx.util import logging

from ..schema import carries_marker

logger = logging.getLogger(__name__)

ALLOWED_DIRECTIVES = frozenset({"image", "figure", "container", "post-cards", "post-list", "tag-cloud"})
"""What the converter itself writes into a post page or a listing page (tags, series, archive):
every post in the last three is a JSON line, data the directive escapes."""


_NAMED = re.compile(r"\{([^{}\s]*)\}")
"""`{name}`: how a directive or a role is written. A page without one not on the allow-list
cannot run anything, so only the rare page with one pays for a second parse."""
_PARSERS: dict[int, tuple[object, MarkdownIt]] = {}


def _parser(app: Sphinx) -> MarkdownIt:
    """MyST's parser with the book's settings (MyST keeps them on the environment), made once."""
    config = app.env.myst_config  # type: ignore[attr-defined]
    cached = _PARSERS.get(id(config))
    if cached is None or cached[0] is not config:
        cached = _PARSERS[id(config)] = (config, create_md_parser(config, RendererHTML))
    return cached[1]


def may_run_something(text: str) -> bool:
    """Whether the page names anything in braces besides the converter's own directives."""
    return any(match.group(1) not in ALLOWED_DIRECTIVES for match in _NAMED.finditer(text))


def _directive(token: Token) -> str | None:
    """The directive a block token would run: MyST's own rule, a first info word `{name}`."""
    if token.type not in ("fence", "colon_fence"):
        return None
    words = (token.info or "").split(maxsplit=1)
    name = words[0] if words else ""
    return name[1:-1] if len(name) >= 2 and name.startswith("{") and name.endswith("}") else None


def refused(md: MarkdownIt, text: str) -> Iterator[tuple[int, str]]:
    """(0-based line, what) for every directive or role a post page may not hold."""
    for token in md.parse(text):
        name = _directive(token)
        if name is not None and name not in ALLOWED_DIRECTIVES:
            yield (token.map or (0, 0))[0], f"directive {{{name}}}"
        for child in token.children or []:
            if child.type == "myst_role":
                yield (token.map or (0, 0))[0], f"role {{{child.meta.get('name', '')}}}"


def _front_matter_and_title(text: str) -> str:
    """What is left of a refused page: its front matter and its title line."""
    lines = text.split("\n")
    end = lines.index("---", 1) if lines[:1] == ["---"] and "---" in lines[1:] else -1
    title = next((line for line in lines[end + 1 :] if line.startswith("# ")), "# ?")
    return "\n".join([*lines[: end + 1], "", title, ""])


def guard_post_pages(app: Sphinx, docname: str, source: list[str]) -> None:
    text = source[0]
    if not carries_marker(text.encode("utf-8")):
        return
    if not may_run_something(text):
        return
    problems = list(refused(_parser(app), text))
    for line, what in problems:
        logger.error(
            "a generated post page may not run %s; the converter never writes one (edit the post, not the page)",
            what,
            location=(docname, line + 1),
            type="blogbook",
            subtype="post_guard",
        )
    if problems:
        source[0] = _front_matter_and_title(text)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("source-read", guard_post_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
