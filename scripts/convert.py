#!/usr/bin/env python3
"""Convert the blog posts in posts/ into Jupyter Book pages under book/ and write _toc.yml.

A thin entry point for `blogbook.converter.cli` (installed as `blogbook-convert` too).
Usage: python scripts/convert.py [--posts DIR] [--book DIR] [--toc FILE] [--check]
Exit codes: 0 success, 1 content problems (one line each, `file:line: message`), 2 bad usage.
"""

import sys

from blogbook.converter.cli import main

if __name__ == "__main__":
    sys.exit(main())
