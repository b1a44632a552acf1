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

ALLOWED_DIRECTIVES = frozenset({"image", "figure", "container"})
"""What the converter itself writes into a post page."""


def _parser(app: Sphinx) -> MarkdownIt:
    """MyST's parser with the book's settings (MyST keeps them on the environment)."""
    return create_md_parser(app.env.myst_config, RendererHTML)  # type: ignore[attr-defined]


def _directive(token: Token) -> str | None:
    """The directive a block token would run (`{name}` info of a backtick or colon fence)."""
    if token.type not in ("fence", "colon_fence"):
        return None
    info = token.info.strip()
    if not info.startswith("{"):
        return None
    return info[1:].split("}", 1)[0].strip()


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
