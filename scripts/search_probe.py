#!/usr/bin/env python3
"""Ask a built book's real search page, query by query: see `booktools.search_probe`."""

import sys

from booktools.search_probe import main

if __name__ == "__main__":
    sys.exit(main())
