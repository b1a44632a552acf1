"""What the live preview watches: sources trigger a rebuild, the converter's own output never does.

A generated file that counted as a source would make every rebuild that rewrites it start
another one (and a new one, a new Sphinx application), so the tab waits seconds for a save.
The test converts the real posts and asks about every file the conversion wrote, whatever
kind of page it is, so a new kind of generated page is covered without naming it here.
"""

from __future__ import annotations

from pathlib import Path

from blogbook.converter.writer import is_generated
from blogbook.preview.sources import Sources

from conftest import make_project


def test_no_file_the_converter_writes_is_a_source(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", with_posts=True)
    before = {path for path in project.root.rglob("*") if path.is_file()}
    assert project.convert().returncode == 0
    written = sorted(p for p in project.root.rglob("*") if p.is_file() and p not in before and "_build" not in p.parts)
    generated = [path for path in written if is_generated(path) or path.name == "_toc.yml"]
    assert len(generated) > 20  # post pages, cards, toc, tags, series, categories, archive
    assert {path.parent.name for path in generated} >= {"posts", "tags", "series", "categories", "book"}
    sources = Sources.of(project.root)
    watched = [p.relative_to(project.root).as_posix() for p in generated if sources.is_source(None, str(p))]
    assert watched == []


def test_posts_images_pages_and_config_are_sources(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", with_posts=True)
    sources = Sources.of(project.root)
    for relative in ("posts/new.md", "static/image/new.png", "book/index.md", "book/hands-on/intro.md", "_config.yml"):
        assert sources.is_source(None, str(project.root / relative)), relative
    for relative in ("posts/.new.md.swp", "posts/new.md~", "_build/html/index.html", ".cache/x"):
        assert not sources.is_source(None, str(project.root / relative)), relative
