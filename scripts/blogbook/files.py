"""Files written beside Sphinx's pages (sidebar, feed, sitemap, search index) and the preview's state,
rewritten only when changed, and always atomically.

They are regenerated after every build, incremental or not; a no-op build should still leave
the site untouched, so a deploy that syncs by modification time uploads nothing. The live
preview serves the site while it writes them (its deferred writes run beside the server), so
a reader must see the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_if_changed(target: Path, data: bytes) -> bool:
    """Write `data` unless the file holds it already; True if it was written."""
    if target.is_file() and target.read_bytes() == data:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, lambda path: _write_bytes(path, data))
    return True


def atomic_write(target: Path, write: Callable[[Path], None]) -> None:
    """`write` a temp file beside `target`, then rename it: a reader sees the old or the new file."""
    descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(descriptor)
    temporary = Path(name)
    try:
        write(temporary)
        temporary.chmod(0o644)
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _write_bytes(path: Path, data: bytes) -> None:
    path.write_bytes(data)
