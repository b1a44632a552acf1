"""Upstream costs that every build pays in proportion to the book's size, or on every start.

(Jupyter Book turns Sphinx's `numfig` on, and with it Sphinx walks every doctree after each
build to number figures: 1.4 s of every rebuild at 1,000 posts. `_config.yml` turns it off;
the book numbers no figures.)

- sphinx-external-toc reads `_toc.yml` with PyYAML's pure-Python loader (0.2 s at 1,000
  entries); the C loader reads the same data ten times faster. (Jupyter Book's CLI reads it
  once more before Sphinx starts, only to check it; that read happens before any extension
  is loaded, so it stays.)
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
- With `only_build_toc_files`, sphinx-external-toc finds the files it must exclude by
  globbing the whole source folder once per source suffix, `_build/` and `posts/` included,
  then testing every file found against every exclude pattern: 0.1 s of every build at
  1,000 posts. The same list comes from one walk that does not enter excluded folders.
- sphinx-external-toc restyles section numbers after every build by deep-copying every
  page's title (0.34 s at 1,000 posts), also when no toctree is numbered, as in this book:
  then only Sphinx's own numbering runs (`upstream.skip_unused_section_styles`).
- Sphinx compiles the theme's three dozen Jinja templates in every build process (0.15 s).
  Jinja's own bytecode cache keeps them compiled in `_build/.doctrees/jinja/`; an entry is
  used only while its template's source is unchanged.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

import yaml
from jinja2 import FileSystemBytecodeCache
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.jinja2glue import BuiltinTemplateLoader
from sphinx.util import logging
from sphinx.util.matching import Matcher, patmatch
from sphinx_external_toc.api import SiteMap
from sphinx_external_toc.events import parse_toc_to_env
from sphinx_external_toc.parsing import parse_toc_data

from . import upstream

logger = logging.getLogger(__name__)


def read_toc(path: str | Path) -> SiteMap:
    """sphinx-external-toc's `parse_toc_yaml`, with libyaml's loader."""
    text = Path(path).read_text(encoding="utf-8")
    return parse_toc_data(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


def _multitoc_is_parallel_safe(app: Sphinx) -> None:
    """Sphinx reads the flags from the extension's record, which exists once it is loaded."""
    extension = app.extensions.get("sphinx_multitoc_numbering")
    if extension is not None:
        extension.parallel_read_safe = True
        extension.parallel_write_safe = True


def _files_outside_toc(srcdir: Path, config: Config, site_map: SiteMap) -> list[str]:
    """Source files the toc does not name, skipping folders already excluded (and hidden ones, as glob does)."""
    excluded = Matcher(config.exclude_patterns)
    suffixes = tuple(config.source_suffix)
    globs = list(site_map.globs())
    found = []
    for folder, subfolders, files in os.walk(srcdir):
        relative = Path(folder).relative_to(srcdir).as_posix()
        prefix = "" if relative == "." else relative + "/"
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and not excluded(prefix + d))
        for name in sorted(files):
            if name.startswith(".") or not name.endswith(suffixes) or excluded(prefix + name):
                continue
            posix = prefix + name
            stem = posix[: -len(next(s for s in suffixes if name.endswith(s)))]
            if posix in site_map or stem in site_map or any(patmatch(stem, pattern) for pattern in globs):
                continue
            found.append(posix)
    return found


def _parse_toc_quickly(app: Sphinx, config: Config) -> None:
    """sphinx-external-toc's own handler, with its file search replaced by `_files_outside_toc`."""
    exclude_missing = config.external_toc_exclude_missing
    config.external_toc_exclude_missing = False
    try:
        parse_toc_to_env(app, config)
    finally:
        config.external_toc_exclude_missing = exclude_missing
    if exclude_missing:
        outside = _files_outside_toc(Path(app.srcdir), config, config.external_site_map)
        if outside:
            logger.info("[etoc] Excluded %s extra file(s) not in toc", len(outside))
            config.exclude_patterns = [*config.exclude_patterns, *outside]


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
    app.setup_extension("sphinx_external_toc")  # its handler must be registered before it is swapped
    upstream.replace_listener(app, "config-inited", parse_toc_to_env, _parse_toc_quickly)
    upstream.replace_toc_reader(read_toc)
    upstream.skip_unused_section_styles()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
