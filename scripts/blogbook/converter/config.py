"""The converter's settings: one dataclass, defaults, validation, read from `_config.yml`.

Jupyter Book ignores top-level keys it does not know, so the converter keeps its settings in a
`converter:` section of the same `_config.yml` that configures the book: one file to edit.
Each field's metadata names its YAML key, the function that validates a raw value and the
help text the README's settings table is made from (`python -m booktools.settings_table`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import YAML_LOADER, ConversionError, yaml_problems


def _path(value: Any) -> Path:
    if not isinstance(value, str) or not value:
        raise ValueError(f"expected a path, got {value!r}")
    return Path(value)


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"expected text, got {value!r}")
    return value


def _depth(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"expected a whole number >= 0, got {value!r}")
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {value!r}")
    return value


def _names(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"expected a list of category names, got {value!r}")
    return tuple(value)


def _setting(key: str, parse: Callable[[Any], Any], default: Any, meaning: str) -> Any:
    return field(default=default, metadata={"key": key, "parse": parse, "help": meaning})


@dataclass(frozen=True)
class SettingInfo:
    """One `converter:` key as a person reads it: name, default as YAML shows it, meaning."""

    key: str
    default: str
    help: str


@dataclass(frozen=True)
class Config:
    """Where things live and how posts are grouped. Paths are relative to `root`."""

    root: Path = Path()
    posts_dir: Path = _setting("posts", _path, Path("posts"), "source posts folder, as the blog has them")
    book_dir: Path = _setting("book", _path, Path("book"), "book folder; generated post pages go to `BOOK/posts/`")
    toc_file: Path = _setting("toc", _path, Path("_toc.yml"), "table of contents the converter writes")
    landing_page: str = _setting(
        "landing_page", _text, "book/index", "hand-written landing page, the root of the toc (Sphinx's `root_doc`)"
    )
    site_depth: int = _setting(
        "site_depth", _depth, 2, "how many folders below the blog's root the posts sat (why `../../static` works)"
    )
    static_images: Path = _setting(
        "static_images", _path, Path("static/image"), "where a bare `thumbnail: X.png` is found"
    )
    static_files: Path = _setting(
        "static_files", _path, Path("static"), "the only folder a post may link a file from (a download)"
    )
    default_category: str = _setting("default_category", _text, "글", "part for titles without a `[category]` prefix")
    category_order: tuple[str, ...] = _setting(
        "category_order", _names, (), "order of the parts; unlisted categories follow, oldest first"
    )
    hands_on: bool = _setting("hands_on", _flag, True, "include the hands-on notebook part in the toc")
    hands_on_dir: Path = _setting(
        "hands_on_dir", _path, Path("book/hands-on"), "folder of the hands-on part: `index.md`, then notebooks by name"
    )

    timezone: str = "+09:00"
    """The book's `blogbook_timezone` (`sphinx: config:`): the UTC offset of the author's dates,
    which decides when a scheduled post's day has come."""

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


def _as_yaml(value: Any) -> str:
    if isinstance(value, Path):
        return value.as_posix()
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def settings() -> list[SettingInfo]:
    """Every `converter:` key with its default and help, in the order the dataclass lists them."""
    keyed = [f for f in fields(Config) if "key" in f.metadata]
    return [SettingInfo(f.metadata["key"], _as_yaml(f.default), f.metadata["help"]) for f in keyed]


def _validated(raw: dict[str, Any], source: Path) -> dict[str, Any]:
    """Typed Config keyword arguments from the raw `converter:` section."""
    by_key = {f.metadata["key"]: f for f in fields(Config) if "key" in f.metadata}
    kwargs: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in by_key:
            raise ConversionError.at(source, None, f"converter: unknown key {key!r} (known: {', '.join(by_key)})")
        setting = by_key[key]
        try:
            kwargs[setting.name] = setting.metadata["parse"](value)
        except ValueError as error:
            raise ConversionError.at(source, None, f"converter.{key}: {error}") from None
    return kwargs


def load_config(config_file: Path, overrides: dict[str, Any] | None = None) -> Config:
    """Read the `converter:` section of `config_file`; command-line `overrides` win."""
    source = Path(config_file.name)  # problems name files relative to the project root
    raw: dict[str, Any] = {}
    if config_file.exists():
        with yaml_problems(source, first_line=1):
            data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=YAML_LOADER) or {}
        section = data.get("converter") or {}
        if not isinstance(section, dict):
            raise ConversionError.at(source, None, "converter: expected a mapping of settings")
        raw = section
        sphinx_config = (data.get("sphinx") or {}).get("config") or {}
        timezone = sphinx_config.get("blogbook_timezone") if isinstance(sphinx_config, dict) else None
        if timezone is not None:
            try:
                utc_offset(timezone)
            except ValueError as error:
                raise ConversionError.at(source, None, f"sphinx.config.blogbook_timezone: {error}") from None
            overrides = {"timezone": timezone, **(overrides or {})}
    config = replace(Config(root=config_file.parent), **_validated(raw, source))
    return replace(config, **{k: v for k, v in (overrides or {}).items() if v is not None})


def utc_offset(text: Any) -> dt.timezone:
    """`+09:00` -> the fixed offset; ValueError for anything else."""
    match = re.fullmatch(r"([+-])(\d{2}):(\d{2})", text) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"expected a UTC offset like +09:00, got {text!r}")
    sign = 1 if match.group(1) == "+" else -1
    return dt.timezone(sign * dt.timedelta(hours=int(match.group(2)), minutes=int(match.group(3))))


def today_in(config: Config, now: dt.datetime | None = None) -> dt.date:
    """Today's date where the author writes (`timezone`): a post dated today is published."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(utc_offset(config.timezone)).date()
