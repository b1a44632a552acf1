"""Read a blog post file into a frozen `Post`: bytes checked, front matter typed and validated."""

from __future__ import annotations

import codecs
import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from ..schema import name_key
from .diagnostics import YAML_LOADER, ConversionError, Problem, yaml_problems

_DELIMITER = "---"
_DATE_TEXT = re.compile(r"(\d{4})[.\-/](\d{1,2})[.\-/](\d{1,2})\.?")
_CATEGORY = re.compile(r"\[([^\[\]]+)\]\s*(.*)", re.DOTALL)


@dataclass(frozen=True)
class Post:
    """One post as the blog has it, with its front matter turned into typed fields."""

    source: Path
    stem: str
    id: int | str | None
    title: str
    category: str
    subtitle: str
    date: dt.date | None
    thumbnail: str | None
    tags: tuple[str, ...]
    draft: bool
    body: str
    body_line: int
    """1-based line of the source file on which `body` starts, for error messages."""
    key_lines: tuple[tuple[str, int], ...] = ()
    """1-based line of each front-matter key, for messages about a field."""
    series: str = ""
    """The one series the post belongs to (`series:`), or empty."""
    series_order: int | None = None
    """Its place in the series (`series_order:`, a whole number from 1); else by date."""

    def line_of_key(self, key: str) -> int:
        """Where a front-matter key is written (line 1 when it is missing)."""
        return dict(self.key_lines).get(key, 1)

    def line_of(self, body_index: int) -> int:
        """The source line of a 0-based body line index."""
        return self.body_line + body_index


def decode(source: Path, data: bytes) -> str:
    """Bytes to text with LF line endings; the errors name the line a person must fix."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ConversionError.at(source, line, "binary data (NUL byte), not a Markdown text file")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        raise ConversionError.at(source, line, f"not valid UTF-8 (byte 0x{byte:02x}); save the file as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _split_front_matter(source: Path, text: str) -> tuple[list[str], list[str], int]:
    """Front matter lines, body lines, and the 1-based line where the body starts."""
    lines = text.split("\n")
    if lines[0].rstrip() != _DELIMITER:
        raise ConversionError.at(source, 1, "no front matter: the file must start with a '---' line")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (_DELIMITER, "..."):
            return lines[1:index], lines[index + 1 :], index + 2
    raise ConversionError.at(source, 1, "front matter opened here is never closed with '---'")


def _load_front_matter(front: str) -> tuple[Any, dict[str, int]]:
    """The front matter's values, and the 0-based line of each top-level key, from one parse.

    python-frontmatter's YAML handler builds the values; the loader it is given notes where
    each key was written while the document is built, so messages can name the line.
    """
    key_lines: dict[str, int] = {}

    class KeyLineLoader(YAML_LOADER):  # type: ignore[misc,valid-type]
        def construct_document(self, node: yaml.Node) -> Any:
            if isinstance(node, yaml.MappingNode):
                key_lines.update(
                    (key.value, key.start_mark.line) for key, _ in node.value if isinstance(key, yaml.ScalarNode)
                )
            try:
                return super().construct_document(node)
            except ValueError as error:  # a scalar YAML reads but cannot build: `date: 2025-13-45`
                raise _ValueAt(_failing_line(self, node), str(error)) from None

    return frontmatter.YAMLHandler().load(front, Loader=KeyLineLoader), key_lines


class _ValueAt(Exception):
    """A front-matter value YAML could not build, with the 0-based line it is written on."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _failing_line(loader: Any, node: yaml.Node) -> int:
    """The line of the first top-level value that fails to build on its own."""
    if isinstance(node, yaml.MappingNode):
        for _, value in node.value:
            loader.constructed_objects, loader.recursive_objects = {}, {}  # left over from the failed build
            try:
                loader.construct_object(value, deep=True)
            except ValueError:
                return int(value.start_mark.line)
    return int(node.start_mark.line)


