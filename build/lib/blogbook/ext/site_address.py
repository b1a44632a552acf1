"""Everything that depends on where the site is hosted, derived from `html_baseurl` alone.

`_config.yml` sets `html.baseurl` once; the 404 page's absolute links (it is served at any
depth, so relative links would break) follow from it and the landing page (Sphinx's
`root_doc`, which sphinx-external-toc sets from `_toc.yml`, which the converter writes from
`converter.landing_page`), as do the absolute URLs of the
sitemap, the feed and the social cards (see `post_pages.absolute`).
"""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import quote, urlsplit

from sphinx.application import Sphinx
from sphinx.config import Config

NOT_FOUND_BODY = """
<h1>페이지를 찾을 수 없습니다</h1>
<p>주소가 바뀌었거나 없는 페이지입니다. <a href="{prefix}{landing}">첫 페이지</a>에서 글 목록을 보거나
<a href="{prefix}search.html">검색</a>해 보세요.</p>
"""


def derive(app: Sphinx, config: Config) -> None:
    prefix = urlsplit(config.html_baseurl or "/").path or "/"
    prefix = prefix if prefix.endswith("/") else prefix + "/"
    landing = quote(config.root_doc) + (config.html_file_suffix or ".html")
    config.notfound_urls_prefix = prefix
    body = NOT_FOUND_BODY.format(prefix=escape(prefix), landing=escape(landing))
    config.notfound_context = {"title": "페이지를 찾을 수 없습니다", "body": body}


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("notfound.extension")
    app.connect("config-inited", derive, priority=950)  # after sphinx-external-toc sets root_doc (900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
