#!/usr/bin/env python3
"""Live preview of the book (`make serve`): a thin entry point for `blogbook.preview`."""

import sys

from blogbook.preview import main

if __name__ == "__main__":
    sys.exit(main())
