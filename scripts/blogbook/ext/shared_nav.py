"""One navigation file for the whole book, and prev/next links that stay right.

The theme writes the whole table of contents into every page's sidebar: about 125 bytes per
post on every page, so page size and build time grow with the square of the number of posts,
and an incremental build leaves every unchanged page with a stale sidebar. Here the sidebar
is one file, `_static/book-nav.html`, written after every build (incremental ones too) from
the table of contents and the current titles; each page loads it with a few lines of JS and
marks its own entry. A page without JS still links to the landing page, which lists every post.

A page opened from disk (`file://`) may not fetch another file: browsers give it no origin, so
the fetch is refused. A `<script src>` is allowed, so the same HTML is also written as a script,
`_static/book-nav-data.js`, that hands it over JSON-encoded; the page's JS adds that script only
when it was not served over http(s). Over http the HTML is still fetched with `no-cache`, so a
page Sphinx did not rewrite still gets the newest sidebar after an incremental build (a script
tag cannot ask to revalidate, and a `?v=` digest in it would be frozen in the unchanged pages).
From disk there is no HTTP cache, so the script is always the current one. The cost is the
sidebar written twice (about 125 bytes per post each), both only when it changed.

Sphinx rewrites only the pages whose source changed, but adding, removing or retitling a post
also changes its neighbours' previous/next links: `env-updated` hands those pages back to
Sphinx to be written again.

The other way round, Sphinx rewrites more than changed: every page whose toctree holds a
changed page, and the root page, on every build that writes anything, because the theme's
sidebar showed their titles. With the sidebar shared and the toctrees hidden, those pages'
HTML does not depend on their children, so they are written only when they changed
themselves. At 1,000 posts that is the landing page (0.7 MB, 1,000 cards): 1.2 s of every
rebuild after a one-word edit.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment import BuildEnvironment
from sphinx_external_toc.api import FileItem, SiteMap

from ..files import write_if_changed
from . import add_static_path, add_templates_path, upstream
from .book_state import Neighbours, book_state
from .post_pages import page_title

NAV_FILE = "_static/book-nav.html"
NAV_SCRIPT = "_static/book-nav-data.js"  # the same HTML for pages opened from disk; book-nav.js knows both names

#: Characters a JSON string may hold raw but a script must not: `<` (so `</script>` or `<!--` never
#: appears, should the data ever be inlined), `>` and `&` for the same reason, and U+2028/U+2029,
#: line terminators in JS before ES2019 and in some tools still.
_SCRIPT_UNSAFE = str.maketrans({c: f"\\u{ord(c):04x}" for c in "<>&\u2028\u2029"})


def _children(site_map: SiteMap, docname: str) -> list[str]:
    if docname not in site_map:
        return []
    return [str(item) for tree in site_map[docname].subtrees for item in tree.items if isinstance(item, FileItem)]


def _item(app: Sphinx, site_map: SiteMap, docname: str, level: int) -> str:
    """One sidebar entry (and its sections) in the theme's own markup."""
    href = escape(app.builder.get_target_uri(docname))
    link = f'<a class="reference internal" href="{href}">{escape(page_title(app.env, docname))}</a>'
    children = [d for d in _children(site_map, docname) if d in app.env.all_docs]
    if app.env.metadata.get(docname, {}).get("nav_hide_children"):
        children = []  # a listing index (tags, series): its pages are listed on it, not in the sidebar
    if not children:
        return f'<li class="toctree-l{level}">{link}</li>'
    inner = "".join(_item(app, site_map, child, level + 1) for child in children)
    label = escape(f"{page_title(app.env, docname)} 하위 목록 펼치기/접기")  # a screen reader's name for the toggle
    toggle = (
        f'<summary aria-label="{label}"><span class="toctree-toggle" role="presentation">'
        '<i class="fa-solid fa-chevron-down"></i></span></summary>'
    )
    return f'<li class="toctree-l{level} has-children">{link}<details>{toggle}<ul>{inner}</ul></details></li>'


