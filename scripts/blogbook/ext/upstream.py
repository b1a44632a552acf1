"""The one module that changes how Sphinx and sphinx-external-toc work inside.

Each patch here replaces a private piece of an upstream package. Before it does, it checks
that the piece still has the shape the patch was written against, and when it has not (an
upgrade moved it), the build stops with one line saying which patch and what changed,
instead of silently building without the patch or crashing somewhere else.
Extensions call these functions; nothing else in the package touches upstream internals.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pydata_sphinx_theme
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
