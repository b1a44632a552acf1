"""Everything that depends on where the site is hosted, derived from `html_baseurl` alone.

`_config.yml` sets `html.baseurl` once; the 404 page's absolute links (it is served at any
depth, so relative links would break) follow from it and the landing page (Sphinx's
`root_doc`, which sphinx-external-toc sets from `_toc.yml`, which the converter writes from
`converter.landing_page`), as do the absolute URLs of the
sitemap, the feed and the social cards (see `post_pages.absolute`).

Publishing should not need a config edit: `BLOGBOOK_SITE_URL` and `BLOGBOOK_REPOSITORY_URL` in
the environment replace `html.baseurl` and `repository.url` for one build (the Pages workflow
passes the address GitHub reports and the repository's URL, so a fork publishes right and its
launch buttons appear). A build left with the template's placeholder address says so in one line.
"""

from __future__ import annotations

import os
import sys
from html import escape
from typing import Any
from urllib.parse import quote, urlsplit

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

SITE_URL_VARIABLE = "BLOGBOOK_SITE_URL"
REPOSITORY_URL_VARIABLE = "BLOGBOOK_REPOSITORY_URL"

NOT_FOUND_BODY = """
<h1>페이지를 찾을 수 없습니다</h1>
<p>주소가 바뀌었거나 없는 페이지입니다. <a href="{prefix}{landing}">첫 페이지</a>에서 글 목록을 보거나
<a href="{prefix}search.html">검색</a>해 보세요.</p>
"""


def _web_address(name: str, value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{name}={value!r}: expected an http(s) address such as https://you.github.io/book/")
    return value.strip()


def from_environment(app: Sphinx, config: Config) -> None:
    """The site's and the repository's address for this build, when the environment gives them."""
    site = os.environ.get(SITE_URL_VARIABLE, "").strip()
    if site:
        site = _web_address(SITE_URL_VARIABLE, site)
        config.html_baseurl = site if site.endswith("/") else site + "/"
    repository = os.environ.get(REPOSITORY_URL_VARIABLE, "").strip()
    if repository:
        config.html_theme_options["repository_url"] = _web_address(REPOSITORY_URL_VARIABLE, repository)
    if config.blogbook_address_is_placeholder and not site:
        # Straight to stderr: a quiet build (`make book` runs `-q`) hides Sphinx's status lines,
        # and as a Sphinx warning it would fail every `-W` build of the book as it ships.
        print(
            f"site address: {config.html_baseurl} is a placeholder; the feed, sitemap, social cards and 404 page"
            f" point there (set html.baseurl in _config.yml, or {SITE_URL_VARIABLE} for one build)",
            file=sys.stderr,
        )


def derive(app: Sphinx, config: Config) -> None:
    prefix = urlsplit(config.html_baseurl or "/").path or "/"
    prefix = prefix if prefix.endswith("/") else prefix + "/"
    landing = quote(config.root_doc) + (config.html_file_suffix or ".html")
    config.notfound_urls_prefix = prefix
    body = NOT_FOUND_BODY.format(prefix=escape(prefix), landing=escape(landing))
    config.notfound_context = {"title": "페이지를 찾을 수 없습니다", "body": body}


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value(
        "blogbook_address_is_placeholder",
        False,
        "html",
        types=[bool],
        description="html.baseurl is a stand-in, not the site's address: builds say so in one line",
    )
    app.setup_extension("notfound.extension")
    app.connect("config-inited", from_environment, priority=100)  # before launch_buttons reads the repository
    app.connect("config-inited", derive, priority=950)  # after sphinx-external-toc sets root_doc (900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
