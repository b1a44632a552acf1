"""Turn a Korean study blog's Markdown posts into Jupyter Book (MyST) pages.

The pipeline is a chain of small stages with plain typed data between them:

    config -> read (Post) -> transform (token-level body rewrite) -> render (page text)
           -> toc (table of contents) -> write (the only stage that touches the disk)
"""
