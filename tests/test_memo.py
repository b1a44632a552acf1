"""The converter's memo is JSON that reads back to exactly what was converted, and never runs code."""

from __future__ import annotations

import pickle
from pathlib import Path

from blogbook.converter.config import load_config
from blogbook.converter.memo import Memo, decode, encode
from blogbook.converter.pipeline import convert_posts, memo_file

from conftest import FIXTURES, make_project


def test_every_conversion_survives_the_memo(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", with_posts=True)
    for path in (FIXTURES / "golden" / "posts").glob("*.md"):
        (project.root / "posts" / path.name).write_bytes(path.read_bytes())
    converted = convert_posts(load_config(project.root / "_config.yml"), Memo(salt=""), workers=1)
    assert any(c.body and c.body.links for c in converted)
    assert any(c.body and c.body.images for c in converted)
    assert any(c.body is None for c in converted)  # the draft
    for result in converted:
        assert decode(encode(result)) == result


def test_a_saved_memo_is_used_and_a_foreign_file_is_ignored(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", with_posts=True)
    config = load_config(project.root / "_config.yml")
    first = Memo(salt="s")
    converted = convert_posts(config, first, workers=1)
    first.save(memo_file(config))
    assert memo_file(config).read_text(encoding="utf-8").startswith("{")
    second = Memo.load(memo_file(config), salt="s")
    assert convert_posts(config, second, workers=1) == converted
    assert second.used.keys() == second.entries.keys() != set()
    assert Memo.load(memo_file(config), salt="other").entries == {}

    memo_file(config).write_bytes(pickle.dumps(first))  # a pickle is never unpickled, only ignored
    assert Memo.load(memo_file(config), salt="s").entries == {}
    assert Memo.load(memo_file(config), salt="s").ignored
    assert not Memo.load(memo_file(config).with_name("none.json"), salt="s").ignored


def test_an_unreadable_memo_is_named_and_the_run_goes_on(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", with_posts=True)
    assert project.convert().returncode == 0
    memo = project.root / ".cache" / "convert-memo.json"
    memo.write_text('{"salt": "x", "entries": [[1', encoding="utf-8")  # cut off mid-write
    result = project.convert()
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        ".cache/convert-memo.json: not a converter cache this version can read; ignored, rebuilt on this run"
    ]
    assert "0 written" in result.stdout
    assert memo.read_text(encoding="utf-8").startswith('{"salt"') and project.convert().stderr == ""
