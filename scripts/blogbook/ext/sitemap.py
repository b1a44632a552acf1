"""`sitemap.xml`: every page of the book, with absolute URLs, for search engines.

Written from the environment's full list of documents after each build, so an incremental
build (which writes only the changed pages) still produces the complete sitemap. Pages that
are not content (search, index, 404) are left out.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from ..files import write_if_changed
from ..schema import PostFacts
from .post_pages import page_url

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_xml(app: Sphinx) -> bytes:
    ET.register_namespace("", SITEMAP)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    for docname in sorted(app.env.found_docs):
        url = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = page_url(app, docname)
        facts = PostFacts.from_metadata(app.env.metadata.get(docname, {}))
        if facts and facts.date:
            ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = facts.date
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True)


def write_sitemap(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        write_if_changed(Path(app.outdir) / "sitemap.xml", sitemap_xml(app))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("build-finished", write_sitemap)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
