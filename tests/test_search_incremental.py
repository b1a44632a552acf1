"""After a post is added, edited or removed, an incremental build's search index is the clean build's.

The index is assembled from per-page records kept in the environment; this checks that records
of re-read and removed pages are replaced and dropped, and that stale shard and fragment files
are deleted (`_search/` compared file by file, bytes and names).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import COPY_IGNORE, ROOT, build
from conftest import convert as run_converter

pytestmark = pytest.mark.build

NEW_POST = """---
id: 901
title: "[메모] 증분 검색 확인"
subtitle: "새 낱말 펭귄색인시험"
date: "2025.12.30"
thumbnail: "container-vs-vm.png"
---
#
# 새 글

펭귄색인시험(Penguinindex)이라는 낱말은 이 글에만 있습니다.
"""


def step(root: Path) -> None:
    result = run_converter(root, "--no-hands-on")
    assert result.returncode == 0, result.stderr
    built = build(root)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]


def index_files(root: Path) -> dict[str, bytes]:
    folder = root / "_build" / "html" / "_search"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.js"))}


def test_index_after_add_edit_remove_matches_a_clean_build(tmp_path: Path) -> None:
    root = tmp_path / "incremental"
    shutil.copytree(ROOT, root, ignore=COPY_IGNORE)
    step(root)
    changes = {
        "add and edit": lambda: (
            (root / "posts" / "search-new.md").write_text(NEW_POST, encoding="utf-8"),
            (root / "posts" / "helm-chart-memo.md").write_text(
                (root / "posts" / "helm-chart-memo.md").read_text(encoding="utf-8") + "\n덧붙인 문단 갈색여우단서.\n",
                encoding="utf-8",
            ),
        ),
        "remove": (root / "posts" / "search-new.md").unlink,
    }
    for name, change in changes.items():
        change()
        step(root)
        clean = tmp_path / f"clean-{name.replace(' ', '-')}"
        shutil.copytree(root, clean, ignore=shutil.ignore_patterns("_build", "__pycache__", ".cache"))
        step(clean)
        incremental, fresh = index_files(root), index_files(clean)
        assert sorted(incremental) == sorted(fresh), f"after {name}: different files"
        differ = [k for k in fresh if incremental[k] != fresh[k]]
        assert not differ, f"after {name}: {differ[:5]}"
        meta = incremental["meta.js"].decode("utf-8")
        assert ("증분 검색 확인" in meta) == (name != "remove")
