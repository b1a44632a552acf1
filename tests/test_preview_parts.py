"""The live preview's parts on their own: each tab's page version, and the background writer.

- A tab reloads when its own page or the sidebar changed, by their bytes: not when another
  page was written, nor when a build wrote the same bytes again; a path outside the site
  names no file.
- The deferred state is written by a forked child: its file is there once the child is done,
  a failing child is counted (the session then writes everything again), one child at a time,
  and the child does not keep the parent's signals or listening port.
"""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pytest

from blogbook.ext.shared_nav import NAV_FILE
from blogbook.preview.background import BackgroundWriter
from blogbook.preview.server import Shown


@pytest.fixture
def shown(tmp_path: Path) -> Shown:
    html = tmp_path / "html"
    (html / "book" / "posts").mkdir(parents=True)
    (html / "_static").mkdir()
    (html / "book" / "posts" / "a.html").write_text("<p>가</p>", encoding="utf-8")
    (html / "book" / "posts" / "b.html").write_text("<p>나</p>", encoding="utf-8")
    (html / "book" / "index.html").write_text("<p>첫</p>", encoding="utf-8")
    (html / NAV_FILE).write_text("<ul></ul>", encoding="utf-8")
    return Shown(html, boot="1")


def test_a_page_version_follows_its_own_bytes_and_the_sidebars(shown: Shown) -> None:
    a, b = "/book/posts/a.html", "/book/posts/b.html"
    first_a, first_b = shown.page_version(a), shown.page_version(b)
    (shown.html / "book" / "posts" / "b.html").write_text("<p>나 고침</p>", encoding="utf-8")
    assert shown.page_version(a) == first_a  # another page changed
    assert shown.page_version(b) != first_b
    (shown.html / "book" / "posts" / "a.html").write_text("<p>가</p>", encoding="utf-8")
    assert shown.page_version(a) == first_a  # written again, the same bytes
    (shown.html / NAV_FILE).write_text("<ul><li>새 글</li></ul>", encoding="utf-8")
    assert shown.page_version(a) != first_a  # every page shows the sidebar


def test_a_new_process_gives_every_page_a_new_version(shown: Shown) -> None:
    again = Shown(shown.html, boot="2")
    assert again.page_version("/book/posts/a.html") != shown.page_version("/book/posts/a.html")


@pytest.mark.parametrize(
    ("path", "file"),
    [
        ("/book/posts/a.html", "book/posts/a.html"),
        ("/book/posts/a.html?hl=%EA%B0%80", "book/posts/a.html"),
        ("/book/", "book/index.html"),
        ("/book", "book/index.html"),
        ("/book/posts/%EC%97%86%EC%9D%8C.html", "book/posts/없음.html"),
    ],
)
def test_a_url_path_names_its_file_in_the_site(shown: Shown, path: str, file: str) -> None:
    assert shown.file_for(path) == shown.html / file


@pytest.mark.parametrize("path", ["/../secret.txt", "/book/../../secret.txt", "/%2e%2e/secret.txt", "//secret.txt"])
def test_a_path_never_names_a_file_outside_the_site(shown: Shown, path: str) -> None:
    (shown.html.parent / "secret.txt").write_text("비밀", encoding="utf-8")
    file = shown.file_for(path)
    assert file is None or file.resolve().is_relative_to(shown.html.resolve())
    assert shown.page_version(path) == shown.page_version("/no-such-page.html")  # the secret is not read


def test_the_background_writer_writes_in_a_child_and_counts_its_failures(tmp_path: Path) -> None:
    writer = BackgroundWriter()
    target = tmp_path / "state"
    writer.start(lambda: target.write_text(str(os.getpid()), encoding="utf-8"))
    writer.wait()
    assert writer.failures == 0 and not writer.busy()
    assert int(target.read_text(encoding="utf-8")) != os.getpid()  # written by the child

    def fail() -> None:
        raise OSError("disk full")

    writer.start(fail)
    writer.wait()
    assert writer.failures == 1


def test_one_child_at_a_time_and_busy_until_it_is_done(tmp_path: Path) -> None:
    writer = BackgroundWriter()
    writer.start(lambda: time.sleep(0.5))
    assert writer.busy()
    with pytest.raises(RuntimeError):
        writer.start(lambda: None)
    writer.wait()
    assert not writer.busy() and writer.failures == 0


def test_the_child_lets_go_of_the_listening_port(tmp_path: Path) -> None:
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen()
    port = listening.getsockname()[1]
    writer = BackgroundWriter(in_child=listening.close)
    writer.start(lambda: time.sleep(5.0))
    listening.close()  # the preview exits while the child still writes
    deadline = time.monotonic() + 2.0
    while True:
        with socket.socket() as again:
            again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                again.bind(("127.0.0.1", port))  # no listener left on it: the child closed its copy
                break
            except OSError:
                assert time.monotonic() < deadline, "the writing child still listens on the port"
                time.sleep(0.05)
    writer.wait()


def test_without_fork_the_writer_writes_in_this_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where there is no `os.fork` (Windows) the state is still written, only not beside a save."""
    monkeypatch.delattr(os, "fork")
    writer = BackgroundWriter()
    target = tmp_path / "state"
    writer.start(lambda: target.write_text(str(os.getpid()), encoding="utf-8"))
    assert not writer.busy() and int(target.read_text(encoding="utf-8")) == os.getpid()

    def fail() -> None:
        raise OSError("disk full")

    writer.start(fail)
    assert writer.failures == 1


def test_the_watcher_queues_saves_and_merges_what_waited(tmp_path: Path) -> None:
    import threading

    from blogbook.preview.sources import Sources
    from blogbook.preview.watching import Watcher

    from conftest import make_project

    project = make_project(tmp_path / "book", with_posts=True)
    stop = threading.Event()
    watcher = Watcher(Sources.of(project.root), stop)
    watcher.start()
    try:
        assert watcher.get(timeout=0.2) is None and not watcher.pending()
        first, second = project.root / "posts" / "container-vs-vm.md", project.root / "posts" / "helm-chart-memo.md"
        first.write_text(first.read_text(encoding="utf-8") + "\n하나\n", encoding="utf-8")
        deadline = time.monotonic() + 10
        while not watcher.pending():
            assert time.monotonic() < deadline, "the save was not seen"
            time.sleep(0.05)
        second.write_text(second.read_text(encoding="utf-8") + "\n둘\n", encoding="utf-8")
        time.sleep(1.0)  # both batches wait
        batch = watcher.get(timeout=1)
        assert batch is not None and {Path(path).name for _, path in batch} == {first.name, second.name}
        assert not watcher.pending()
    finally:
        stop.set()
