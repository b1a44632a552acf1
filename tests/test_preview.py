"""The live preview (`make serve`) as an author meets it: a real process, a real port, a real tab.

- After a series of edits, additions, removals and a broken save, every page the preview serves
  equals the page a clean `jupyter-book build .` makes of the same sources, and after it stops
  (SIGTERM: the deferred environment, search index, feed and sitemap are written) every file of
  `_build/html` does too.
- A broken post shows its `path:line: message` over the page, as text; the next good save
  clears it and the tab shows the fix (Chromium).
- A busy port is one line before any build; SIGINT and SIGTERM stop with status 0, no
  traceback, no temporary file left, the port free.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import quote

import pytest

from blogbook.converter.pipeline import ONE_OFF_TOC

from conftest import COPY_IGNORE, ROOT, build_command, convert

SERVE = ROOT / "scripts" / "serve.py"
INJECTED = re.compile(rb"<script>\(\(\) => \{\n  const version = .*?</script></body>", re.DOTALL)
BROKEN = '---\ntitle: "[공부] 깨진 글"\ndate: "<b>2025.13.45</b>"\n---\n본문\n'


FIRST_IN_VIEW = """() => [...document.querySelectorAll("main p")]
  .find((p) => p.getBoundingClientRect().top >= 0)?.textContent"""
IN_VIEW = """(text) => [...document.querySelectorAll("main p")].some((p) => {
  const box = p.getBoundingClientRect();
  return p.textContent === text && box.top >= 0 && box.bottom <= innerHeight;
})"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


@dataclass
class Preview:
    """A running `scripts/serve.py` on a copy of the project."""

    root: Path
    port: int
    process: subprocess.Popen[bytes]
    log: IO[bytes]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def output(self) -> str:
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")

    def state(self) -> dict[str, object]:
        return json.loads(_fetch(self.base + "__preview/state"))

    def wait_for(self, condition: Callable[[], bool], what: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(
                    f"the preview exited ({self.process.returncode}) waiting for {what}\n{self.output()[-3000:]}"
                )
            try:
                if condition():
                    return
            except OSError:
                pass
            time.sleep(0.1)
        pytest.fail(f"timed out waiting for {what}\n{self.output()[-3000:]}")

    def change(self, action: Callable[[], None], *, problems: bool = False, rebuilds: bool = True) -> None:
        """Do `action` (a save) and wait until the preview has dealt with it."""
        before = self.state()
        action()
        if problems:
            self.wait_for(lambda: bool(self.state()["problems"]), "the problems")
        elif not rebuilds:
            self.wait_for(lambda: not self.state()["problems"], "the problems to clear")
        else:
            self.wait_for(
                lambda: (s := self.state())["version"] != before["version"] and not s["problems"] and s["settled"],
                "the rebuild, the save's own page first and then the pages that list it",
            )

    def served(self, page: str) -> bytes:
        """A page as served, without the preview's script."""
        body = _fetch(self.base + quote(page))
        assert b"</body>" not in body or INJECTED.search(body), page  # fragments (the sidebar) have none
        return INJECTED.sub(b"</body>", body, count=1)

    def stop(self, number: int) -> int:
        self.process.send_signal(number)
        return self.process.wait(timeout=120)


@contextmanager
def preview(tmp_path: Path) -> Iterator[Preview]:
    root = tmp_path / "book"
    shutil.copytree(ROOT, root, ignore=COPY_IGNORE)
    port = _free_port()
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, str(SERVE), "--root", str(root), "--port", str(port), "--no-hands-on"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    running = Preview(root, port, process, log)
    try:
        running.wait_for(
            lambda: b"__preview/events" in _fetch(running.base + "book/index.html"), "the first build", 600
        )
        yield running
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
        log.close()


def _edit(path: Path, old: str, new: str) -> Callable[[], None]:
    def action() -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return action


def _write(path: Path, text: str) -> Callable[[], None]:
    return lambda: path.write_text(text, encoding="utf-8")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _without_config_hash(data: bytes) -> bytes:
    return re.sub(rb"(?m)^config: [0-9a-f]+$", b"config: -", data)


def build_without_hands_on(root: Path) -> subprocess.CompletedProcess[str]:
    """What `make book HANDS_ON=0` runs after converting: the build from the one-off toc."""
    command = [*build_command(), "--toc", str(ONE_OFF_TOC)]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=900)


def _clean_build(sources: Path, target: Path) -> Path:
    shutil.copytree(sources, target, ignore=shutil.ignore_patterns("_build", ".cache", "__pycache__"))
    converted = convert(target, "--no-hands-on", "--toc-out", str(ONE_OFF_TOC))
    assert converted.returncode == 0, converted.stderr
    built = build_without_hands_on(target)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return target / "_build" / "html"


