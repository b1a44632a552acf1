"""The whole conversion as a function of the project's files: posts in, wanted outputs out."""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from itertools import repeat
from pathlib import Path

from . import images, listings, render, terms, toc
from .config import Config
from .diagnostics import ConversionError, Problem, reported_as_problem
from .memo import Converted, Memo, digest
from .post import Post, read_post
from .transform import transform
from .writer import Output

PARALLEL_FROM = 64
"""Fewer posts than this to convert: one process is quicker than starting workers."""


def _convert(file: Path, data: bytes, config: Config, resolver: images.Resolver) -> Converted:
    """Read one post and, unless it is a draft, convert its body and find its thumbnail.

    The raw body is dropped once transformed: nothing after `transform` reads it, and it would
    double what the memo stores and what worker processes send back.
    """
    post = read_post(file, data, config.default_category)
    if post.draft:
        return Converted(replace(post, body=""))
    body, thumbnail = transform(post, resolver), _thumbnail(post, resolver)
    return Converted(replace(post, body=""), body, thumbnail, terms.post_terms(post))


def _convert_or_problems(
    file: Path, data: bytes, config: Config, resolver: images.Resolver
) -> Converted | list[Problem]:
    """`_convert` with its problems returned, not raised: they cross from a worker process."""
    try:
        with reported_as_problem(file):
            return _convert(file, data, config, resolver)
    except ConversionError as error:
        return error.problems


