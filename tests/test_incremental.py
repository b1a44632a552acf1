"""Incremental builds give the same navigation as clean builds after adding, removing, retitling,
retagging: the sidebar, previous/next links, cards, and the blog's tag, series, archive pages,
series boxes, related posts and topic feeds.

Sphinx rewrites only pages whose source changed; the sidebar file and the neighbours'
previous/next links must still follow every change to the table of contents.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import COPY_IGNORE, ROOT, build
from conftest import convert as run_converter

pytestmark = pytest.mark.build

NEW_POST_FILE = "새로-추가한-글.md"  # a Korean name: its URL is percent-encoded, its file is not
NEW_POST = """---
id: 900
title: "[메모] 새로 추가한 글"
subtitle: "증분 빌드 확인"
date: "2025.12.31"
thumbnail: "container-vs-vm.png"
tags: [Docker, 새태그]
series: "컨테이너 기초"
---
#
# 새 글

새 글의 본문입니다.
"""


def convert(root: Path) -> None:
    result = run_converter(root, "--no-hands-on")
    assert result.returncode == 0, result.stderr


def built(root: Path) -> None:
    result = build(root)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


def navigation(root: Path) -> dict[str, object]:
    """Everything a reader navigates by: prev/next on each page, the sidebar file, the cards."""
    html = root / "_build" / "html"
    seen: dict[str, object] = {"sidebar": (html / "_static" / "book-nav.html").read_text(encoding="utf-8")}
    for file in sorted((html / "book").rglob("*.html")):
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        links = [
            (a.get("class", [""])[0], a["href"], " ".join(a.get_text().split()))
            for a in soup.select(".prev-next-area a")
        ]
        heads = [(link["rel"][0], link["href"]) for link in soup.select('head link[rel="prev"], head link[rel="next"]')]
        cards = [" ".join(c.get_text().split()) for c in soup.select(".post-card")]
        # the blog's listings: tag cloud, post lists, series box, related posts, the meta line's links
        listed = [
            (" ".join(n.get_text().split()), [a["href"] for a in n.select("a")])
            for n in soup.select(".tag-cloud, .post-list, .post-series, .post-related, .post-info")
        ]
        feeds = [link["href"] for link in soup.select('head link[type="application/atom+xml"]')]
        seen[file.relative_to(html).as_posix()] = (links, heads, cards, listed, feeds)
    for feed in sorted((html / "feeds").rglob("*.xml")):
        seen[feed.relative_to(html).as_posix()] = feed.read_text(encoding="utf-8")
    return seen


def clean_copy_of(root: Path, target: Path) -> Path:
    shutil.copytree(root, target, ignore=shutil.ignore_patterns("_build", "__pycache__"))
    built(target)
    return target


def retag(post: Path, tags: str) -> None:
    post.write_text(re.sub(r"(?m)^tags: .*$", f"tags: {tags}", post.read_text(encoding="utf-8")), encoding="utf-8")


def edit_title(post: Path, title: str) -> None:
    post.write_text(re.sub(r"(?m)^title: .*$", f'title: "{title}"', post.read_text(encoding="utf-8")), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "incremental"
    shutil.copytree(ROOT, root, ignore=COPY_IGNORE)
    convert(root)
    built(root)
    return root


ADDED_PARAGRAPH = "본문 끝에 덧붙인 문단입니다."


def edit_body(post: Path) -> None:
    """Only the body: front matter (title, subtitle, date) would change the landing page's cards."""
    post.write_text(post.read_text(encoding="utf-8") + f"\n{ADDED_PARAGRAPH}\n", encoding="utf-8")


def test_add_remove_retitle_and_edit_match_a_clean_build(project: Path, tmp_path: Path) -> None:
    changes = {
        "edit": lambda: edit_body(project / "posts" / "helm-chart-memo.md"),
        "add": lambda: (project / "posts" / NEW_POST_FILE).write_text(NEW_POST, encoding="utf-8"),
        "retitle": lambda: edit_title(project / "posts" / "docker-image-layers.md", "[공부] 이름을 바꾼 레이어 글"),
        "retag": lambda: retag(project / "posts" / "docker-volume-network.md", "[볼륨, 네트워크, 새태그]"),
        "remove": (project / "posts" / NEW_POST_FILE).unlink,
    }
    for name, change in changes.items():
        change()
        convert(project)
        built(project)
        incremental = navigation(project)
        clean = navigation(clean_copy_of(project, tmp_path / f"clean-{name}"))
        assert incremental == clean, f"after {name}: stale navigation on " + ", ".join(
            key for key in sorted(clean.keys() | incremental.keys()) if incremental.get(key) != clean.get(key)
        )


def test_editing_one_post_rewrites_only_that_page(project: Path) -> None:
    """Not the landing page either, though Sphinx rewrites a toctree's root whenever a child changes."""
    html = project / "_build" / "html"
    before = {p: p.stat().st_mtime_ns for p in (html / "book").rglob("*.html")}
    edit_body(project / "posts" / "helm-chart-memo.md")
    convert(project)
    built(project)
    changed = sorted(p.relative_to(html).as_posix() for p, mtime in before.items() if p.stat().st_mtime_ns != mtime)
    assert changed == ["book/posts/helm-chart-memo.html"]
    assert ADDED_PARAGRAPH in (html / "book" / "posts" / "helm-chart-memo.html").read_text(encoding="utf-8")
