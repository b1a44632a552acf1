"""Pages whose source is deleted lose their HTML, their `_sources` copy and their search words on the next build."""

project = "removed"
extensions = ["myst_parser", "blogbook.ext.removed_pages"]
exclude_patterns = ["_build"]
