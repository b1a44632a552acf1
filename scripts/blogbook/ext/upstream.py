"""The one module that changes how Sphinx and sphinx-external-toc work inside.

Each patch here replaces a private piece of an upstream package. Before it does, it checks
that the piece still has the shape the patch was written against, and when it has not (an
upgrade moved it), the build stops with one line saying which patch and what changed,
instead of silently building without the patch or crashing somewhere else.
Extensions call these functions; nothing else in the package touches upstream internals.
"""

from __future__ import annotations

import gettext
import inspect
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pydata_sphinx_theme
import sphinx.locale
import sphinx_book_theme
import sphinx_copybutton
import sphinx_external_toc.events
import sphinx_external_toc.parsing
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.errors import ExtensionError
from sphinx.search import IndexBuilder


class UpstreamChanged(ExtensionError):
    """An upstream internal no longer looks as a patch expects: the build must stop."""

    def __init__(self, patch: str, what: str) -> None:
        super().__init__(f"blogbook: cannot apply {patch}: {what}; see blogbook/ext/upstream.py")


def replace_listener(app: Sphinx, event: str, old: Callable[..., Any], new: Callable[..., Any]) -> None:
    """Swap one registered event handler for another, keeping its priority and place."""
    listeners = getattr(getattr(app, "events", None), "listeners", None)
    if not isinstance(listeners, dict):
        raise UpstreamChanged(f"the {event} handler swap", "Sphinx's EventManager has no listeners table")
    found = [i for i, listener in enumerate(listeners.get(event, [])) if getattr(listener, "handler", None) is old]
    if len(found) != 1:
        raise UpstreamChanged(f"the {event} handler swap", f"{old.__qualname__} is registered {len(found)} times")
    index = found[0]
    listeners[event][index] = listeners[event][index]._replace(handler=new)


def replace_toc_reader(reader: Callable[[Any], Any]) -> None:
    """Make sphinx-external-toc read `_toc.yml` through `reader` (a path in, a SiteMap out)."""
    current = getattr(sphinx_external_toc.events, "parse_toc_yaml", None)
    if current is reader:
        return
    if current is not sphinx_external_toc.parsing.parse_toc_yaml:
        raise UpstreamChanged("the toc reader", "sphinx_external_toc.events no longer calls parse_toc_yaml")
    sphinx_external_toc.events.parse_toc_yaml = reader  # type: ignore[assignment]


WriteHook = Callable[[set[str], set[str] | None], None]
"""Called with the pages about to be written and the pages the build asked for (None: all)."""


def before_prepare_writing(builder: Builder, hook: WriteHook) -> None:
    """Let `hook` edit the set of pages to write after Sphinx has added toctree parents and the root.

    `Builder.write` adds them between being called and calling `prepare_writing`, with no
    event in between, so both methods are wrapped on this builder object only.
    """
    source = inspect.getsource(Builder.write)
    expected = ("files_to_rebuild", "docnames.add(self.config.root_doc)", "self.prepare_writing(docnames)")
    missing = [line for line in expected if line not in source]
    parameters = list(inspect.signature(Builder.write).parameters)
    if missing or parameters != ["self", "build_docnames", "updated_docnames", "method"]:
        raise UpstreamChanged("the page-writing scope", f"Builder.write changed ({missing or parameters})")
    write, prepare_writing = builder.write, builder.prepare_writing
    asked: set[str] | None = None

    def scoped_write(build_docnames: Any, updated_docnames: Any, method: str = "update") -> None:
        nonlocal asked
        whole_book = build_docnames is None or build_docnames == ["__all__"]
        asked = None if whole_book or method != "update" else {*build_docnames, *updated_docnames}
        write(build_docnames, updated_docnames, method)  # type: ignore[arg-type]

    def scoped_prepare_writing(docnames: set[str]) -> None:
        hook(docnames, asked)
        prepare_writing(docnames)

    builder.write = scoped_write  # type: ignore[method-assign]
    builder.prepare_writing = scoped_prepare_writing  # type: ignore[method-assign]


def skip_unused_section_styles() -> None:
    """Skip sphinx-external-toc's section-number styling when no toctree is numbered.

    Its collector deep-copies every page's title (`env.titles`) and walks every page's section
    numbers after each build, incremental ones too, to restyle numbers (0.34 s at 1,000
    posts). With no numbered toctree there are no numbers: Sphinx's own numbering (which it
    runs first) is all that is left to do.
    """
    from sphinx.environment.collectors.toctree import TocTreeCollector
    from sphinx_external_toc.collectors import TocTreeCollectorWithStyles

    assign = TocTreeCollectorWithStyles.assign_section_numbers
    if getattr(assign, "_blogbook", False):
        return
    source = inspect.getsource(assign)
    expected = ("super().assign_section_numbers(env)", "for docname in env.numbered_toctrees:", "env.titles_old")
    missing = [line for line in expected if line not in source]
    if missing:
        raise UpstreamChanged("the section-style skip", f"TocTreeCollectorWithStyles changed ({missing})")

    def assign_section_numbers(self: TocTreeCollectorWithStyles, env: Any) -> Any:
        if env.numbered_toctrees:
            return assign(self, env)
        return TocTreeCollector.assign_section_numbers(self, env)

    assign_section_numbers._blogbook = True  # type: ignore[attr-defined]
    TocTreeCollectorWithStyles.assign_section_numbers = assign_section_numbers  # type: ignore[method-assign]


