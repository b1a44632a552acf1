#!/usr/bin/env python3
"""Benchmark the converter and the build on N generated posts (`make bench`): see `booktools.bench`."""

import sys

from booktools.bench import main

if __name__ == "__main__":
    sys.exit(main())
