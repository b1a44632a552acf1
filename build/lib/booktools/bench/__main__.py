"""`python -m booktools.bench`: the same as `scripts/bench.py` and `make bench`."""

import sys

from booktools.bench.cli import main

if __name__ == "__main__":
    sys.exit(main())