@pytest.mark.build
def test_served_book_equals_a_clean_build_after_edits_additions_and_removals(tmp_path: Path) -> None:
    with preview(tmp_path) as running:
        posts = running.root / "posts"
        new_post = posts / "미리보기-새-글.md"
        running.change(
            _edit(
                posts / "container-vs-vm.md", "차근차근 정리해 보려고 합니다.", "차근차근 정리해 봅니다. 미리보기 편집."
            )
        )
        running.change(
            _write(new_post, (posts / "docker-image-layers.md").read_text("utf-8").replace("id: ", "id: 9", 1))
        )
        running.change(_edit(posts / "kubernetes-pod-node.md", 'title: "', 'title: "고친 제목 '))
        running.change(_write(posts / "broken.md", BROKEN), problems=True)
        running.change((posts / "broken.md").unlink, rebuilds=False)
        running.change((posts / "helm-chart-memo.md").unlink)
        running.change(_edit(new_post, "#\n# ", "#\n# 새 글에서 고친 "))

        html = _clean_build(running.root, tmp_path / "clean")
        clean = _files(html)
        pages = [name for name in clean if name.endswith(".html") and name != "index.html"]
        assert len(pages) > 10
        for page in pages:
            assert running.served(page) == clean[page], f"{page} served differs from a clean build"

        assert running.stop(signal.SIGTERM) == 0
        output = running.output()
        assert "Traceback" not in output and "preview: stopped" in output
        served = _files(running.root / "_build" / "html")
        assert sorted(served) == sorted(clean)
        # .buildinfo hashes the config, which holds absolute paths (the toc Jupyter Book passes):
        # it differs between any two folders, so it is compared without its hash.
        different = [name for name in clean if _without_config_hash(served[name]) != _without_config_hash(clean[name])]
        assert not different, f"files that differ from a clean build after the flush: {different}"
        again = build_without_hands_on(running.root)  # the state the preview wrote is the one the build keeps
        assert again.returncode == 0, again.stdout[-3000:]
        assert "0 added, 0 changed, 0 removed" in again.stdout, again.stdout[-3000:]


@pytest.mark.build
def test_a_broken_post_shows_over_the_page_until_fixed(tmp_path: Path) -> None:
    from browser import DESKTOP, chromium, new_context

    with preview(tmp_path) as running, chromium() as browser:
        context = new_context(browser, running.base, **DESKTOP)
        page = context.new_page()
        page.goto(running.base + "book/posts/container-vs-vm.html")
        page.evaluate("window.scrollTo(0, 1600)")  # far enough that the top of the page would not show it
        reading = page.evaluate(FIRST_IN_VIEW)  # what the reader looks at
        assert reading
        post = running.root / "posts" / "container-vs-vm.md"
        good = post.read_text(encoding="utf-8")
        post.write_text(good.replace('date: "2025.03.24"', 'date: "<b>2025.13.45</b>"'), encoding="utf-8")
        panel = page.locator("#preview-problems")
        panel.wait_for(state="visible", timeout=60_000)
        text = panel.inner_text()
        assert "posts/container-vs-vm.md:5: date: unreadable date '<b>2025.13.45</b>'" in text, text
        assert panel.locator("b").count() == 0, "a post is data: its text is never markup"
        assert "posts/container-vs-vm.md:5: date:" in running.output()

        post.write_text(good + "\n고친 뒤에 덧붙인 문장입니다.\n", encoding="utf-8")
        page.get_by_text("고친 뒤에 덧붙인 문장입니다.").wait_for(state="visible", timeout=60_000)
        assert panel.count() == 0
        page.wait_for_load_state("load")
        # Images above the place may load (and push it) after `load`: the page follows them.
        page.wait_for_function(IN_VIEW, arg=reading, timeout=5_000)  # the reload keeps the reader's place
        context.close()


@pytest.mark.build
def test_a_save_reloads_the_tabs_whose_page_changed_and_no_other(tmp_path: Path) -> None:
    """The saved post's tab shows the new text; a tab on a page the save did not change (the
    search page, which every full update writes again with the same bytes) keeps its state."""
    from browser import DESKTOP, chromium, new_context

    with preview(tmp_path) as running, chromium() as browser:
        context = new_context(browser, running.base, **DESKTOP)
        post_tab, other_tab = context.new_page(), context.new_page()
        post_tab.goto(running.base + "book/posts/container-vs-vm.html")
        other_tab.goto(running.base + "search.html")
        for tab in (post_tab, other_tab):
            tab.wait_for_load_state("load")
            tab.evaluate("window.untouched = true")
        sentence = "탭 하나만 다시 읽는지 보는 문장입니다."
        post = running.root / "posts" / "container-vs-vm.md"
        running.change(lambda: post.write_text(post.read_text("utf-8") + f"\n{sentence}\n", encoding="utf-8"))
        post_tab.get_by_text(sentence).wait_for(state="visible", timeout=60_000)
        assert post_tab.evaluate("window.untouched") is None  # reloaded
        time.sleep(1.0)  # an event would have reached the other tab by now
        assert other_tab.evaluate("window.untouched") is True
        context.close()


@pytest.mark.build
@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_stops_cleanly_and_frees_the_port(tmp_path: Path, number: int) -> None:
    with preview(tmp_path) as running:
        post = running.root / "posts" / "container-vs-vm.md"
        post.write_text(post.read_text(encoding="utf-8") + "\n저장하자마자 멈춥니다.\n", encoding="utf-8")
        time.sleep(0.2)  # the save is being converted or built when the signal comes
        assert running.stop(number) == 0
        output = running.output()
        assert "Traceback" not in output, output[-3000:]
        assert output.rstrip().endswith("preview: stopped")
        left = [p for p in running.root.rglob("*") if p.name.endswith(".tmp")]
        assert not left, left
        with socket.socket() as again:  # as the next preview binds it (SO_REUSEADDR, like http.server)
            again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            again.bind(("127.0.0.1", running.port))  # no listener left on it
            again.listen()


def test_live_preview_on_a_busy_port_says_so_at_once(tmp_path: Path) -> None:
    """One line naming the port and the way out, exit 2, and no build first."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, str(SERVE), "--root", str(ROOT), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"preview: cannot serve on 127.0.0.1:{port} (Address already in use); pick another port: make serve PORT=8001"
    ]
    assert "Traceback" not in result.stderr and "built" not in result.stdout