def nav_html(app: Sphinx) -> str:
    """The sidebar's parts and entries; hrefs are relative to the site root."""
    site_map: SiteMap = app.config.external_site_map
    out = []
    for tree in site_map[site_map.root.docname].subtrees:
        docnames = [str(i) for i in tree.items if isinstance(i, FileItem) and str(i) in app.env.all_docs]
        if not docnames:
            continue
        if tree.caption:
            caption = f'<span class="caption-text">{escape(tree.caption)}</span>'
            out.append(f'<p aria-level="2" class="caption" role="heading">{caption}</p>')
        out.append('<ul class="nav bd-sidenav">' + "".join(_item(app, site_map, d, 1) for d in docnames) + "</ul>")
    return "\n".join(out) + "\n"


def nav_script(html: str) -> str:
    """The sidebar as a script that a page opened from disk may load (it may not fetch the HTML).

    The HTML travels as one JSON string with every character a script or an HTML parser could
    end early on escaped; titles inside it are already HTML-escaped, so a post's title stays text.
    """
    payload = json.dumps(html, ensure_ascii=False).translate(_SCRIPT_UNSAFE)
    header = "// The book's sidebar (blogbook.ext.shared_nav), for pages opened from disk.\n"
    return f"{header}window.bookNavHtml = {payload};\n"


def write_nav(app: Sphinx, exception: Exception | None) -> None:
    """Both forms of the sidebar after every build, incremental or not; each only when it changed."""
    if exception is None and app.builder.format == "html":
        html = nav_html(app)
        write_if_changed(Path(app.outdir) / NAV_FILE, html.encode("utf-8"))
        write_if_changed(Path(app.outdir) / NAV_SCRIPT, nav_script(html).encode("utf-8"))


def _neighbours(env: BuildEnvironment) -> dict[str, Neighbours]:
    """Each page's previous and next page, with the titles its links show."""
    relations = env.collect_relations()
    return {
        docname: (prev, page_title(env, prev) if prev else "", nxt, page_title(env, nxt) if nxt else "")
        for docname, (_, prev, nxt) in relations.items()
    }


def rewrite_neighbours(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages whose previous/next link changed since the last build must be written again; all
    pages when the landing page was retitled, since each one's sidebar links home by its title."""
    now = _neighbours(env)
    state = book_state(env)
    before, state.neighbours = state.neighbours, now
    root_title = page_title(env, env.config.root_doc)
    retitled, state.root_title = state.root_title not in ("", root_title), root_title
    if retitled:
        return sorted(env.all_docs)
    if not before:
        return []
    return sorted(d for d, links in now.items() if before.get(d) != links and d in env.all_docs)


def record_toctrees(app: Sphinx, doctree: nodes.document) -> None:
    """Note the page if a toctree shows in its body (Sphinx clears the note when it re-reads it)."""
    if any(not toctree.get("hidden") for toctree in doctree.findall(addnodes.toctree)):
        book_state(app.env).visible_toctrees.add(app.env.docname)


def write_only_changed(app: Sphinx) -> None:
    """Drop the pages Sphinx adds to an incremental write only because a child of theirs changed."""
    builder = app.builder
    if not isinstance(builder, StandaloneHTMLBuilder):
        return

    def drop_unchanged_parents(docnames: set[str], asked: set[str] | None) -> None:
        if asked is None:
            return
        visible = book_state(app.env).visible_toctrees
        docnames.difference_update(
            docname
            for docname in docnames - asked
            if docname not in visible and Path(builder.get_outfilename(docname)).exists()
        )

    upstream.before_prepare_writing(builder, drop_unchanged_parents)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("blogbook.ext.book_state")
    app.connect("config-inited", add_templates_path)  # our sidebar template before the theme's
    app.connect("config-inited", add_static_path)
    app.add_js_file("book-nav.js", loading_method="defer")
    app.connect("env-updated", rewrite_neighbours)
    app.connect("doctree-read", record_toctrees)
    app.connect("builder-inited", write_only_changed)
    app.connect("build-finished", write_nav)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 3}