def parse_date(value: Any) -> dt.date:
    """Accept the blog's `2025.03.24` and `2025.6.3`, ISO `2025-05-17`, and YAML dates."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and (match := _DATE_TEXT.fullmatch(value.strip())):
        year, month, day = (int(part) for part in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError as error:
            raise ValueError(f"impossible date {value!r}: {error}") from None
    raise ValueError(f"unreadable date {value!r}; write it like 2025.03.24")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
"""Control characters: `"D:\\backup"` in double quotes holds a backspace. They show as nothing and
make the feed and sitemap invalid XML, so they go."""


def clean_text(value: str) -> str:
    """Front-matter text as one line: control characters gone, line breaks and runs of spaces one
    space (a title written over two lines in YAML keeps all its words)."""
    return " ".join(_CONTROL.sub("", value).split())


def _text(value: Any) -> str:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return clean_text(str(value))
    raise ValueError(f"expected text, got {value!r}")


def _optional_text(value: Any) -> str:
    return "" if value is None else _text(value)


def _identifier(value: Any) -> int | str | None:
    if value is None or (isinstance(value, (int, str)) and not isinstance(value, bool)):
        return value
    raise ValueError(f"expected a number or text, got {value!r}")


def _tags(value: Any) -> tuple[str, ...]:
    """The post's tags as written; one spelling per tag (`Docker`, `docker`: the first one)."""
    if value is None:
        return ()
    if isinstance(value, str):
        tags = [tag for tag in map(clean_text, value.split(",")) if tag]
    elif isinstance(value, list) and all(isinstance(tag, (str, int)) for tag in value):
        tags = [tag for tag in (clean_text(str(item)) for item in value) if tag]
    else:
        raise ValueError(f"expected a list of tags, got {value!r}")
    seen: dict[str, str] = {}
    for tag in tags:
        seen.setdefault(name_key(tag), tag)
    return tuple(seen.values())


def _series(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        raise ValueError(f"a post belongs to at most one series; write one name, not a list ({value!r})")
    if not isinstance(value, str):
        raise ValueError(f"expected the series' name as text, got {value!r}")
    name = clean_text(value)
    if not name:
        raise ValueError("empty series name; write the series' name or leave the key out")
    return name


def _series_order(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"expected a whole number from 1 (the post's place in its series), got {value!r}")
    return value


def _flag(value: Any) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    raise ValueError(f"expected true or false, got {value!r}")


# Each front-matter field and the function that turns its raw YAML value into a typed one.
_FIELDS: dict[str, Callable[[Any], Any]] = {
    "id": _identifier,
    "title": _optional_text,
    "subtitle": _optional_text,
    "date": lambda value: None if value is None else parse_date(value),
    "thumbnail": lambda value: _optional_text(value) or None,
    "tags": _tags,
    "draft": _flag,
    "series": _series,
    "series_order": _series_order,
}


def _unknown_keys(raw: dict[Any, Any], key_lines: dict[str, int], source: Path) -> list[Problem]:
    """A key the converter does not read is a mistake (`Draft: true` would publish a draft)."""
    problems = []
    for key in raw:
        if key in _FIELDS:
            continue
        name = str(key)
        close = [known for known in _FIELDS if known == name.lower()] or get_close_matches(name, list(_FIELDS), 1)
        hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(_FIELDS)})"
        problems.append(Problem(source, key_lines.get(name, -1) + 2, f"unknown front-matter key {name!r}{hint}"))
    return problems


def split_category(title: str, default: str) -> tuple[str, str]:
    """`[공부] Kubernetes와 Docker` -> (`공부`, `Kubernetes와 Docker`)."""
    match = _CATEGORY.fullmatch(title.strip())
    if match and match.group(2).strip():
        return match.group(1).strip(), match.group(2).strip()
    return default, title.strip()


def read_post(source: Path, data: bytes, default_category: str) -> Post:
    """Parse one post file's bytes; `source` is the path shown in messages."""
    text = decode(source, data)
    front_lines, body_lines, body_line = _split_front_matter(source, text)
    front = "\n".join(front_lines)
    with yaml_problems(source, first_line=2, what="invalid YAML in front matter"):
        try:
            raw, key_lines = _load_front_matter(front)
        except _ValueAt as error:
            raise ConversionError.at(source, error.line + 2, f"invalid value in front matter: {error}") from None
        raw = raw or {}
    if not isinstance(raw, dict):
        raise ConversionError.at(source, 2, "front matter must be a mapping of keys to values")
    problems = _unknown_keys(raw, key_lines, source)
    values: dict[str, Any] = {}
    for key, convert in _FIELDS.items():
        try:
            values[key] = convert(raw.get(key))
        except ValueError as error:
            problems.append(Problem(source, key_lines.get(key, -1) + 2, f"{key}: {error}"))
    if values.get("series_order") is not None and not values.get("series"):
        problems.append(
            Problem(source, key_lines.get("series_order", -1) + 2, "series_order: given without a series: key")
        )
    if "title" in values and not values["title"]:
        problems.append(Problem(source, key_lines.get("title", -1) + 2, "missing title in front matter"))
    if problems:
        raise ConversionError(sorted(problems, key=lambda problem: problem.line or 0))
    category, title = split_category(values.pop("title"), default_category)
    return Post(
        source=source,
        stem=unicodedata.normalize("NFC", source.stem),  # macOS writes names in NFD
        title=title,
        category=category,
        body="\n".join(body_lines),
        body_line=body_line,
        key_lines=tuple((key, line + 2) for key, line in key_lines.items()),
        **values,
    )
