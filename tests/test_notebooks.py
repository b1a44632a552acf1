"""Checks for the hands-on notebooks in book/hands-on/.

Every notebook must be committed clean (valid nbformat, no outputs) and must run
top to bottom with the ``python3`` kernel, offline, with or without a Docker
engine or a Kubernetes cluster.  The key results are asserted from the outputs
of the executed cells.
"""

import functools
import re
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
HANDS_ON = ROOT / "book" / "hands-on"
NOTEBOOKS = sorted(HANDS_ON.glob("*.ipynb"))
CELL_TIMEOUT = 60  # seconds per cell
NOTEBOOK_BUDGET = 60  # seconds for a whole notebook, kernel start included

# At least this many image/png outputs per notebook (plots).
MIN_IMAGES = {"02-orchestration-in-miniature": 2}


def notebook_id(path):
    return path.name


@functools.cache
def executed(path):
    """Execute the notebook once per test session; return (notebook, seconds)."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.monotonic()
    client.execute()
    return nb, time.monotonic() - start


def outputs(nb):
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]


def stdout_text(nb):
    parts = []
    for out in outputs(nb):
        if out.output_type == "stream" and out.name == "stdout":
            parts.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            parts.append(out.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def step_records(text):
    """Parse the reconcile loop's 't= 4  desired=3 running=2 ...' lines and their indented notes."""
    records = []
    for line in text.splitlines():
        match = re.match(r"t=\s*(\d+)\s+desired=(\d+) running=(\d+)", line)
        if match:
            t, desired, running = map(int, match.groups())
            records.append({"t": t, "desired": desired, "running": running, "notes": []})
        elif records and line.startswith(" ") and line.strip():
            records[-1]["notes"].append(line.strip())
    return records


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 2, f"expected hands-on notebooks in {HANDS_ON}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=notebook_id)
def test_committed_clean_and_valid(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), "first cell must be a '# title'"
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {index} has committed outputs"
            assert cell.execution_count is None, f"cell {index} has an execution count"


@pytest.mark.build
@pytest.mark.parametrize("path", NOTEBOOKS, ids=notebook_id)
def test_runs_cleanly(path):
    before = sorted(p.name for p in HANDS_ON.iterdir())
    nb, seconds = executed(path)
    assert seconds < NOTEBOOK_BUDGET, f"{path.name} took {seconds:.1f}s"
    for out in outputs(nb):
        assert out.output_type != "error", f"{out.get('ename')}: {out.get('evalue')}"
        if out.output_type == "stream":
            assert out.name == "stdout", f"unexpected stderr output: {out.text!r}"
    images = sum("image/png" in out.get("data", {}) for out in outputs(nb))
    assert images >= MIN_IMAGES.get(path.stem, 0)
    # nothing written next to the notebook (artefacts belong in a temp dir)
    assert sorted(p.name for p in HANDS_ON.iterdir()) == before


@pytest.mark.build
@pytest.mark.parametrize("path", NOTEBOOKS, ids=notebook_id)
def test_key_outputs(path):
    text = stdout_text(executed(path)[0])
    if "container-is-a-process" in path.stem:
        namespace_line = re.search(r"^(cgroup|ipc|mnt|net|pid|user|uts)\s+\d{4,}", text, re.M)
        assert namespace_line or "네임스페이스 확인은 건너뜁니다" in text
        assert re.search(r"자식과 공유하는 네임스페이스: (\d+)/\1\b", text) or "pid 비교만 했습니다" in text
        # Docker: either the comparison ran or exactly one clear skip line
        docker_skips = len(re.findall(r"^.*(도커 엔진|alpine).*건너뜁니다.*$", text, re.M))
        assert "alpine 컨테이너 안에서 본 모습" in text or docker_skips == 1
        assert "쿠버네티스 클러스터의 노드:" in text or text.count("쿠버네티스 클러스터에 연결할 수 없어") == 1
    elif "orchestration" in path.stem:
        steps = step_records(text)
        assert steps, "no step lines printed"
        failures = [
            step for step in steps if any(note.startswith(("[pod-kill]", "[node-down]")) for note in step["notes"])
        ]
        kinds = {note.split("]")[0] + "]" for step in failures for note in step["notes"] if note.startswith("[")}
        assert {"[pod-kill]", "[node-down]"} <= kinds, "both a pod and a node failure are expected"
        for step in failures:
            assert step["running"] < step["desired"], "the failure should show up as missing replicas"
        last_failure = max(step["t"] for step in failures)
        assert any(step["t"] > last_failure and step["running"] == step["desired"] > 0 for step in steps), (
            "never got back to the desired replica count after the failure"
        )
        final = re.findall(r"최종 상태: desired=(\d+) running=(\d+)", text)
        assert final and final[-1][0] == final[-1][1]
        assert "DB_PASSWORD=********" in text
        assert "s3cr3t" not in text, "the secret value must be masked"
    elif "manifests" in path.stem:
        assert "manifests valid: 4/4" in text
        assert re.search(r"^kind: Deployment$", text, re.M)
        assert re.search(r"^  DB_PASSWORD: [A-Za-z0-9+/=]+$", text, re.M)
        caught = re.search(r"잡아낸 것: (\d+)/(\d+)", text)
        assert caught and caught.group(1) == caught.group(2)
    else:
        pytest.fail(f"no key-output checks for {path.name}: add them here")
