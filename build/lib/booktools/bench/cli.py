"""The benchmark's command line: `python -m booktools.bench`, `scripts/bench.py`, `make bench`."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from booktools.bench.measures import measure
from booktools.bench.report import report, write_json
from booktools.bench.runner import StepFailed, scratch_root

TAIL_LINES = 40


def parser() -> argparse.ArgumentParser:
    result = argparse.ArgumentParser(description="Benchmark convert + jupyter-book build on generated posts.")
    result.add_argument("--posts", type=int, default=500, help="how many generated posts (default 500)")
    result.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    result.add_argument("--json", type=Path, help="write the results to FILE as one JSON object")
    result.add_argument("--keep", type=Path, help="build the scratch project in DIR (must not exist) and keep it")
    return result


def main(argv: list[str] | None = None) -> int:
    """Measure, print the report, write the JSON; 2 for bad arguments, 1 when a step failed.

    A failed step prints its command and the tail of its output instead of a traceback: the
    cause is nearly always in the build's own messages.
    """
    args = parser().parse_args(argv)
    if args.posts < 2:
        print("--posts must be at least 2", file=sys.stderr)
        return 2
    try:
        root = scratch_root(args.keep)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"scratch project: {root}", flush=True)
    try:
        results = measure(root, args.posts, args.seed)
    except StepFailed as failure:
        tail = "\n".join(failure.run.output.splitlines()[-TAIL_LINES:])
        print(f"{failure}\n$ {' '.join(failure.run.command)}\n{tail}", file=sys.stderr)
        return 1
    finally:
        if args.keep is None:
            shutil.rmtree(root.parent, ignore_errors=True)
    print(report(results))
    if args.json:
        write_json(args.json, results)
        print(f"\nJSON: {args.json}")
    return 0
