"""The live preview (`make serve`): one warm process that converts, builds and reloads the tab.

`cli` runs it; `sources` says what to watch, `converting` and `warm` keep the converter and the
Sphinx application loaded, `server` and `client` serve the book and push reloads and problems.
"""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    """`blogbook.preview.cli.main`, imported when called (it loads Sphinx)."""
    from .cli import main as run

    return run(argv)
