"""The landing page's `{post-cards}` block, rendered with sphinx-design's markup."""

project = "cards"
extensions = ["myst_parser", "sphinx_design", "blogbook.ext.post_cards"]
exclude_patterns = ["_build"]
