"""The warm Sphinx application of the live preview, in this process, on the real posts.

- A second application made in the same process (the preview makes one when a post is added
  or removed) finds nothing to do when nothing changed: the extensions change Sphinx's shared
  defaults in place, and a second application that started from them hashed its configuration
  differently from `.buildinfo` and wrote every page again (42 s at 1,000 posts).
- A quick update (the saved post's page first) and the idle writes leave Sphinx's search index
  and every page as a clean build makes them, even when no full update came in between.
"""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from blogbook.preview.converting import WarmConverter
from blogbook.preview.warm import WarmBook

from conftest import build_command, make_project

pytestmark = [
    pytest.mark.build,
    # Jupyter Book 1's CLI module, imported here for its build settings, uses a Click name that
    # Click 8.2 deprecates; nothing of ours to change.
    pytest.mark.filterwarnings("ignore:'BaseCommand' is deprecated:DeprecationWarning"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, WarmConverter]]:
    project = make_project(tmp_path_factory.mktemp("warm") / "book", with_posts=True)
    converter = WarmConverter(project.root, hands_on=False)
    assert converter.run().problems == ()
    book = WarmBook(project.root, None, io.StringIO(), converter.toc_file)
    assert book.first_build() == 0
    book.flush()
    book.close()
    yield project.root, converter
    shutil.rmtree(project.root, ignore_errors=True)


def test_a_second_application_finds_nothing_outdated(built: tuple[Path, WarmConverter]) -> None:
    root, converter = built
    book = WarmBook(root, None, io.StringIO(), converter.toc_file)
    try:
        assert sorted(book.builder.get_outdated_docs()) == []
        result = book.update()
        assert result.written == () and result.read == ()
    finally:
        book.close()


def test_warming_up_leaves_the_page_as_it_was(built: tuple[Path, WarmConverter]) -> None:
    """The page built again before serving keeps its bytes and its time: an open tab does not
    reload, and a deploy that syncs by time uploads nothing."""
    root, converter = built
    docname = converter.any_page()
    assert docname is not None
    page = root / "_build" / "html" / f"{docname}.html"
    before, stat = page.read_bytes(), page.stat()
    book = WarmBook(root, None, io.StringIO(), converter.toc_file)
    try:
        book.warm_up(docname)
    finally:
        book.close()
    assert page.read_bytes() == before
    assert page.stat().st_mtime_ns == stat.st_mtime_ns


def test_a_quick_update_then_the_idle_writes_equal_a_clean_build(
    built: tuple[Path, WarmConverter], tmp_path: Path
) -> None:
    import subprocess

    from blogbook.converter.pipeline import ONE_OFF_TOC

    root, converter = built
    post = root / "posts" / "docker-volume-network.md"
    post.write_text(post.read_text(encoding="utf-8") + "\n빠른 저장으로만 들어간 낱말 고양이물방울.\n", "utf-8")
    quick = converter.quick([post])
    assert quick is not None and quick.written
    book = WarmBook(root, None, io.StringIO(), converter.toc_file)
    try:
        docnames = [path.with_suffix("").as_posix() for path in quick.written]
        assert book.update(only=docnames).written == tuple(docnames)
        book.flush()  # stopped here: no full update in between
    finally:
        book.close()
    index = (root / "_build" / "html" / "searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(index.removeprefix("Search.setIndex(").removesuffix(")"))["terms"]
    assert any(term.startswith("고양이물방울") for term in terms)  # fed, though the page was written without it

    clean = tmp_path / "clean"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("_build", ".cache"))
    assert WarmConverter(clean, hands_on=False).run().problems == ()
    built_clean = subprocess.run(
        [*build_command(), "--toc", str(ONE_OFF_TOC)], cwd=clean, capture_output=True, text=True, timeout=900
    )
    assert built_clean.returncode == 0, built_clean.stdout[-3000:] + built_clean.stderr[-3000:]
    for name in ("searchindex.js", "book/posts/docker-volume-network.html"):
        assert (root / "_build" / "html" / name).read_bytes() == (clean / "_build" / "html" / name).read_bytes(), name
