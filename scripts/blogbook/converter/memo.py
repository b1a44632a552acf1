"""Remember each post's conversion between runs, so a no-op run parses nothing.

Parsing YAML and Markdown is most of a run's time; a post whose bytes are unchanged converts
to the same page, as long as the converter's own code and settings are unchanged too and the
images it uses still exist. Entries are keyed by the post's path and the SHA-256 of its bytes;
the whole memo is dropped when the converter's code or the config changes. It lives in
`.cache/` (never committed): deleting it only makes the next run slower.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from .post import Post
from .transform import Body

FORMAT = 1


@dataclass(frozen=True)
class Converted:
    """One post's results: the post, and for a published one its body and thumbnail."""

    post: Post
    body: Body | None = None
    thumbnail: str | None = None

    def files(self) -> list[Path]:
        """Project files the result depends on besides the post itself."""
        found = list(self.body.images) if self.body else []
        if self.thumbnail and self.thumbnail.startswith("/"):
            found.append(Path(self.thumbnail.lstrip("/")))
        return found


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def code_version() -> str:
    """Changes whenever any module of the converter, or the schema it writes, changes."""
    hasher = hashlib.sha256(str(FORMAT).encode())
    here = Path(__file__).parent
    for module in [*sorted(here.glob("*.py")), here.parent / "schema.py"]:
        hasher.update(module.read_bytes())
    return hasher.hexdigest()


@dataclass
class Memo:
    """Conversions by (shown path, digest of the post's bytes)."""

    salt: str
    entries: dict[tuple[str, str], Converted] = field(default_factory=dict)
    used: dict[tuple[str, str], Converted] = field(default_factory=dict)

    @classmethod
    def load(cls, file: Path, salt: str) -> Memo:
        try:
            stored = pickle.loads(file.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return cls(salt)
        if not isinstance(stored, Memo) or stored.salt != salt:
            return cls(salt)
        return cls(salt, stored.entries)

    def get(self, source: Path, key: str, root: Path) -> Converted | None:
        found = self.entries.get((source.as_posix(), key))
        if found is None or not all((root / path).is_file() for path in found.files()):
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
        temporary = file.with_suffix(".tmp")
        temporary.write_bytes(pickle.dumps(Memo(self.salt, self.used), protocol=pickle.HIGHEST_PROTOCOL))
        temporary.replace(file)
