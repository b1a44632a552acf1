"""The book's Sphinx extensions, one job each; `_config.yml` loads them by module name.

Each module is an ordinary Sphinx extension (`setup(app)`), so `sphinx-build -j N` and a plain
`jupyter-book build .` find them as installed code, with no path set up by Jupyter Book.
"""

from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
"""The extensions' CSS and JavaScript, copied into the book's `_static/`."""
TEMPLATES = Path(__file__).resolve().parent / "templates"
"""Templates found before the theme's own."""


def add_templates_path(app: object, config: object) -> None:
    """`config-inited`: the book's templates are found before the theme's (once, whoever asks)."""
    paths: list[str] = config.templates_path  # type: ignore[attr-defined]
    if str(TEMPLATES) not in paths:  # a new list: the default one is shared by every application
        config.templates_path = [str(TEMPLATES), *paths]  # type: ignore[attr-defined]


def add_static_path(app: object, config: object) -> None:
    """`config-inited`: the book's `_static/` gets the extensions' files (once, whoever asks)."""
    paths: list[str] = config.html_static_path  # type: ignore[attr-defined]
    if str(STATIC) not in paths:  # a new list: the default one is shared by every application
        config.html_static_path = [*paths, str(STATIC)]  # type: ignore[attr-defined]
