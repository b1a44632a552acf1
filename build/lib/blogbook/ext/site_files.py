"""Files the extensions write beside Sphinx's pages (sidebar, feed, sitemap), rewritten only when changed.

They are regenerated after every build, incremental or not; a no-op build should still leave
the site untouched, so a deploy that syncs by modification time uploads nothing.
"""

from __future__ import annotations

from pathlib import Path


def write_if_changed(target: Path, data: bytes) -> None:
    if target.is_file() and target.read_bytes() == data:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