def _convert_all(
    pending: list[tuple[Path, bytes]], config: Config, resolver: images.Resolver, workers: int | None
) -> list[Converted | list[Problem]]:
    """Each post's result, in order; in worker processes when there are many (a first run).

    Parsing is pure Python and each post is independent, so a first run of 1,000 posts
    takes about half as long on two cores; results come back in the posts' order, so the
    output does not depend on how the work was split.
    """
    if workers is None:
        workers = min(os.cpu_count() or 1, 8) if len(pending) >= PARALLEL_FROM else 1
    files, datas = [file for file, _ in pending], [data for _, data in pending]
    if workers <= 1 or len(pending) < 2:
        return [_convert_or_problems(file, data, config, resolver) for file, data in pending]
    from concurrent.futures import ProcessPoolExecutor  # 10 ms of imports that most runs never need

    chunk = max(1, len(pending) // (workers * 4))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        mapped = pool.map(_convert_or_problems, files, datas, repeat(config), repeat(resolver), chunksize=chunk)
        return list(mapped)


def convert_posts(config: Config, memo: Memo, workers: int | None = None) -> list[Converted]:
    """Every post in the posts folder, from the memo where its bytes are unchanged.

    Problems in all files are gathered before raising, so one run reports them all.
    `workers` None picks one process or one per core by the amount of work.
    """
    folder = config.at(config.posts_dir)
    if not folder.is_dir():
        raise ConversionError.at(config.posts_dir, None, "posts folder not found")
    posts_dir, resolver = _posts_dir(config), _resolver(config)
    results: list[Converted | None] = []
    pending: list[tuple[Path, bytes]] = []
    keys: list[tuple[int, str]] = []
    files = sorted(folder.glob("*.md"))
    collisions = _colliding_names(files, posts_dir)
    if collisions:
        raise ConversionError(collisions)
    for path in files:
        data = path.read_bytes()
        file = posts_dir / path.name  # relative to the root: pages and the memo must not depend on the cwd
        key = digest(data)
        cached = memo.get(file, key, resolver.still_published)
        if cached is None:
            pending.append((file, data))
            keys.append((len(results), key))
        results.append(cached)
    problems: list[Problem] = []
    for (file, _), (index, key), outcome in zip(
        pending, keys, _convert_all(pending, config, resolver, workers), strict=True
    ):
        if isinstance(outcome, Converted):
            memo.put(file, key, outcome)
            results[index] = outcome
        else:
            problems += outcome
    converted = [result for result in results if result is not None]
    problems += _duplicate_ids([result.post for result in converted])
    if problems:
        raise ConversionError(problems)
    return converted


def convert_post(config: Config, memo: Memo, name: str) -> Converted:
    """One post of the posts folder (by file name), as `convert_posts` converts it: from the memo
    when its bytes are unchanged. Raises its problems. For the live preview's quick path, which
    converts only the post just saved (`convert_posts` checks the rest)."""
    file = _posts_dir(config) / name
    data = config.at(file).read_bytes()
    key = digest(data)
    resolver = _resolver(config)
    cached = memo.get(file, key, resolver.still_published)
    if cached is not None:
        return cached
    outcome = _convert_or_problems(file, data, config, resolver)
    if not isinstance(outcome, Converted):
        raise ConversionError(outcome)
    memo.put(file, key, outcome)
    return outcome


def _posts_dir(config: Config) -> Path:
    """The posts folder as pages and the memo name it: relative to the root, whatever the cwd."""
    return Path(os.path.relpath(config.at(config.posts_dir), config.root))


def _resolver(config: Config) -> images.Resolver:
    return images.Resolver(
        config.root.resolve(), _posts_dir(config), config.site_depth, (config.static_images,), config.static_files
    )


def _colliding_names(files: list[Path], posts_dir: Path) -> list[Problem]:
    """Two names that differ only in Unicode normalization or letter case are one page to Sphinx
    or one file on macOS and Windows: the second would silently replace the first."""
    first: dict[str, Path] = {}
    problems = []
    for file in files:
        key = unicodedata.normalize("NFC", file.name).casefold()
        if key in first:
            other = (posts_dir / first[key].name).as_posix()
            message = f"file name collides with {other} (the same name once normalized)"
            problems.append(Problem(posts_dir / file.name, 1, message))
        else:
            first[key] = file
    return problems


def _duplicate_ids(posts: list[Post]) -> list[Problem]:
    first: dict[str, Post] = {}
    problems = []
    for post in posts:
        if post.id is None:
            continue
        key = str(post.id)
        if key in first:
            problems.append(
                Problem(
                    post.source,
                    post.line_of_key("id"),
                    f"duplicate id {post.id!r}: also used by {first[key].source.as_posix()}",
                )
            )
        else:
            first[key] = post
    return problems


def _thumbnail(post: Post, resolver: images.Resolver) -> str | None:
    """The card image: a bare name is looked up in the images folder, a path like any image."""
    if not post.thumbnail:
        return None
    found = resolver.resolve_named(post.thumbnail, (post.source, post.line_of_key("thumbnail")))
    return found.uri if found else post.thumbnail


def build_pages(config: Config, results: list[Converted], held_back: frozenset[str] = frozenset()) -> list[render.Page]:
    """The published posts as pages; then the links between them, which needs them all.
    `held_back`: stems of scheduled posts not published on this run."""
    pages = [
        render.Page(result.post, result.body, (config.pages_dir / result.post.stem).as_posix(), result.thumbnail)
        for result in results
        if result.body is not None and result.post.stem not in held_back
    ]
    problems = _check_links(pages, {result.post.stem for result in results if result.body is None}, held_back)
    if problems:
        raise ConversionError(problems)
    return pages


def _check_links(pages: list[render.Page], drafts: set[str], held_back: frozenset[str] = frozenset()) -> list[Problem]:
    """A link to another post must reach a published page and, if it names one, a section."""
    by_stem = {page.post.stem: page for page in pages}
    return [problem for page in pages for problem in link_problems(page, by_stem, drafts, held_back)]


def link_problems(
    page: render.Page,
    by_stem: dict[str, render.Page],
    drafts: frozenset[str] | set[str] = frozenset(),
    held_back: frozenset[str] = frozenset(),
) -> list[Problem]:
    """The links of one page that do not reach a page of `by_stem` (or a section of it)."""
    problems = []
    for link in page.body.links:
        target = by_stem.get(link.stem)
        if target is None:
            why = "is a draft" if link.stem in drafts else "does not exist in the posts folder"
            why = "is scheduled and not published yet" if link.stem in held_back else why
            problems.append(Problem(page.post.source, link.line, f"link to post {link.stem}.md, which {why}"))
        elif link.anchor and link.anchor not in target.anchors:
            problems.append(
                Problem(
                    page.post.source,
                    link.line,
                    f"link to section #{link.anchor} of {link.stem}.md: no such heading",
                )
            )
    return problems


def memo_file(config: Config) -> Path:
    """Beside the project, not in `_build/`: cleaning the build should not slow the converter."""
    return config.root / ".cache" / "convert-memo.json"


ONE_OFF_TOC = Path("_build/_toc.no-hands-on.yml")
"""Where a book without the hands-on part gets its table of contents (`make book HANDS_ON=0`,
`make serve HANDS_ON=0`): in the build folder, so no committed file changes."""


def outputs(
    config: Config,
    memo: Memo,
    workers: int | None = None,
    post_page: Callable[[render.Page, render.PostLinks], str] = render.post_page,
    *,
    hands_on_in_toc: bool = True,
    toc_out: Path | None = None,
    today: dt.date | None = None,
    include_scheduled: bool = False,
    held_back: list[Post] | None = None,
    checkpoint: Callable[[], None] = lambda: None,
) -> list[Output]:
    """Every file the converter owns, with the text it should have.

    `post_page` renders one page; the live preview passes one that remembers the pages of
    unchanged posts (rendering all 1,000 again took a third of a save's conversion).
    `hands_on_in_toc=False` leaves the hands-on part out of the toc only: the pages and the
    landing page's cards stay the same (a card whose page is not built is left out at build
    time), so with `toc_out` elsewhere (`make book HANDS_ON=0`) no committed file changes.
    The toc keeps the hand-written parts of the configured one wherever it is written.

    A post dated after `today` is scheduled: it is left out (and added to `held_back`) unless
    `include_scheduled`, which publishes it with a `예약됨` mark (the preview).
    `checkpoint` is called between the stages (nothing is written before the end): the preview
    raises from it to give way to a newer save.
    """
    results = convert_posts(config, memo, workers)
    checkpoint()
    future = scheduled(results, today)
    if held_back is not None and not include_scheduled:
        held_back += future
    held = frozenset() if include_scheduled else frozenset(post.stem for post in future)
    pages = build_pages(config, results, held)
    folders = listings.Folders(config.book_dir)
    marked = frozenset(page.docname for page in pages if page.post.stem in {post.stem for post in future})
    listing_pages = listings.pages_text(pages, folders, config.category_order, marked) if pages else {}
    checkpoint()
    terms = {(config.pages_dir / r.post.stem).as_posix(): r.terms for r in results}
    links = listings.post_links(pages, terms, folders, marked)
    checkpoint()
    toc_file = config.at(config.toc_file)
    existing = toc.read_toc(toc_file, config.toc_file)
    hands_on = toc.hands_on_part(config.hands_on_dir, config.root) if config.hands_on else None
    try:
        toc_data = toc.build_toc(
            existing=existing,
            root_doc=config.landing_page,
            pages=pages,
            pages_prefix=config.pages_dir.as_posix() + "/",
            category_order=config.category_order,
            hands_on=hands_on if hands_on_in_toc else None,
            hands_on_prefix=config.hands_on_dir.as_posix() + "/",
            browse=listings.toc_part(listing_pages, folders) if listing_pages else None,
            browse_prefixes=folders.prefixes,
        )
    except ValueError as error:
        raise ConversionError.at(config.toc_file, None, f"invalid table of contents: {error}") from None
    result = [Output(config.pages_dir / f"{p.post.stem}.md", post_page(p, links[p.docname])) for p in pages]
    result += [Output(Path(doc + ".md"), text) for doc, text in listing_pages.items()]
    card = toc.hands_on_card(config.hands_on_dir, config.root) if hands_on else None
    result.append(Output(config.cards_file, render.cards(pages, config.category_order, card)))
    result.append(Output(toc_out or config.toc_file, toc.dump_toc(toc_data)))
    return result


def scheduled(results: list[Converted], today: dt.date | None) -> list[Post]:
    """Published posts dated after `today` (none when `today` is None), oldest first."""
    if today is None:
        return []
    found = [r.post for r in results if r.body is not None and r.post.date is not None and r.post.date > today]
    return sorted(found, key=lambda post: (post.date, post.stem))
