"""The table of contents: the landing page, one part per category, then hand-written parts.

Part and chapter entries for posts are rebuilt from the posts on every run; any other part
(a hands-on chapter, an appendix written by hand) keeps its place. The result is checked by
round-tripping through sphinx-external-toc, the parser Jupyter Book itself uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from sphinx_external_toc.parsing import MalformedError, parse_toc_data

from ..schema import MARKER, Card, carries_marker
from .diagnostics import YAML_LOADER, ConversionError, yaml_problems
from .render import Page, by_category

Part = dict[str, Any]


def _files(entry: dict[str, Any]) -> list[str]:
    """Every file named in a toc entry and the entries below it."""
    found = [entry["file"]] if "file" in entry else []
    for key in ("chapters", "sections"):
        for child in entry.get(key, []) or []:
            found += _files(child)
    return found


def _all_under(part: Part, prefix: str | tuple[str, ...]) -> bool:
    """The part lists files and all of them are under `prefix` (the posts' or the hands-on folder)."""
    files = _files(part)
    return bool(files) and all(f.startswith(prefix) for f in files)


def _category_parts(pages: Sequence[Page], order: Sequence[str]) -> list[Part]:
    """One part per category, chapters oldest first (a book reads in the order it was written)."""
    return [
        {"caption": category, "chapters": [{"file": page.docname} for page in group]}
        for category, group in by_category(pages, order)
    ]


HANDS_ON_CAPTION = "실습"


def hands_on_part(folder: Path, root: Path) -> Part | None:
    """The hands-on part from its folder: the index page, then notebooks and pages by name."""
    index = folder / "index.md"
    if not (root / index).is_file():
        return None
    pages = sorted(p for p in (root / folder).iterdir() if p.suffix in (".ipynb", ".md") and p.name != "index.md")
    chapter: dict[str, Any] = {"file": index.with_suffix("").as_posix()}
    if pages:
        chapter["sections"] = [{"file": p.relative_to(root).with_suffix("").as_posix()} for p in pages]
    return {"caption": HANDS_ON_CAPTION, "chapters": [chapter]}


def hands_on_card(folder: Path, root: Path) -> Card | None:
    """The hands-on part's card for the landing page: its index page's title, and how many
    notebooks it holds. None when the part has no index page."""
    index = folder / "index.md"
    try:
        text = (root / index).read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return None
    tokens = MarkdownIt("commonmark").parse(text)
    title = next(
        (tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h1"), ""
    )
    notebooks = sum(1 for p in (root / folder).iterdir() if p.suffix == ".ipynb")
    subtitle = f"주피터 노트북 {notebooks}편: 직접 실행해 보는 실습" if notebooks else ""
    return Card(title.strip() or HANDS_ON_CAPTION, subtitle, "", HANDS_ON_CAPTION, index.with_suffix("").as_posix())


def build_toc(
    *,
    existing: dict[str, Any] | None,
    root_doc: str,
    pages: Sequence[Page],
    pages_prefix: str,
    category_order: Sequence[str],
    hands_on: Part | None,
    hands_on_prefix: str,
    browse: Part | None = None,
    browse_prefixes: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Merge freshly generated post parts into the existing toc, keeping hand-written parts.
    The listing pages' part (`browse`, found by `browse_prefixes`) comes last the first time."""
    old_parts: list[Part] = list((existing or {}).get("parts", []) or [])
    generated = _category_parts(pages, category_order)
    # Each generated group of parts goes where the toc had it; new ones: posts first, then the end.
    groups: list[tuple[str | tuple[str, ...], list[Part]]] = [
        (pages_prefix, generated),
        (hands_on_prefix, [hands_on] if hands_on else []),
        (browse_prefixes, [browse] if browse else []),
    ]
    placed: set[int] = set()
    parts: list[Part] = []
    for part in old_parts:
        owner = next((i for i, (prefix, _) in enumerate(groups) if prefix and _all_under(part, prefix)), None)
        if owner is None:
            parts.append(part)
        elif owner not in placed:
            parts += groups[owner][1]
            placed.add(owner)
    if 0 not in placed:
        parts[0:0] = generated
    parts += [part for i, (_, group) in enumerate(groups[1:], start=1) if i not in placed for part in group]
    data: dict[str, Any] = {"format": "jb-book", "root": root_doc}
    if parts:
        data["parts"] = parts
    try:
        parse_toc_data(data)  # what Jupyter Book will read
    except MalformedError as error:
        raise ValueError(str(error).splitlines()[0]) from None
    return data


def read_toc(path: Path, shown: Path) -> dict[str, Any] | None:
    """The current toc, if any; it must be one this converter wrote."""
    if not path.exists():
        return None
    raw = path.read_bytes()
    if not carries_marker(raw):
        raise ConversionError.at(shown, 1, f"not written by the converter (no '# {MARKER}' line); move it aside")
    text = raw.decode("utf-8")
    with yaml_problems(shown, first_line=1):
        data = yaml.load(text, Loader=YAML_LOADER) or {}
    return data if isinstance(data, dict) else None


def dump_toc(data: dict[str, Any]) -> str:
    """YAML text of the toc, with the marker line the converter looks for next time."""
    header = f"# {MARKER}: post parts come from posts/, other parts are kept as written.\n"
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: 10x faster at 1,000 posts
    return header + yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)