def prune_search_terms_completely() -> None:
    """Make Sphinx's search index forget the words of removed pages, not only their pages.

    `IndexBuilder.prune` takes a removed page out of every word's set of pages but keeps the
    word itself, so a post that became a draft left its words in `searchindex.js` (with no page).
    After pruning, words (and title words) that no page holds any more are dropped too.
    """
    prune = IndexBuilder.prune
    if getattr(prune, "_blogbook", False):
        return
    if list(inspect.signature(prune).parameters) != ["self", "docnames"]:
        raise UpstreamChanged("the search index pruning", "IndexBuilder.prune takes other arguments")

    def prune_completely(self: IndexBuilder, docnames: Any) -> None:
        prune(self, docnames)
        for name in ("_mapping", "_title_mapping"):
            mapping = getattr(self, name, None)
            if not isinstance(mapping, dict):
                raise UpstreamChanged("the search index pruning", f"IndexBuilder.{name} is no longer a dict")
            for word in [word for word, pages in mapping.items() if not pages]:
                del mapping[word]

    prune_completely._blogbook = True  # type: ignore[attr-defined]
    IndexBuilder.prune = prune_completely  # type: ignore[method-assign]


_TEMPLATE_NOTE = re.compile(r"\A\{#-.*?-#\}\n", re.DOTALL)
_EXTRAHEAD = re.compile(r"\{%-? block extrahead %\}(.*?)\{%-? endblock extrahead %\}", re.DOTALL)
_SEARCH_SCRIPTS = re.compile(r"\{% if pagename == 'search' %\}.*?\{% endif %\}", re.DOTALL)


def _words(text: str) -> list[str]:
    return text.split()


def check_template_copies(ours: Path) -> None:
    """Our copies of two pydata-sphinx-theme templates must be the theme's own minus what they
    leave out (Font Awesome's script; the inline-search scripts), or the theme changed under them."""
    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    theirs = (theme / "static" / "webpack-macros.html").read_text(encoding="utf-8")
    expected = [line for line in theirs.splitlines() if "fontawesome.js" not in line]
    copy = _TEMPLATE_NOTE.sub("", (ours / "static" / "webpack-macros.html").read_text(encoding="utf-8"))
    if copy.splitlines() != expected:
        raise UpstreamChanged("the Font Awesome-free theme macros", "the theme's webpack-macros.html changed")
    their_head = _EXTRAHEAD.search((theme / "layout.html").read_text(encoding="utf-8"))
    our_head = _EXTRAHEAD.search((ours / "layout.html").read_text(encoding="utf-8"))
    if not their_head or not our_head or _words(_SEARCH_SCRIPTS.sub("", their_head[1])) != _words(our_head[1]):
        raise UpstreamChanged("the page head without search scripts", "the theme's extrahead block changed")


def put_catalog_first(domain: str, ours: gettext.NullTranslations) -> None:
    """Make `ours` answer first for a message domain an extension or theme registered, with the
    catalog it registered as the fallback (`app.add_message_catalog` only ever appends)."""
    translators = getattr(sphinx.locale, "translators", None)
    if not isinstance(translators, dict) or "translators" not in inspect.getsource(sphinx.locale.get_translator):
        raise UpstreamChanged(f"the Korean {domain} catalog", "sphinx.locale no longer keeps a translators table")
    theirs = translators.get(("general", domain))
    if theirs is ours:
        return
    if theirs is not None:
        ours.add_fallback(theirs)
    translators["general", domain] = ours


_COPYBUTTON_TABLE = "const messages = {\n"
_COPYBUTTON_EN = re.compile(r"  'en': \{\n((?:    '\w+': '[^'\n]*',?\n)+)  \},?\n")
_COPYBUTTON_PICK = "messages[document.documentElement.lang] !== undefined"


def copybutton_template_with(language: str, translate: Callable[[str], str]) -> str:
    """sphinx-copybutton's `copybutton.js_t` with a `language` entry in its message table, each of
    its English messages passed through `translate`. The button picks the entry named by
    `<html lang>`; the table has no Korean one and there is no setting for it."""
    source = Path(sphinx_copybutton.__file__).parent / "_static" / "copybutton.js_t"
    text = source.read_text(encoding="utf-8")
    english = _COPYBUTTON_EN.search(text)
    if text.count(_COPYBUTTON_TABLE) != 1 or not english or _COPYBUTTON_PICK not in text:
        raise UpstreamChanged("the Korean copy button", "sphinx-copybutton's copybutton.js_t message table changed")
    pairs = re.findall(r"'(\w+)': '([^']*)'", english[1])
    entry = "".join(
        f"    {json.dumps(key)}: {json.dumps(translate(value), ensure_ascii=False)},\n" for key, value in pairs
    )
    return text.replace(_COPYBUTTON_TABLE, f"{_COPYBUTTON_TABLE}  {json.dumps(language)}: {{\n{entry}  }},\n", 1)


