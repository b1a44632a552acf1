"""`SearchIndex` -> the files under `_search/`, each a script that registers its data.

Why scripts and not JSON: a page opened from `file://` cannot `fetch()` a file next to it,
but it can load a `<script>`; each file calls `BlogSearch.add(name, data)`, which the
instant-search script defines before it inserts the tag. Files are written only when their
bytes change (an incremental build leaves untouched shards' times alone), and files of shards
or pages that no longer exist are deleted, so the folder always equals a clean build's.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..files import write_if_changed
from .index import SearchIndex, fragment_name

FOLDER = "_search"


def shard_file(key: str) -> str:
    """`도` -> `b3c4`, `do` -> `64-6f`: file names that any file system and URL take as they are."""
    return "-".join(f"{ord(ch):x}" for ch in key) or "_"


def _script(name: str, data: Any) -> bytes:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return f"BlogSearch.add({json.dumps(name)},{body});\n".encode()


@dataclass(frozen=True)
class IndexFiles:
    """Relative path -> bytes of every file of the index."""

    files: dict[str, bytes]


def render(index: SearchIndex, signature: str) -> IndexFiles:
    """Every file's bytes; `meta.js` carries a version that changes with any shard, so a
    browser never mixes a new meta with a cached old shard (`?v=` on each shard's URL)."""
    files: dict[str, bytes] = {}
    for key, terms in sorted(index.shards.items()):
        data: dict[str, Any] = {}
        for term in terms:
            if term in index.aliases:
                data[term] = index.aliases[term]
            else:
                data[term] = [n for row in index.postings[term] for n in row]
        files[f"s/{shard_file(key)}.js"] = _script(f"s/{shard_file(key)}", data)
    for page in index.pages:
        name = fragment_name(page.record.docname)
        blocks = [[b.anchor, b.text, 1] if b.heading else [b.anchor, b.text] for b in page.record.blocks]
        files[f"f/{name}.js"] = _script(f"f/{name}", blocks)
    files["cho.js"] = _script("cho", index.choseong)
    version = hashlib.sha256(b"".join(files[k] for k in sorted(files)) + signature.encode()).hexdigest()[:10]
    meta = {
        "v": version,
        "sig": signature,
        "pages": [
            [p.url, p.record.title, p.part, p.date, fragment_name(p.record.docname), p.record.subtitle]
            for p in index.pages
        ],
        "shards": sorted(index.shards),
        "groups": [list(g.members) for g in index.synonyms.groups],
        "keys": [g.key for g in index.synonyms.groups],
    }
    files["meta.js"] = _script("meta", meta)
    return IndexFiles(files)


def write(outdir: Path, files: IndexFiles) -> int:
    """Write changed files, delete stale ones; return how many were written."""
    root = outdir / FOLDER
    written = 0
    for rel, data in files.files.items():
        written += write_if_changed(root / rel, data)
    if root.is_dir():
        for path in root.rglob("*.js"):
            if path.relative_to(root).as_posix() not in files.files:
                path.unlink()
    return written


def stored_signature(outdir: Path) -> str:
    """The signature the last written index was made from ('' if none)."""
    meta = outdir / FOLDER / "meta.js"
    if not meta.is_file():
        return ""
    head = meta.read_text(encoding="utf-8")
    marker = '"sig":"'
    start = head.find(marker)
    return head[start + len(marker) : head.find('"', start + len(marker))] if start >= 0 else ""
