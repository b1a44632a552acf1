"""The book's stylesheet, and work-arounds for upstream quirks that put errors in the reader's
browser console.

Two theme templates are replaced by copies in `blogbook/ext/templates/` that leave out what
every page paid for and no reader used: Font Awesome's JavaScript (1.5 MB; the theme's CSS web
font draws the same icons) and the inline-search scripts with `searchindex.js` (which grows with
the book; only the search page needs them). `upstream.check_template_copies` stops the build if
the theme's own templates change under the copies.

`book.css` is added after the theme's and every extension's stylesheet (priority 800, where
Sphinx puts `html_css_files`), so the book's own rules win.

sphinx-book-theme puts two plain-text titles into its templates without escaping them (Jinja's
autoescape is off in Sphinx): the print header `<h1>{{ pagetitle }}</h1>` and the sidebar's
`{{ root_title }}`. A post titled `<script> 태그의 async와 defer` blanked its own page, and
`<img src=x onerror=...>` ran script. Both are escaped once, after the theme has set them.

Sphinx 7.4 keeps an inline script registered during the build twice (once with filename
`None`, once with `''`), so sphinx-thebe's `const THEBE_JS_URL = ...` appears twice on every
page and the browser reports a SyntaxError. Each distinct script is kept once.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from sphinx.application import Sphinx

from . import TEMPLATES, add_static_path, add_templates_path, upstream


def _identity(script: Any) -> tuple[str, str]:
    """Filename and inline body: Sphinx stores the same inline script as `None` or `''`."""
    return (getattr(script, "filename", None) or "", str(getattr(script, "attributes", {}).get("body", "")))


def dedupe_scripts(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple[str, str]] = set()
    unique = []
    for script in scripts:
        key = _identity(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def check_templates(app: Sphinx) -> None:
    upstream.check_template_copies(TEMPLATES)


PLAIN_TEXT_KEYS = ("pagetitle", "root_title")
"""Template values the theme fills with plain text (`.astext()`) and prints raw."""


def escape_plain_titles(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    for key in PLAIN_TEXT_KEYS:
        value = context.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            context[key] = Markup(escape(value))  # Markup: escaped exactly once, whoever prints it


def one_site_title(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """The landing page is named like the site: its tab said "컨테이너 공부 노트 — 컨테이너 공부 노트"."""
    title, site = str(context.get("title") or ""), str(context.get("docstitle") or "")
    if site and Markup(title).striptags() == Markup(site).striptags():
        context["docstitle"] = ""  # the layout adds " — <docstitle>" only when there is one
        # The header's home link shows `docstitle` too: without it the link had no name at all.
        logo = context.get("theme_logo")
        context["theme_logo"] = {**(logo if isinstance(logo, dict) else {}), "text": site}


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", add_static_path)
    app.connect("config-inited", add_templates_path)
    app.connect("builder-inited", check_templates)
    app.add_css_file("book.css", priority=800)
    app.connect("html-page-context", dedupe_scripts, priority=900)
    app.connect("html-page-context", escape_plain_titles, priority=900)  # after the theme's (500)
    app.connect("html-page-context", one_site_title)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
