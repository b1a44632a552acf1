"""The command line: options in, one line per problem out, exit codes 0 / 1 / 2. Nothing else."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from ..schema import korean_date
from . import pipeline, writer
from .config import Config, load_config, today_in
from .diagnostics import ConversionError, Problem, as_seen_from_cwd, shown
from .listings import Folders
from .memo import Memo, code_version
from .post import Post

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="convert.py",
        description="Convert blog posts into Jupyter Book pages and write _toc.yml.",
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=Path("_config.yml"),
        help="book config with a converter: section (default: _config.yml)",
    )
    parser.add_argument("--posts", type=Path, help="folder of source posts (default: converter.posts or posts)")
    parser.add_argument("--book", type=Path, help="folder of book pages; posts go to BOOK/posts (default: book)")
    parser.add_argument("--toc", type=Path, help="table of contents to write (default: _toc.yml)")
    parser.add_argument("--no-hands-on", action="store_true", help="leave the hands-on notebook part out of the toc")
    parser.add_argument(
        "--toc-out",
        type=Path,
        help="write the table of contents here instead, for a one-off build (`jupyter-book build . --toc FILE`);"
        " its hand-written parts still come from the configured toc",
    )
    parser.add_argument(
        "--include-scheduled",
        action="store_true",
        help="publish posts dated after today too, marked 예약됨 (the preview); by default they wait for their day",
    )
    parser.add_argument(
        "--today",
        type=_iso_date,
        help="the date that decides which posts are scheduled, YYYY-MM-DD (default: $BLOGBOOK_TODAY,"
        " else today in the book's blogbook_timezone)",
    )
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if any output would change")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    return parser


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2025-06-03, got {text!r}") from None


def _today(args: argparse.Namespace, config: Config) -> dt.date:
    """--today, else BLOGBOOK_TODAY (for tests and one-off runs), else today in the book's timezone."""
    if args.today:
        return args.today
    if os.environ.get("BLOGBOOK_TODAY"):
        return _iso_date(os.environ["BLOGBOOK_TODAY"])
    return today_in(config)


def _under(root: Path, path: Path | None) -> Path | None:
    """Command-line paths are relative to where the user stands; the config's to the root."""
    if path is None:
        return None
    absolute = path.resolve()
    try:
        return absolute.relative_to(root.resolve())
    except ValueError:
        return absolute


def main(argv: list[str] | None = None) -> int:
    """Run the conversion; print one line per problem; never a traceback for bad input."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return EXIT_OK if exit_.code == 0 else EXIT_USAGE
    root = args.config.resolve().parent
    if args.config != Path("_config.yml") and not args.config.is_file():
        print(f"{args.config}: config file not found", file=sys.stderr)
        return EXIT_USAGE
    overrides = {
        "posts_dir": _under(root, args.posts),
        "book_dir": _under(root, args.book),
        "toc_file": _under(root, args.toc),
    }
    try:
        config = load_config(args.config.resolve(), overrides)
        memo = Memo.load(pipeline.memo_file(config), salt=code_version() + repr(config))
        if memo.ignored:
            print(f"{shown(pipeline.memo_file(config)).as_posix()}: {memo.ignored}", file=sys.stderr)
        toc_out = _under(root, args.toc_out)
        held_back: list[Post] = []
        outputs = pipeline.outputs(
            config,
            memo,
            hands_on_in_toc=not args.no_hands_on,
            toc_out=toc_out,
            today=_today(args, config),
            include_scheduled=args.include_scheduled,
            held_back=held_back,
        )
        for post in held_back:
            when = korean_date(post.date.isoformat()) if post.date else "?"
            notice = Problem(post.source, None, f"scheduled for {when}, not published yet")
            print(as_seen_from_cwd(notice, root), file=sys.stderr)
        plan = writer.plan(config.root, outputs, (config.pages_dir, *Folders(config.book_dir).owned))
        if args.check:
            return _report_check(plan, root, args.quiet)
        writer.apply(config.root, plan)
        memo.save(pipeline.memo_file(config))
    except ConversionError as error:
        for problem in error.problems:
            print(as_seen_from_cwd(problem, root), file=sys.stderr)
        return EXIT_CONTENT
    except OSError as error:
        print(f"{error.filename or ''}: {error.strerror}", file=sys.stderr)
        return EXIT_CONTENT
    if not args.quiet:
        print(f"converted: {len(plan.write)} written, {len(plan.remove)} removed, {plan.unchanged} unchanged")
    return EXIT_OK


def _report_check(plan: writer.Plan, root: Path, quiet: bool) -> int:
    """Each file that would change, then what to run; one line when all is in step."""
    for path in plan.changes:
        print(f"{shown(root / path).as_posix()}: would change", file=sys.stderr)
    if plan.changes:
        print(
            f"check: {len(plan.changes)} generated file(s) behind the posts;"
            " run `make convert` (python scripts/convert.py), then commit them",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    if not quiet:
        print(f"check: the generated pages, cards and toc are in step with the posts ({plan.unchanged} files)")
    return EXIT_OK
