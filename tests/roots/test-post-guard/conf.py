"""Generated-looking post pages (they carry the converter's marker) under the post guard."""

project = "guard"
extensions = ["myst_parser", "blogbook.ext.post_guard"]
exclude_patterns = ["_build"]
