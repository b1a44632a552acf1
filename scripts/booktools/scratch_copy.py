"""What a scratch copy of the project leaves out: this checkout's environments, caches and build.

The tests and the benchmark build in copies of the repository; one list keeps them from
drifting apart (copying a 26 MB type-checker cache into every test project, for one).
"""

from __future__ import annotations

import shutil

COPY_IGNORE = shutil.ignore_patterns(
    ".venv",
    ".venv-lab",
    ".cache",
    "_build",
    "*.mo",
    ".git",
    "__pycache__",
    ".pytest_cache",
    ".ipynb_checkpoints",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
    "build",  # what a non-editable `pip install .` leaves behind
    "*.egg-info",
)
