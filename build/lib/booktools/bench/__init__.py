"""Benchmark the converter and the Jupyter Book build on N generated posts (`make bench`).

Why this shape:
- It works on a scratch copy of the project, so the repository's posts, pages and toc are never
  touched, and it removes the six real posts there, so only generated posts are counted.
- It runs the same commands a user runs (`python scripts/convert.py --no-hands-on`,
  `jupyter-book build .`) in subprocesses: start-up and import time are part of what a user
  waits for. The hands-on notebooks are left out of the toc (`--no-hands-on`) so the numbers
  measure posts, not notebook execution.
- Builds do not use -W: a benchmark measures; the tests police warnings. Warnings are counted.

One job per module: `runner` runs commands and samples their memory and the files they change,
`measures` holds the phases and their typed results, `report` prints them and writes the JSON,
`cli` parses the arguments, and `posts` generates the posts (also a CLI of its own).

Usage: python -m booktools.bench [--posts N] [--seed S] [--json FILE] [--keep DIR]
"""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    """`booktools.bench.cli.main`, imported when called.

    Importing it here at the top would load the whole benchmark, the generator included, with
    the package: `python -m booktools.bench.posts` would then find its module already imported
    and run a second copy of it (runpy warns about exactly that).
    """
    from booktools.bench.cli import main as run_benchmark

    return run_benchmark(argv)
