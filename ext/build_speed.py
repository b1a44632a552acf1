"""Two upstream costs that every incremental build pays in proportion to the book's size.

- Sphinx 7.4 walks every document after each build (loading each doctree from disk) to
  number figures, whether or not `numfig` is on: at 1,000 posts that is 1.4 s of every
  rebuild, for numbers the book never shows. With `numfig` off (our config) it is skipped.
- sphinx-external-toc reads `_toc.yml` twice per build with PyYAML's pure-Python loader
  (0.2 s each at 1,000 entries); the C loader reads the same data ten times faster.
- sphinx-external-toc always loads sphinx_multitoc_numbering, which does not declare itself
  safe for parallel reading, so `sphinx-build -j N` reads serially. It only replaces the
  section numbering that runs after reading (no per-document state), so it is declared safe.
- Python's cycle collector walks every live object each time the heap has grown by a
  quarter. Loading a 1,000-post environment (3 MB of pickled nodes) sets that off repeatedly
  while nothing can be garbage yet, and every later full collection walks the loaded
  environment and the imported modules again, though they live as long as the process.
  Collection pauses while the environment loads, then everything alive is frozen
  (`gc.freeze`), so collections during the build only look at what the build creates:
  0.3 s of a 2 s rebuild.
- Sphinx compiles the theme's three dozen Jinja templates in every build process (0.15 s).
  Jinja's own bytecode cache keeps them compiled in `_build/.doctrees/jinja/`; an entry is
  used only while its template's source is unchanged.
"""

from __future__ import annotations

import gc
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import sphinx_external_toc.parsing
import yaml
from jinja2 import FileSystemBytecodeCache
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors.toctree import TocTreeCollector
from sphinx.jinja2glue import BuiltinTemplateLoader

_number_figures = TocTreeCollector.assign_figure_numbers


def _assign_figure_numbers(self: TocTreeCollector, env: BuildEnvironment) -> list[str]:
    if not env.config.numfig:
        env.toc_fignumbers = {}
        return []
    return _number_figures(self, env)


def _c_safe_load(stream: Any) -> Any:
    return yaml.load(stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _multitoc_is_parallel_safe(app: Sphinx) -> None:
    extension = app.extensions.get("sphinx_multitoc_numbering")
    if extension is not None:
        extension.parallel_read_safe = True
        extension.parallel_write_safe = True


def _collect_only_new_objects(app: Sphinx) -> None:
    """The environment is loaded by now (Sphinx loads it before it creates the builder)."""
    gc.freeze()
    gc.enable()


def _cache_compiled_templates(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    if isinstance(templates, BuiltinTemplateLoader):
        folder = Path(app.doctreedir) / "jinja"
        folder.mkdir(parents=True, exist_ok=True)
        templates.environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def setup(app: Sphinx) -> dict[str, Any]:
    gc.disable()  # until the environment is loaded: see _collect_only_new_objects
    app.connect("builder-inited", _collect_only_new_objects)
    app.connect("builder-inited", _multitoc_is_parallel_safe)
    app.connect("builder-inited", _cache_compiled_templates)
    TocTreeCollector.assign_figure_numbers = _assign_figure_numbers  # type: ignore[method-assign]
    sphinx_external_toc.parsing.yaml = SimpleNamespace(safe_load=_c_safe_load)  # type: ignore[assignment]
    return {"parallel_read_safe": True, "parallel_write_safe": True}
