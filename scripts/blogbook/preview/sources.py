"""Which files the preview watches, and what a batch of changes asks of it.

Sources are what the converter and the build read: posts, images, hand-written pages, the
config, and this package (the extensions) when it is the project's own checkout. What the
converter writes (post pages, the cards, the toc, the tag, series, category and archive pages)
is not watched: it would trigger a rebuild after each rebuild.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..converter.config import load_config
from ..converter.listings import Folders

NOT_SOURCES = ("_build", ".cache", ".git", ".venv", ".venv-lab", ".pytest_cache")
"""Never sources: build output, caches, environments."""
PACKAGE = Path(__file__).resolve().parents[1]
"""The `blogbook` package: the converter and the extensions."""


@dataclass(frozen=True)
class Sources:
    """Where sources live in one project, from the converter's own config."""

    root: Path
    watched: tuple[Path, ...]
    ignored: tuple[str, ...]
    posts_dir: str

    @classmethod
    def of(cls, root: Path) -> Sources:
        config = load_config(root / "_config.yml")
        places = [config.posts_dir, config.static_images.parent, config.book_dir, Path("_config.yml")]
        found = [root / p for p in places if (root / p).exists()]
        if PACKAGE.is_relative_to(root.resolve()):
            found.append(PACKAGE)
        generated = (config.pages_dir, config.cards_file, config.toc_file, *Folders(config.book_dir).generated)
        ignored = NOT_SOURCES + tuple(path.as_posix() for path in generated)
        return cls(root, tuple(found), ignored, config.posts_dir.as_posix())

    def relative(self, path: str) -> str | None:
        """The path as the project names it, or None outside the project."""
        try:
            return Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return None

    def is_source(self, change: object, path: str) -> bool:
        """Only sources trigger a rebuild; generated files and editor droppings do not."""
        if Path(path).resolve().is_relative_to(PACKAGE):
            return path.endswith((".py", ".html", ".js", ".css"))
        relative = self.relative(path)
        if relative is None or any(relative == g or relative.startswith(g + "/") for g in self.ignored):
            return False
        name = Path(path).name
        parts = relative.split("/")
        return not (
            name.startswith(".") or name.endswith("~") or ".ipynb_checkpoints" in parts or "__pycache__" in parts
        )

    def needs_restart(self, paths: set[str]) -> bool:
        """The config or the code changed: the loaded application no longer matches them."""
        return any(
            Path(path).resolve().is_relative_to(PACKAGE) or self.relative(path) == "_config.yml" for path in paths
        )

    def only_posts(self, paths: set[str]) -> bool:
        """Every change is to a post: images and other files are as the last run saw them."""
        prefix = self.posts_dir.rstrip("/") + "/"
        return all((self.relative(path) or "").startswith(prefix) for path in paths)
