"""The converter, kept loaded between saves: the same outputs as `scripts/convert.py`, sooner.

A fresh `convert.py` reads its memo (JSON, 1,000 conversions), checks again that every image
of every post is still publishable, renders every page and reads every generated file back to
see which changed. Here the memo stays in memory, a post's images are checked again only when
something other than a post changed, and outputs are compared with what this process last
wrote. The memo file is saved by `flush` (idle or exit), atomically, as the CLI saves it.

`quick` writes only the saved post's page, when that is all a save needs at once (see there);
`run` afterwards makes everything else the save changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..converter import pipeline, render, writer
from ..converter.config import Config, load_config
from ..converter.diagnostics import ConversionError
from ..converter.memo import Converted, Memo, code_version


@dataclass
class TrustingMemo(Memo):
    """A memo that skips the image checks for entries already checked since the last non-post change."""

    checked: set[tuple[str, str]] = field(default_factory=set)

    def get(self, source: Path, key: str, still_published: Callable[[Path, bool], bool]) -> Converted | None:
        entry = (source.as_posix(), key)
        found = self.entries.get(entry)
        if found is not None and entry in self.checked:
            self.used[entry] = found
            return found
        found = super().get(source, key, still_published)
        if found is not None:
            self.checked.add(entry)
        return found


@dataclass(frozen=True)
class ConvertResult:
    """What one conversion run did: files written and removed, or the problems (one line each)."""

    written: tuple[Path, ...] = ()
    removed: tuple[Path, ...] = ()
    problems: tuple[str, ...] = ()


class WarmConverter:
    """`scripts/convert.py [--no-hands-on]` for one project, run again and again in this process."""

    def __init__(self, root: Path, hands_on: bool) -> None:
        self.root = root
        self.config: Config = load_config(root / "_config.yml")
        self.hands_on = hands_on
        self.toc_file = self.config.toc_file if hands_on else pipeline.ONE_OFF_TOC
        """The toc this preview builds from: without the hands-on part, a one-off one in `_build/`."""
        salt = code_version() + repr(self.config)
        loaded = Memo.load(pipeline.memo_file(self.config), salt=salt)
        self.memo = TrustingMemo(salt, loaded.entries)
        self._saved = dict(loaded.entries)  # what the memo file holds
        self._pages: dict[tuple[int, int, str, str | None, render.PostLinks], tuple[render.Page, str]] = {}
        self._written: dict[Path, str] | None = None  # what is on disk, once this process knows
        self._last: dict[str, tuple[render.Page, render.PostLinks]] = {}  # each page of the last good run
        self._seen: dict[str, tuple[render.Page, render.PostLinks]] = {}  # of the run going on
        self._unsaved = False

    def run(self, only_posts: bool = False, checkpoint: Callable[[], None] = lambda: None) -> ConvertResult:
        """Convert; `only_posts` says nothing but posts changed since the last run.

        `checkpoint` is called between the conversion's stages; what it raises ends the run
        with nothing written (the preview gives way to a newer save)."""
        if not only_posts:
            self.memo.checked.clear()
        self.memo.used = {}
        self._seen = {}
        try:
            outputs = pipeline.outputs(
                self.config,
                self.memo,
                post_page=self._post_page,
                hands_on_in_toc=self.hands_on,
                toc_out=None if self.hands_on else self.toc_file,
                include_scheduled=True,  # the author sees a future-dated post, marked 예약됨
                checkpoint=checkpoint,
            )
            if self._written is None:
                plan = writer.plan(self.config.root, outputs, self.config.pages_dir)
            else:
                plan = self._plan(outputs)
            writer.apply(self.config.root, plan)
        except ConversionError as error:
            return ConvertResult(
                problems=tuple(str(p) for p in error.problems)
            )  # root-relative, as the overlay shows them
        except OSError as error:
            return ConvertResult(problems=(f"{error.filename or ''}: {error.strerror}",))
        finally:
            self.memo.entries = {**self.memo.entries, **self.memo.used}
        self._written = {output.path: output.text for output in outputs}
        self._last = self._seen
        live = {(id(r.post), id(r.body)) for r in self.memo.used.values()}
        self._pages = {key: value for key, value in self._pages.items() if key[:2] in live}
        self._unsaved = True
        return ConvertResult(tuple(o.path for o in plan.write), tuple(plan.remove))

    def _post_page(self, page: render.Page, links: render.PostLinks) -> str:
        """`render.post_page`, remembered while the post's conversion and its links are the same.

        The memo hands back the same `Post` and `Body` objects for an unchanged post, and a
        page is a function of them, its docname, its thumbnail and what it links to (tags,
        series, related posts). The entry keeps the page, so the ids in its key cannot be
        reused by other objects while it is stored.
        """
        self._seen[page.docname] = (page, links)
        key = (id(page.post), id(page.body), page.docname, page.thumbnail, links)
        found = self._pages.get(key)
        if found is not None and found[0].post is page.post and found[0].body is page.body:
            return found[1]
        text = render.post_page(page, links)
        self._pages[key] = (page, text)
        return text

    def any_page(self) -> str | None:
        """The docname of one post page of the last run (None when there is none)."""
        return next(iter(self._last), None)

    def quick(self, changed: Iterable[Path]) -> ConvertResult | None:
        """The saved posts' own pages only, in milliseconds; None when a save needs `run` at once.

        A save that changed nothing but a post's text (the same front matter, thumbnail,
        headings, images and files, and links that all reach pages of the last run) changes
        no other page of the book directly. Its own page is then the one `run` would write,
        with the links of the last run (tags, series, related posts); what else the text
        feeds (reading times on the listing pages, other posts' related posts) `run` remakes
        afterwards. Anything else (a new or removed post, front matter, headings, an image,
        whose file is copied after the pages, a link) is left to `run`.
        A post with problems reports them, as `run` would.
        """
        if self._written is None:
            return None
        by_stem = {page.post.stem: page for page, _ in self._last.values()}
        pages: list[tuple[Path, render.Page, render.PostLinks]] = []
        for path in changed:
            found = self._quick_page(Path(path), by_stem)
            if not isinstance(found, tuple):
                return found
            pages.append(found)
        self.memo.entries = {**self.memo.entries, **self.memo.used}
        outputs = [writer.Output(path, self._post_page(page, links)) for path, page, links in pages]
        plan = writer.Plan()
        plan.write = [output for output in outputs if self._written.get(output.path) != output.text]
        try:
            writer.apply(self.config.root, plan)
        except (ConversionError, OSError):
            return None  # `run` says it, as it says it for every file
        for _, page, links in pages:
            self._last[page.docname] = (page, links)
        self._written.update((output.path, output.text) for output in plan.write)
        self._unsaved = True
        return ConvertResult(tuple(output.path for output in plan.write))

    def _quick_page(
        self, file: Path, by_stem: dict[str, render.Page]
    ) -> tuple[Path, render.Page, render.PostLinks] | ConvertResult | None:
        """One saved post's output path, page and links for `quick`; its problems if it has
        any; None when it needs `run`."""
        posts = self.config.at(self.config.posts_dir).resolve()
        last = self._last.get((self.config.pages_dir / file.stem).as_posix())
        if file.suffix != ".md" or file.parent.resolve() != posts or last is None or not file.is_file():
            return None
        previous, links = last
        try:
            converted = pipeline.convert_post(self.config, self.memo, file.name)
        except ConversionError as error:
            return ConvertResult(problems=tuple(str(p) for p in error.problems))
        if converted.body is None:
            return None  # now a draft
        page = render.Page(converted.post, converted.body, previous.docname, converted.thumbnail)
        same = _outside_text(page) == _outside_text(previous)
        if not same or pipeline.link_problems(page, by_stem):
            return None
        return self.config.pages_dir / f"{file.stem}.md", page, links

    def _plan(self, outputs: list[writer.Output]) -> writer.Plan:
        """`writer.plan` against what this process wrote last, not the disk (nothing else writes there)."""
        assert self._written is not None
        result = writer.Plan()
        wanted = {o.path for o in outputs}
        result.folders = {path.parent for path in wanted} | {self.config.pages_dir}
        for output in outputs:
            if self._written.get(output.path) == output.text:
                result.unchanged += 1
            else:
                result.write.append(output)
        result.remove = sorted(
            path
            for path in self._written
            if path not in wanted and path.parent == self.config.pages_dir and writer.is_generated(self.root / path)
        )
        return result

    @property
    def pending(self) -> bool:
        """The memo file is older than what this process converted."""
        return self._unsaved

    def mark_written(self) -> None:
        """The memo is being saved elsewhere (a forked child's `flush`)."""
        self._saved = dict(self.memo.used)
        self._unsaved = False

    def mark_pending(self) -> None:
        self._unsaved = True

    def flush(self) -> None:
        """Save the memo as the CLI would (only this run's entries; atomically)."""
        if self._unsaved:
            used = dict(self.memo.used)
            Memo(self.memo.salt, self._saved, used).save(pipeline.memo_file(self.config))
            self._saved = used
            self._unsaved = False


def _outside_text(page: render.Page) -> tuple[object, ...]:
    """What a quick save must leave as it was: all of the page but its text (see `quick`)."""
    return page.post, page.thumbnail, page.anchors, page.body.images, page.body.files
