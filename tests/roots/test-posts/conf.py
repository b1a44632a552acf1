"""Post pages as the converter writes them, for the feed, the sitemap and the social cards."""

project = "공부 노트"
html_title = "공부 노트 & <Co>"
author = "저자"
html_baseurl = "https://example.org/notes/"
extensions = ["myst_parser", "blogbook.ext.post_feed", "blogbook.ext.sitemap", "blogbook.ext.social_cards"]
exclude_patterns = ["_build"]
