"""A Korean study blog published as a Jupyter Book: one package, two halves and what they share.

- `blogbook.converter`: posts in, MyST pages, the landing page's cards and `_toc.yml` out
  (`python scripts/convert.py`, or the `blogbook-convert` command).
- `blogbook.ext`: the Sphinx extensions `_config.yml` loads (search, navigation, publishing).
- `blogbook.schema`: what the converter writes and the extensions read back (a post's facts,
  a landing card, the generated-file marker), defined once so the two halves cannot drift.
- `blogbook.preview`: `make serve`, the author's live preview.
"""
