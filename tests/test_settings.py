"""The README's settings tables are the settings' own help text, and every setting is in them."""

from __future__ import annotations

from dataclasses import fields

from blogbook.converter.config import Config, settings
from booktools.settings_table import END, START, table

from conftest import ROOT


def test_readme_holds_the_generated_settings_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme[readme.index(START) : readme.index(END) + len(END)]
    assert shown == table(ROOT / "_config.yml"), "run `python -m booktools.settings_table` and paste its output"


def test_every_converter_setting_has_help_and_a_row() -> None:
    keys = [f.metadata["key"] for f in fields(Config) if "key" in f.metadata]
    assert [s.key for s in settings()] == keys
    assert all(s.help for s in settings())
    text = table(ROOT / "_config.yml")
    assert all(f"| `{key}` |" in text for key in keys)


def test_extension_settings_are_declared_to_sphinx() -> None:
    text = table(ROOT / "_config.yml")
    assert "| `blogbook_timezone` | `+09:00` |" in text
    assert "| `blogbook_locale` | `ko_KR` |" in text
