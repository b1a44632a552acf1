"""Search as a reader expects it: results under the search box as they type.

The theme's search button and Ctrl+K open its search dialog (`#pst-search-dialog`); this
extension's script (`instant-search.js`, a few KB, deferred) turns that dialog's box into a
combobox with a results list, and `search.html?q=` shows the same results, so a link to a
search still works. Without JavaScript the box's form still submits to the search page.

The index is the book's own (`blogbook.search`): BM25F over title, headings and body, Korean
and English spellings of a word as one, sharded by stem prefix, snippets from the article's
own text. Nothing of it is fetched before the reader opens the search; see `blogbook.search`
for the files and why they are scripts.

State: each page's `PageRecord` is kept in a Domain (pickled with the environment, dropped
when the page is read again or removed, merged from parallel readers); the index is assembled
from all records after every build, and rewritten only when its inputs changed, so an
incremental build's index equals a clean build's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx_external_toc.api import FileItem, SiteMap

from ..schema import PostFacts
from ..search import emit
from ..search.index import IndexedPage, build_index
from ..search.records import PageRecord, page_record
from ..search.synonyms import SynonymTable, build_table
from . import add_static_path

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "search_templates"
"""`search.html` without Sphinx's searchtools.js and searchindex.js (the book's engine runs there)."""

NOT_RESULTS = frozenset({"genindex", "search", "py-modindex"})
"""Pages that are never results, besides the landing page (which lists every title)."""


class SearchDomain(Domain):
    """The search records of every page, kept between builds."""

    name = "blogbook_search"
    label = "blogbook search records"
    data_version = 1
    initial_data = {"records": {}}  # noqa: RUF012 - Sphinx deep-copies it per environment

    @property
    def records(self) -> dict[str, PageRecord]:
        return self.data["records"]

    def clear_doc(self, docname: str) -> None:
        self.records.pop(docname, None)

    def merge_domaindata(self, docnames: list[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["records"]:
                self.records[docname] = otherdata["records"][docname]


def search_records(env: BuildEnvironment) -> dict[str, PageRecord]:
    domain = env.get_domain(SearchDomain.name)
    assert isinstance(domain, SearchDomain)
    return domain.records


def read_page(app: Sphinx, doctree: nodes.document) -> None:
    """`doctree-read`: the page's record (title from the environment, as the sidebar shows it)."""
    docname = app.env.docname
    title = app.env.titles[docname].astext() if docname in app.env.titles else ""
    search_records(app.env)[docname] = page_record(docname, " ".join(title.split()), doctree)


def parts(site_map: SiteMap) -> dict[str, str]:
    """Each page's part of the book (the toc caption it sits under), for the results' breadcrumb."""
    out: dict[str, str] = {}

    def walk(docname: str, caption: str) -> None:
        if docname not in site_map:
            return
        for tree in site_map[docname].subtrees:
            for item in tree.items:
                if isinstance(item, FileItem):
                    out.setdefault(str(item), caption or tree.caption or "")
                    walk(str(item), caption or tree.caption or "")

    walk(site_map.root.docname, "")
    return out


def indexed_pages(app: Sphinx) -> list[IndexedPage]:
    """Every page that may be a result: in the toc, not the landing page, genindex or search."""
    env = app.env
    site_map: SiteMap | None = getattr(app.config, "external_site_map", None)
    part_of = parts(site_map) if site_map is not None else {}
    root = app.config.root_doc
    pages = []
    for docname, record in sorted(search_records(env).items()):
        if docname == root or docname in NOT_RESULTS or docname not in env.all_docs:
            continue
        if site_map is not None and docname not in part_of:
            continue
        facts = PostFacts.from_metadata(env.metadata.get(docname, {}))
        url = app.builder.get_target_uri(docname)
        pages.append(IndexedPage(record, url, part_of.get(docname, ""), facts.date if facts else ""))
    return pages


def synonym_table(app: Sphinx, pages: Sequence[IndexedPage]) -> SynonymTable:
    configured = app.config.blogbook_search_synonyms or []
    return build_table(configured, (pair for page in pages for pair in page.record.pairs))


def signature(app: Sphinx, pages: Sequence[IndexedPage]) -> str:
    """What the index is made of: pages' records, URLs, parts, dates, and the synonyms setting."""
    sha = hashlib.sha256(repr(app.config.blogbook_search_synonyms).encode())
    for page in pages:
        sha.update(f"{page.record.digest}|{page.url}|{page.part}|{page.date}\n".encode())
    return sha.hexdigest()[:16]


def write_index(app: Sphinx, exception: Exception | None) -> None:
    """`build-finished`: write `_search/` unless it was made from the same inputs already."""
    if exception is not None or not isinstance(app.builder, StandaloneHTMLBuilder):
        return
    pages = indexed_pages(app)
    sig = signature(app, pages)
    outdir = Path(app.outdir)
    if emit.stored_signature(outdir) == sig:
        return
    index = build_index(pages, synonym_table(app, pages))
    written = emit.write(outdir, emit.render(index, sig))
    logger.info("instant_search: %d pages, %d shards, %d files written", len(pages), len(index.shards), written)


def add_templates(app: Sphinx, config: Any) -> None:
    paths: list[str] = config.templates_path
    if str(TEMPLATES) not in paths:
        config.templates_path = [str(TEMPLATES), *paths]


def _source_version() -> int:
    """A number that changes with this extension's script, stylesheet, template or index code.

    Returned as `env_version`: Sphinx then reads and writes every page again. Without it a
    changed `instant-search.js` would not even be copied, because a build with no outdated page
    stops before copying static files ("no targets are out of date").
    """
    sha = hashlib.sha256()
    here = Path(__file__).resolve().parent
    files = [here / "static" / "instant-search.js", here / "static" / "instant-search.css", TEMPLATES / "search.html"]
    files += sorted((here.parent / "search").glob("*.py"))
    for path in files:
        sha.update(path.read_bytes())
    return int(sha.hexdigest()[:8], 16) + 1


SYNONYMS_HELP = (
    "spellings of one word for the search, e.g. `[[도커, Docker], [쿠버네티스, Kubernetes, k8s]]`; "
    "pairs the posts write as `도커(Docker)` are added (`python -m booktools.search_pairs`)"
)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("blogbook_search_synonyms", [], "html", types=[list], description=SYNONYMS_HELP)
    app.add_domain(SearchDomain)
    app.connect("config-inited", add_static_path)
    app.connect("config-inited", add_templates)
    app.connect("doctree-read", read_page)
    app.connect("build-finished", write_index)
    app.add_js_file("instant-search.js", loading_method="defer")
    app.add_css_file("instant-search.css")
    return {"version": "1.0", "env_version": _source_version(), "parallel_read_safe": True, "parallel_write_safe": True}
