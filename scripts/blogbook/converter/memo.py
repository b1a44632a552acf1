"""Remember each post's conversion between runs, so a no-op run parses nothing.

Parsing YAML and Markdown is most of a run's time; a post whose bytes are unchanged converts
to the same page, as long as the converter's own code and settings are unchanged too and the
images it uses still exist. Entries are keyed by the post's path and the SHA-256 of its bytes;
the whole memo is dropped when the converter's code or the config changes. It lives in
`.cache/` (never committed): deleting it only makes the next run slower.

This is the converter's one write outside the writer (`writer` owns the project's files; this
is a cache beside them). It is JSON, so reading a tampered or stale cache can never run code
(pickle would), and a file that does not decode to the expected shape is simply ignored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .post import Post
from .transform import Body, PostLink
from .writer import remove_leftovers, temporary_prefix

FORMAT = 2


@dataclass(frozen=True)
class Converted:
    """One post's results: the post, and for a published one its body and thumbnail."""

    post: Post
    body: Body | None = None
    thumbnail: str | None = None
    terms: tuple[tuple[str, int], ...] = ()
    """The post's most frequent search stems and their counts, for related posts (`terms`)."""

    def images(self) -> list[Path]:
        """Image files the result depends on besides the post itself (project-relative)."""
        found = list(self.body.images) if self.body else []
        if self.thumbnail and self.thumbnail.startswith("/"):
            found.append(Path(self.thumbnail.lstrip("/")))
        return found

    def files(self) -> list[Path]:
        """Other files the post links to (downloads from the static folder)."""
        return list(self.body.files) if self.body else []


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def code_version() -> str:
    """Changes whenever any module of the converter, or the schema it writes, changes."""
    hasher = hashlib.sha256(str(FORMAT).encode())
    here = Path(__file__).parent
    for module in [*sorted(here.glob("*.py")), here.parent / "schema.py"]:
        hasher.update(module.read_bytes())
    return hasher.hexdigest()


def _post_json(post: Post) -> dict[str, Any]:
    return {
        "source": post.source.as_posix(),
        "stem": post.stem,
        "id": post.id,
        "title": post.title,
        "category": post.category,
        "subtitle": post.subtitle,
        "date": post.date.isoformat() if post.date else None,
        "thumbnail": post.thumbnail,
        "tags": list(post.tags),
        "draft": post.draft,
        "body": post.body,
        "body_line": post.body_line,
        "key_lines": [list(pair) for pair in post.key_lines],
        "series": post.series,
        "series_order": post.series_order,
    }


def _post(data: dict[str, Any]) -> Post:
    return Post(
        **{
            **data,
            "source": Path(data["source"]),
            "date": dt.date.fromisoformat(data["date"]) if data["date"] else None,
            "tags": tuple(data["tags"]),
            "key_lines": tuple((key, line) for key, line in data["key_lines"]),
        }
    )


def _body_json(body: Body) -> dict[str, Any]:
    return {
        "text": body.text,
        "headings": list(body.headings),
        "links": [[link.line, link.stem, link.anchor] for link in body.links],
        "images": [path.as_posix() for path in body.images],
        "files": [path.as_posix() for path in body.files],
        "characters": body.characters,
    }


def _body(data: dict[str, Any]) -> Body:
    return Body(
        text=data["text"],
        headings=tuple(data["headings"]),
        links=tuple(PostLink(line, stem, anchor) for line, stem, anchor in data["links"]),
        images=tuple(Path(path) for path in data["images"]),
        files=tuple(Path(path) for path in data["files"]),
        characters=int(data["characters"]),
    )


def encode(converted: Converted) -> dict[str, Any]:
    """A conversion as plain JSON values."""
    body = _body_json(converted.body) if converted.body else None
    terms = [list(pair) for pair in converted.terms]
    return {"post": _post_json(converted.post), "body": body, "thumbnail": converted.thumbnail, "terms": terms}


def decode(data: dict[str, Any]) -> Converted:
    """The conversion `encode` wrote (KeyError/TypeError/ValueError for anything else)."""
    body = _body(data["body"]) if data["body"] is not None else None
    terms = tuple((str(term), int(count)) for term, count in data["terms"])
    return Converted(_post(data["post"]), body, data["thumbnail"], terms)


@dataclass
class Memo:
    """Conversions by (shown path, digest of the post's bytes)."""

    salt: str
    entries: dict[tuple[str, str], Converted] = field(default_factory=dict)
    used: dict[tuple[str, str], Converted] = field(default_factory=dict)
    ignored: str = ""
    """Why a stored memo could not be used, when it could not be read at all."""

    @classmethod
    def load(cls, file: Path, salt: str) -> Memo:
        """The stored memo, or an empty one when there is none, it is stale or unreadable.

        A memo of other code or settings is simply stale; one that does not read as a memo
        (a truncated file, a pickle from an older converter, something planted) is noted in
        `ignored`, so the run can say why it converts everything again.
        """
        try:
            data = file.read_bytes()
        except OSError:
            return cls(salt)
        try:
            stored = json.loads(data)
            if stored["salt"] != salt:
                return cls(salt)
            entries = {(path, key): decode(value) for path, key, value in stored["entries"]}
        except (ValueError, KeyError, TypeError, AttributeError):
            return cls(salt, ignored="not a converter cache this version can read; ignored, rebuilt on this run")
        return cls(salt, entries)

    def get(self, source: Path, key: str, still_published: Callable[[Path, bool], bool]) -> Converted | None:
        """The stored conversion, if the post's bytes are the same and every image and file it
        uses would still be accepted (`still_published(path, is_image)`: a file may have been
        removed, or replaced by a symlink to something else, since)."""
        found = self.entries.get((source.as_posix(), key))
        if found is None:
            return None
        if not all(still_published(path, True) for path in found.images()):
            return None
        if not all(still_published(path, False) for path in found.files()):
            return None
        self.used[(source.as_posix(), key)] = found
        return found

    def put(self, source: Path, key: str, converted: Converted) -> None:
        self.used[(source.as_posix(), key)] = converted

    def save(self, file: Path) -> None:
        """Keep only this run's entries, so the memo never grows with deleted posts.

        Nothing is written when this run used exactly the stored entries: a no-op run
        touches no file at all.
        """
        if self.used.keys() == self.entries.keys():
            return
        file.parent.mkdir(parents=True, exist_ok=True)
        entries = [[path, key, encode(converted)] for (path, key), converted in self.used.items()]
        remove_leftovers(file.parent)
        temporary = file.with_name(temporary_prefix(file) + "memo.tmp")
        temporary.write_text(json.dumps({"salt": self.salt, "entries": entries}, ensure_ascii=False), encoding="utf-8")
        temporary.replace(file)
