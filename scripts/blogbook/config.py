"""The converter's settings: one dataclass, defaults, validation, read from `_config.yml`.

Jupyter Book ignores top-level keys it does not know, so the converter keeps its settings in a
`converter:` section of the same `_config.yml` that configures the book: one file to edit.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import ConversionError, shown


@dataclass(frozen=True)
class Config:
    """Where things live and how posts are grouped. Paths are relative to `root`."""

    root: Path = Path(".")
    posts_dir: Path = Path("posts")
    book_dir: Path = Path("book")
    toc_file: Path = Path("_toc.yml")
    landing_page: str = "book/index"
    site_depth: int = 2
    default_category: str = "글"
    category_order: tuple[str, ...] = ()
    hands_on: bool = True
    hands_on_dir: Path = Path("book/hands-on")
    static_images: Path = Path("static/image")
    """Where a bare thumbnail name (`thumbnail: "X.png"`) is looked up."""

    @property
    def pages_dir(self) -> Path:
        """Generated post pages live in their own folder so nothing hand-written sits among them."""
        return self.book_dir / "posts"

    @property
    def cards_file(self) -> Path:
        """The landing page's card list, included by the hand-written landing page."""
        return self.book_dir / "_post_cards.md"

    def at(self, path: Path) -> Path:
        """Resolve a project path against the root."""
        return path if path.is_absolute() else self.root / path


_PATH_KEYS = {
    "posts_dir": "posts",
    "book_dir": "book",
    "toc_file": "toc",
    "hands_on_dir": "hands_on_dir",
    "static_images": "static_images",
}


def _validated(raw: dict[str, Any], source: Path) -> dict[str, Any]:
    """Check types of the `converter:` section; return Config keyword arguments."""
    known = {f.name for f in fields(Config)} - {"root"}
    aliases = {alias: name for name, alias in _PATH_KEYS.items()}
    kwargs: dict[str, Any] = {}
    for key, value in raw.items():
        name = aliases.get(key, key)
        if name not in known:
            raise ConversionError.at(source, None, f"converter: unknown key {key!r} (known: {', '.join(sorted(aliases) + sorted(known - set(_PATH_KEYS)))})")
        if name in _PATH_KEYS:
            if not isinstance(value, str) or not value:
                raise ConversionError.at(source, None, f"converter.{key}: expected a path, got {value!r}")
            kwargs[name] = Path(value)
        elif name == "site_depth":
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ConversionError.at(source, None, f"converter.{key}: expected a whole number >= 0, got {value!r}")
            kwargs[name] = value
        elif name == "hands_on":
            if not isinstance(value, bool):
                raise ConversionError.at(source, None, f"converter.{key}: expected true or false, got {value!r}")
            kwargs[name] = value
        elif name == "category_order":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConversionError.at(source, None, f"converter.{key}: expected a list of category names")
            kwargs[name] = tuple(value)
        else:
            if not isinstance(value, str) or not value:
                raise ConversionError.at(source, None, f"converter.{key}: expected text, got {value!r}")
            kwargs[name] = value
    return kwargs


def load_config(config_file: Path, overrides: dict[str, Any] | None = None) -> Config:
    """Read the `converter:` section of `config_file`; command-line `overrides` win."""
    root = config_file.parent
    source = shown(config_file)
    raw: dict[str, Any] = {}
    if config_file.exists():
        try:
            data = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            raise ConversionError.at(source, line, f"invalid YAML: {getattr(error, 'problem', error)}") from None
        section = data.get("converter") or {}
        if not isinstance(section, dict):
            raise ConversionError.at(source, None, "converter: expected a mapping of settings")
        raw = section
    config = replace(Config(root=root), **_validated(raw, source))
    return replace(config, **{k: v for k, v in (overrides or {}).items() if v is not None})

