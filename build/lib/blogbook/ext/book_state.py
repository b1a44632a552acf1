"""What the book's extensions remember between builds, kept where Sphinx keeps such things.

A Sphinx `Domain`'s data lives in the pickled environment, is dropped per page by `clear_doc`
when a page is read again or removed, and is merged from parallel readers by
`merge_domaindata`; state stored as loose attributes on `env` or `app` gets none of that.
(`sphinx.ext.duration` keeps its state the same way.)
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment

Neighbours = tuple[str | None, str, str | None, str]
"""A page's previous page and its title, then its next page and its title."""


class BookDomain(Domain):
    """Per-page and whole-book facts the navigation and clean-up extensions need next build."""

    name = "blogbook"
    label = "blogbook build state"
    data_version = 2
    initial_data = {  # noqa: RUF012 - Sphinx deep-copies it per environment
        "visible_toctrees": set(),  # pages whose body shows a toctree (per page)
        "neighbours": {},  # docname -> Neighbours, as of the last build (whole book)
        "root_title": "",  # the landing page's title as every page's sidebar shows it
        "removed": set(),  # pages removed in this build, whose output must go (this build only)
    }

    @property
    def visible_toctrees(self) -> set[str]:
        """Pages with a toctree that shows in their body: their HTML depends on their children."""
        return self.data["visible_toctrees"]

    @property
    def neighbours(self) -> dict[str, Neighbours]:
        return self.data["neighbours"]

    @neighbours.setter
    def neighbours(self, value: dict[str, Neighbours]) -> None:
        self.data["neighbours"] = value

    @property
    def root_title(self) -> str:
        return str(self.data.get("root_title", ""))

    @root_title.setter
    def root_title(self, value: str) -> None:
        self.data["root_title"] = value

    @property
    def removed(self) -> set[str]:
        return self.data["removed"]

    def clear_doc(self, docname: str) -> None:
        self.visible_toctrees.discard(docname)

    def merge_domaindata(self, docnames: list[str], otherdata: dict[str, Any]) -> None:
        self.visible_toctrees.update(otherdata["visible_toctrees"] & set(docnames))


def book_state(env: BuildEnvironment) -> BookDomain:
    """The book's state in this environment."""
    domain = env.get_domain(BookDomain.name)
    assert isinstance(domain, BookDomain)
    return domain


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_domain(BookDomain)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
