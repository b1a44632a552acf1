"""What the benchmark prints, and the same results as JSON (`--json FILE`).

Only presentation lives here: every number comes from `Results` or from its ratios, so the
table and the JSON cannot disagree.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from booktools.bench.measures import CONVERT_REPEATS, IncrementalResult, Results, Timing, fraction
from booktools.bench.runner import POLL_SECONDS
from booktools.bench.search import lines as search_lines

RATIO_ROWS: list[tuple[str, str, str]] = [
    ("convert no-op / full", "convert_noop_ratio", ""),
    ("convert one edit / full", "convert_edit_ratio", ""),
    ("build no-op / full", "build_noop_ratio", ""),
    ("build one edit / full", "build_edit_ratio", "   (convert + build)"),
    ("build one added / full", "build_add_ratio", "   (convert + build)"),
    ("converter share", "converter_share", "   convert_full / (convert_full + build_full)"),
]
"""(label, name in `RATIOS`, note) of the ratio table; the parallel speedup has its own line."""


def _mb(value: float) -> str:
    return f"{value:,.0f} MB" if value else ""


def _size(value: float) -> str:
    for unit, scale in (("MB", 2**20), ("KB", 2**10)):
        if value >= scale:
            return f"{value / scale:,.1f} {unit}"
    return f"{value:,.0f} B"


@dataclass(frozen=True)
class Row:
    """One line of the phase table: a step's times against the matching full run.

    Peak memory is shown for the clean runs only (`show_rss`): they load everything, so they
    set what a machine needs; the other steps' peaks are in the JSON.
    """

    phase: str
    timing: Timing
    full: Timing
    note: str
    show_rss: bool = False

    def __str__(self) -> str:
        t = self.timing
        ratio = fraction(t.seconds, self.full.seconds)
        rss = _mb(t.peak_rss_mb) if self.show_rss else ""
        return f"{self.phase:<44}{t.seconds:>9.2f}{t.cpu_seconds:>9.2f}{ratio:>8.2f}{rss:>10}  {self.note}"


def _incremental_note(step: IncrementalResult) -> str:
    return (
        f"convert {step.convert_seconds:.2f} s + build {step.build_seconds:.2f} s; "
        f"{step.docs_read} docs read, {step.pages_written} HTML rewritten"
    )


def phase_rows(r: Results) -> list[Row]:
    """Times, × the matching full run, peak memory, and what each step actually did."""
    c, b, p, n = r.convert, r.build, r.parallel, CONVERT_REPEATS
    cf, bf = c.full.timing, b.full.timing
    modes = f"read {'parallel' if p.read else 'serial'}, write {'parallel' if p.write else 'serial'}"
    return [
        Row("convert  full (first run)", cf, cf, f"{c.full.files_written} files written", show_rss=True),
        Row(f"convert  no-op (median of {n})", c.noop.timing, cf,
            f"{c.noop.files_written} files written (mtimes); it says '{c.noop_reported}'"),
        Row(f"convert  one post edited (median of {n})", c.edit.timing, cf,
            f"{c.edit.files_written} file(s) written per run"),
        Row("build    full (clean _build)", bf, bf,
            f"{b.full.docs_read} docs read, {b.full.pages_written} HTML files, {b.warnings} warnings", show_rss=True),
        Row("build    no-op", b.noop.timing, bf,
            f"{b.noop.docs_read} docs read, {b.noop.pages_written} HTML rewritten, "
            f"{b.noop_files_touched} files touched"),
        Row("build    one post edited (convert + build)", r.edit.timing, bf, _incremental_note(r.edit)),
        Row("build    one post added (convert + build)", r.add.timing, bf, _incremental_note(r.add)),
        Row("build    sphinx-build -j 2 (clean)", p.jobs_2, bf, modes, show_rss=True),
        Row("build    sphinx-build -j 1 (clean)", p.jobs_1, bf, "same conf.py, without the jupyter-book CLI"),
    ]  # fmt: skip


def report(r: Results) -> str:
    """The table people read, then ratios, sizes and what the parallel build ran into."""
    ratios = r.ratios()
    b, p, s, nav = r.build, r.parallel, r.sizes, r.navigation
    lines = [
        f"Benchmark: {r.posts} generated posts (seed {r.seed}) on {r.cores} cores (os.cpu_count())",
        "Converter run with --no-hands-on: the hands-on notebook part is left out, so this measures posts only.",
        "Builds run without -W (warnings counted, not fatal). Peak RSS: summed over the process tree, "
        f"sampled every {POLL_SECONDS * 1000:.0f} ms (psutil).",
        f"1-minute load average: {r.load_average_start:.2f} at the start, {r.load_average_end:.2f} at the end; "
        f"project copied from commit {r.source_commit or '?'} with {r.source_changed_files} changed/untracked files.",
        "",
        f"{'phase':<44}{'wall s':>9}{'CPU s':>9}{'x full':>8}{'peak RSS':>10}  notes",
        *(str(row) for row in phase_rows(r)),
        "",
        f"{'ratios':<30}{'wall':>7}{'CPU':>8}",
        *(f"  {label:<26}{ratios[name].wall:>9.3f}{ratios[name].cpu:>8.3f}{note}" for label, name, note in RATIO_ROWS),
        f"  {'parallel speedup':<26}{ratios['parallel_speedup'].wall:>8.2f}x{'':>8}   "
        "build_full / build_parallel (-j 2); "
        f"-j 2 used {fraction(p.jobs_2.cpu_seconds, p.jobs_2.seconds):.2f} cores on average",
        "",
        "sizes (full build)",
        f"  searchindex.js              {_size(s.search_bytes)} ({s.search_bytes:,} bytes)",
        f"  post page, median           {_size(s.page_bytes)} ({s.page_bytes:,} bytes)",
        f"  landing page                {_size(s.index_page_bytes)} ({s.index_page_bytes:,} bytes)",
        f"  _build/html total           {_size(s.html_bytes)} in {s.html_files:,} files",
        "",
        *([*search_lines(r.search), ""] if r.search else []),
        "parallel build (jupyter-book config sphinx . ; python -m sphinx -b html -j 2 . _build/html-parallel)",
        f"  blocked by                  {'; '.join(p.blockers) or 'nothing'}",
        f"  same pages as jupyter-book  {p.same_pages}; {p.identical_pages} of {b.full.pages_written} byte-identical",
        f"  warnings                    {p.warnings} (jupyter-book full build: {b.warnings})",
        "",
        "what the incremental builds rewrote",
        f"  no-op: files touched        {b.noop_touched or 'none'}",
        f"  one edit: HTML rewritten    {r.edit.rewritten or 'none'}",
        f"  one added: HTML rewritten   {r.add.rewritten or 'none'}",
        f"  other post pages naming the newest post: {nav.pages_linking_last} of {r.posts - 1} after the "
        f"full build, {nav.pages_linking_added} of {r.posts} after the incremental add"
        f"{' -> stale navigation in pages not rewritten' if nav.stale else ' (consistent)'}",
        *(f"  warning: {w}" for w in b.warnings_sample),
    ]
    return "\n".join(lines)


def _rounded(value: Any) -> Any:
    """Floats to 4 decimals (0.1 ms is below the noise), so two runs' files diff readably."""
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(item) for item in value]
    return value


def as_json(results: Results) -> dict[str, Any]:
    """The results as nested JSON objects, field by field, plus the ratios under `ratios`.

    The ratios are added here, when reported, because `Results` never stores them.
    """
    ratios = {name: asdict(ratio) for name, ratio in results.ratios().items()}
    rounded: dict[str, Any] = _rounded(asdict(results) | {"ratios": ratios})
    return rounded


def write_json(path: Path, results: Results) -> None:
    path.write_text(json.dumps(as_json(results), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
