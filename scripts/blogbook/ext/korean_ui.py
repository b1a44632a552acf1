"""The book's interface in Korean, from the `.po` catalogs kept in `locale/ko/LC_MESSAGES/`.

Sphinx compiles and prefers `sphinx.po` by itself (`locale_dirs`, `gettext_auto_build`); that
covers pydata-sphinx-theme's templates and Sphinx's own strings. Two interface parts need this
extension:

- sphinx-book-theme translates through its own `booktheme` domain, whose ko catalog has a typo
  ("전체 화면으로보기") and literal machine translations, and Sphinx only *appends* catalogs
  registered for a domain. At `builder-inited`, `booktheme.po` (and any other theme domain in
  `THEME_DOMAINS`) is compiled with Sphinx's own `CatalogInfo.write_mo` and put before the theme's.
- sphinx-copybutton takes its messages from a table in its `copybutton.js_t` (no ko entry, no
  setting). A copy of that template with a `ko` entry, translated through the `sphinx` catalog,
  is generated into the build folder and found after the extension's own `_static`.

Three of sphinx-book-theme's templates hard-code English; `blogbook/ext/templates/` has copies
(`toggle-*-sidebar.html`, `page.html`) whose changes `upstream` checks here, so a theme upgrade
stops the build with one line instead of silently bringing English back.
"""

from __future__ import annotations

import gettext
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.locale import get_translation
from sphinx.util.i18n import CatalogRepository

from . import TEMPLATES, add_templates_path, upstream

THEME_DOMAINS = ("booktheme",)
"""Message domains of themes/extensions whose own Korean the book's catalogs override."""

TRANSLATED_COPIES = ("toggle-primary-sidebar.html", "toggle-secondary-sidebar.html")
PRINT_TOC_LABEL = '<nav aria-label="Page">'
"""What `templates/page.html` replaces in sphinx-book-theme's print-only table of contents."""


def theme_catalogs_first(app: Sphinx) -> None:
    """Compile each `THEME_DOMAINS` .po of `locale_dirs` if it changed, and let it answer first."""
    config = app.config
    if not config.language:
        return
    repo = CatalogRepository(app.srcdir, config.locale_dirs, config.language, config.source_encoding)
    for catalog in repo.catalogs:
        if catalog.domain not in THEME_DOMAINS:
            continue
        if catalog.is_outdated():
            catalog.write_mo(config.language, config.gettext_allow_fuzzy_translations)
        with Path(catalog.mo_path).open("rb") as mo:
            upstream.put_catalog_first(catalog.domain, gettext.GNUTranslations(mo))


def korean_copy_button(app: Sphinx) -> None:
    """Generate copybutton.js_t with an entry for the book's language, after sphinx-copybutton's
    `_static` in `html_static_path` (so it replaces the extension's own when static files are copied)."""
    if "sphinx_copybutton" not in app.extensions or not app.config.language:
        return
    folder = Path(app.doctreedir).parent / "blogbook-korean-ui"
    folder.mkdir(parents=True, exist_ok=True)
    translate = get_translation("sphinx")
    text = upstream.copybutton_template_with(app.config.language, lambda message: str(translate(message)))
    target = folder / "copybutton.js_t"
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    if str(folder) not in app.config.html_static_path:
        app.config.html_static_path = [*app.config.html_static_path, str(folder)]


def check_templates(app: Sphinx) -> None:
    upstream.check_translated_copies(TEMPLATES, TRANSLATED_COPIES)
    upstream.check_theme_text(PRINT_TOC_LABEL)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", add_templates_path)
    app.connect("builder-inited", theme_catalogs_first)
    app.connect("builder-inited", korean_copy_button, priority=900)  # after sphinx-copybutton's (500)
    app.connect("builder-inited", check_templates)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
