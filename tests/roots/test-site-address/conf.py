"""The 404 page links the landing page (`root_doc`) and the feed under the site's path."""

project = "address"
root_doc = "home"
html_baseurl = "https://example.org/notes/"
extensions = ["myst_parser", "blogbook.ext.site_address", "blogbook.ext.post_feed"]
exclude_patterns = ["_build"]