_GETTEXT_CALL = re.compile(r"\{\{ _\('([^']*)'\) \}\}")


def check_translated_copies(ours: Path, names: tuple[str, ...]) -> None:
    """Our copies of sphinx-book-theme templates must be the theme's own with only their English
    words wrapped in `_()`, or the theme changed under them."""
    theme = Path(sphinx_book_theme.__file__).parent / "theme" / "sphinx_book_theme"
    for name in names:
        theirs = (theme / "components" / name).read_text(encoding="utf-8")
        copy = _TEMPLATE_NOTE.sub("", (ours / name).read_text(encoding="utf-8"))
        if _GETTEXT_CALL.sub(r"\1", copy) != theirs:
            raise UpstreamChanged(f"the Korean {name}", f"sphinx-book-theme's components/{name} changed")


def check_theme_text(text: str) -> None:
    """sphinx-book-theme's page layout must still contain `text`, which a template of ours replaces."""
    layout = Path(sphinx_book_theme.__file__).parent / "theme" / "sphinx_book_theme" / "layout.html"
    if text not in layout.read_text(encoding="utf-8"):
        raise UpstreamChanged("the Korean print header", f"sphinx-book-theme's layout.html has no {text}")


def asset_classes() -> tuple[type[Any], type[Any]]:
    """Sphinx's private stylesheet and script classes, which `css_files` and `script_files` hold:
    `blogbook.ext.page_assets` makes its bundles' entries with them, as `app.add_css_file` would."""
    try:
        from sphinx.builders.html._assets import _CascadingStyleSheet, _JavaScript
    except ImportError as error:
        raise UpstreamChanged("the page bundles", f"sphinx.builders.html._assets moved ({error})") from None
    return _CascadingStyleSheet, _JavaScript


_CSS_BLOCK = re.compile(r"\{%-? block css %\}(.*?)\{%-? endblock css %\}", re.DOTALL)
_BUNDLED = re.compile(r"\{%-? if blogbook_page_assets %\}(.*?)\{%-? else %\}", re.DOTALL)
_THEME_ASSETS = ("{{ _webpack.head_pre_assets() }}", "{{ _webpack.head_js_preload() }}")


def check_bundled_layout(ours: Path) -> None:
    """Our layout's `css` block for bundled pages must be the theme's own minus the theme's
    stylesheet links and script preloads (both are in the page's bundles), and the theme must
    still load its scripts from `scripts_end`, which bundled pages leave empty."""
    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    theirs = (theme / "layout.html").read_text(encoding="utf-8")
    their_css = _CSS_BLOCK.search(theirs)
    our_css = _CSS_BLOCK.search((ours / "layout.html").read_text(encoding="utf-8"))
    bundled = _BUNDLED.search(our_css[1]) if our_css else None
    expected = their_css[1] if their_css else ""
    for line in _THEME_ASSETS:
        expected = expected.replace(line, "", 1) if line in expected else "\0"
    if not bundled or _words(expected) != _words(bundled[1]):
        raise UpstreamChanged("the bundled page head", "the theme's css block changed")
    if "{%- block scripts_end %}{{ _webpack.body_post() }}{%- endblock scripts_end %}" not in theirs:
        raise UpstreamChanged("the bundled page scripts", "the theme's scripts_end block changed")


def write_late_static_files(app: Sphinx) -> None:
    """Write now the static files two extensions write only at `build-finished`, after the pages
    that link them: myst-nb's `mystnb.<sha256>.css` (copied) and pydata-sphinx-theme's
    `pygments.css` (rewritten with its light and dark styles). `blogbook.ext.page_assets` bundles
    them while the pages are written; the extensions later write the same bytes again."""
    import hashlib
    from importlib import resources

    import myst_nb.static
    from pydata_sphinx_theme import pygments

    listeners = getattr(getattr(app, "events", None), "listeners", {}).get("build-finished", [])
    handlers = {getattr(listener, "handler", None) for listener in listeners}
    if pygments.overwrite_pygments_css in handlers:
        pygments.overwrite_pygments_css(app)
    elif app.config.html_theme in ("pydata_sphinx_theme", "sphinx_book_theme"):
        raise UpstreamChanged("the page bundles", "pydata-sphinx-theme no longer rewrites pygments.css when done")
    if "myst_nb" in app.extensions:
        source = resources.files(myst_nb.static).joinpath("mystnb.css")
        if not source.is_file():
            raise UpstreamChanged("the page bundles", "myst-nb no longer ships static/mystnb.css")
        data = source.read_bytes()
        target = Path(app.outdir) / "_static" / f"mystnb.{hashlib.sha256(data).hexdigest()}.css"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
