"""The book's stylesheet, and work-arounds for upstream quirks that put errors in the reader's
browser console.

`book.css` is added after the theme's and every extension's stylesheet (priority 800, where
Sphinx puts `html_css_files`), so the book's own rules win.

Sphinx 7.4 keeps an inline script registered during the build twice (once with filename
`None`, once with `''`), so sphinx-thebe's `const THEBE_JS_URL = ...` appears twice on every
page and the browser reports a SyntaxError. Each distinct script is kept once.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from . import add_static_path


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


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", add_static_path)
    app.add_css_file("book.css", priority=800)
    app.connect("html-page-context", dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
