"""The whole conversion as a function of the project's files: posts in, wanted outputs out."""

from __future__ import annotations

import os
from pathlib import Path

from . import images, render, toc
from .config import Config
from .diagnostics import ConversionError, Problem, reported_as_problem, shown
from .post import Post, read_post
from .transform import transform
from .writer import Output


def read_posts(config: Config) -> list[Post]:
    """Every post in the posts folder; problems in all files are gathered before raising."""
    folder = config.at(config.posts_dir)
    if not folder.is_dir():
        raise ConversionError.at(shown(folder), None, "posts folder not found")
    posts: list[Post] = []
    problems: list[Problem] = []
    for file in sorted(folder.glob("*.md")):
        try:
            with reported_as_problem(shown(file)):
                posts.append(read_post(shown(file), file.read_bytes(), config.default_category))
        except ConversionError as error:
            problems += error.problems
    problems += _duplicate_ids(posts)
    if problems:
        raise ConversionError(problems)
    return posts


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


def _thumbnail(post: Post, resolver: images.Resolver, config: Config) -> str | None:
    """The card image: a bare name is looked up in the images folder, a path like any image."""
    if not post.thumbnail:
        return None
    where = (post.source, post.line_of_key("thumbnail"))
    if "/" in post.thumbnail:
        found = resolver.resolve(post.thumbnail, where)
        return found.uri if found else post.thumbnail
    path = config.static_images / post.thumbnail
    if not config.at(path).is_file():
        raise ConversionError.at(*where, f"thumbnail not found: {path.as_posix()}")
    return "/" + path.as_posix()


def build_pages(config: Config, posts: list[Post]) -> list[render.Page]:
    """Convert every published post; then check links between them, which needs them all."""
    pages: list[render.Page] = []
    problems: list[Problem] = []
    posts_dir = (
        config.posts_dir if not config.posts_dir.is_absolute() else Path(os.path.relpath(config.posts_dir, config.root))
    )
    for post in posts:
        if post.draft:
            continue
        resolver = images.Resolver(config.root.resolve(), posts_dir, config.site_depth)
        try:
            with reported_as_problem(post.source):
                body = transform(post, resolver)
                thumbnail = _thumbnail(post, resolver, config)
        except ConversionError as error:
            problems += error.problems
            continue
        docname = (config.pages_dir / post.stem).as_posix()
        pages.append(render.Page(post, body, docname, thumbnail))
    problems += _check_links(pages, {p.stem for p in posts if p.draft})
    if problems:
        raise ConversionError(problems)
    return pages


def _check_links(pages: list[render.Page], drafts: set[str]) -> list[Problem]:
    """A link to another post must reach a published page and, if it names one, a section."""
    by_stem = {page.post.stem: page for page in pages}
    problems = []
    for page in pages:
        for link in page.body.links:
            target = by_stem.get(link.stem)
            if target is None:
                why = "is a draft" if link.stem in drafts else "does not exist in the posts folder"
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


def outputs(config: Config) -> list[Output]:
    """Every file the converter owns, with the text it should have."""
    pages = build_pages(config, read_posts(config))
    toc_file = config.at(config.toc_file)
    existing = toc.read_toc(toc_file, shown(toc_file))
    hands_on = toc.hands_on_part(config.hands_on_dir, config.root) if config.hands_on else None
    toc_data = toc.build_toc(
        existing=existing,
        root_doc=config.landing_page,
        pages=pages,
        pages_prefix=config.pages_dir.as_posix() + "/",
        category_order=config.category_order,
        hands_on=hands_on,
        hands_on_prefix=config.hands_on_dir.as_posix() + "/",
    )
    result = [Output(config.pages_dir / f"{page.post.stem}.md", render.post_page(page)) for page in pages]
    result.append(Output(config.cards_file, render.cards(pages, config.category_order)))
    result.append(Output(config.toc_file, toc.dump_toc(toc_data)))
    return result
