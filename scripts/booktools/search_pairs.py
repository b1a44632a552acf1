"""List the Korean/English pairs the search harvested from the book, so an author can check them.

Each `도커(Docker)` or `Kubernetes(쿠버네티스)` in a heading or paragraph makes the two spellings
one word for the search (`blogbook.search.pairs`). This prints every harvested pair with the
pages that write it, then the groups the search uses (the `blogbook_search_synonyms` table of
`_config.yml` merged with the pairs), marking pairs dropped as ambiguous.

It reads what the last build recorded (the pickled Sphinx environment next to the HTML), so it
shows exactly what the index was built from, without building again.

Usage: python -m booktools.search_pairs _build/html
"""

from __future__ import annotations

import argparse
import pickle
import sys
from collections import defaultdict
from pathlib import Path

import yaml

from blogbook.search.pairs import Pair
from blogbook.search.records import PageRecord
from blogbook.search.synonyms import build_table, member, resolve_pairs


def environment_file(html_dir: Path) -> Path:
    """`_build/html` -> `_build/.doctrees/environment.pickle` (Jupyter Book's layout)."""
    for candidate in (html_dir.parent / ".doctrees", html_dir / ".doctrees", html_dir.parent / "doctrees"):
        if (candidate / "environment.pickle").is_file():
            return candidate / "environment.pickle"
    raise FileNotFoundError(f"no environment.pickle next to {html_dir}; build the book first")


def recorded_pages(html_dir: Path) -> dict[str, PageRecord]:
    with environment_file(html_dir).open("rb") as f:
        env = pickle.load(f)
    return dict(env.domaindata.get("blogbook_search", {}).get("records", {}))


def configured(config_file: Path) -> list[list[str]]:
    if not config_file.is_file():
        return []
    data = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    table = ((data.get("sphinx") or {}).get("config") or {}).get("blogbook_search_synonyms") or []
    return [[str(s) for s in group] for group in table]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html_dir", type=Path, help="built HTML folder (_build/html)")
    parser.add_argument("--config", type=Path, default=Path("_config.yml"), help="for the configured table")
    args = parser.parse_args(argv)
    try:
        records = recorded_pages(args.html_dir)
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 2
    where: dict[Pair, set[str]] = defaultdict(set)
    for docname, record in records.items():
        for pair in record.pairs:
            where[pair].add(docname)
    all_pairs = [pair for record in records.values() for pair in record.pairs]
    kept = set(resolve_pairs(all_pairs))
    print(f"harvested pairs ({len(where)}):")
    for pair in sorted(where):
        ok = (member(pair.korean), member(pair.english)) in kept
        note = "" if ok else "   (dropped: English spelling paired with another Korean word as often or more)"
        print(f"  {pair.korean} = {pair.english}  [{', '.join(sorted(where[pair]))}]{note}")
    table = build_table(configured(args.config), all_pairs)
    print(f"\nsearch groups ({len(table.groups)}; stems, first = where the index keeps them):")
    for group in table.groups:
        others = [m for m in group.members if m != group.key]
        print(f"  {group.key}: {', '.join(others)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
