"""The shared sidebar file, prev/next links kept right, and the 404 page of a toc-rooted book."""

project = "nav"
html_theme = "sphinx_book_theme"
html_baseurl = "https://example.org/notes/"
extensions = ["myst_parser", "sphinx_external_toc", "blogbook.ext.shared_nav", "blogbook.ext.site_address"]
external_toc_path = "_toc.yml"
exclude_patterns = ["_build"]
