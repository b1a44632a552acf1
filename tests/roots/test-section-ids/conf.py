"""Korean headings get MyST's slug as their HTML id."""

project = "ids"
extensions = ["myst_parser", "blogbook.ext.section_ids"]
myst_heading_anchors = 3
exclude_patterns = ["_build"]
