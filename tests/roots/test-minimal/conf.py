"""A bare MyST project: the tests choose the extensions."""

project = "minimal"
extensions = ["myst_parser"]
exclude_patterns = ["_build"]
