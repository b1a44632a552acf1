"""`blogbook.ext.build_speed` replaces part of sphinx-external-toc: the files it excludes must not change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sphinx_external_toc.events import parse_toc_to_env

from blogbook.ext.build_speed import _parse_toc_quickly

TOC = """format: jb-book
root: book/index
parts:
- caption: 글
  chapters:
  - file: book/posts/a
  - file: book/posts/b.md
  - glob: book/more/*
"""

FILES = [
    "README.md",
    "book/index.md",
    "book/_post_cards.md",
    "book/notes.md",
    "book/posts/a.md",
    "book/posts/b.md",
    "book/posts/c.md",
    "book/posts/d.ipynb",
    "book/more/x.md",
    "book/more/deeper/y.md",
    "book/.hidden/z.md",
    "book/.draft.md",
    "book/posts/.ipynb_checkpoints/a-checkpoint.ipynb",
    "posts/a.md",
    "_build/html/_sources/book/posts/a.md",
    "ext/static/notes.md",
    "book/image.png",
]


class FakeConfig(dict[str, Any]):
    """The slice of Sphinx's Config the handler touches: item and attribute access to one dict."""

    def __getattr__(self, name: str) -> Any:
        return self[name]

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value


def excluded_by(handler: Any, root: Path) -> list[str]:
    config = FakeConfig(
        external_toc_path="_toc.yml",
        external_toc_exclude_missing=True,
        master_doc="index",
        source_suffix={".rst": "restructuredtext", ".ipynb": "myst-nb", ".md": "myst-nb"},
        exclude_patterns=["_build", "posts", "ext", "README.md", "**/.ipynb_checkpoints"],
    )
    app = type("App", (), {"srcdir": root, "config": config})()
    handler(app, config)
    assert config.master_doc == "book/index"
    return sorted(config.exclude_patterns)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "_toc.yml").write_text(TOC, encoding="utf-8")
    for name in FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("# x\n", encoding="utf-8")
    return tmp_path


def test_the_quick_walk_excludes_exactly_what_sphinx_external_toc_excludes(tree: Path) -> None:
    upstream = excluded_by(parse_toc_to_env, tree)
    assert "book/notes.md" in upstream and "book/_post_cards.md" in upstream
    assert excluded_by(_parse_toc_quickly, tree) == upstream
