"""The live preview's quick path: which saves may show the saved post's own page first.

`WarmConverter.quick` writes only the saved post's page, before everything else. That is right
only when nothing but the post's text changed: then the page it writes is exactly the page a
full conversion writes, and no other page changes at once. Each rule is one parametrised
case on a real post: a save it accepts must give the full conversion's page, byte for byte;
a save it refuses (None) is left to the full run; a broken save reports the same problems
as the full run.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blogbook.preview.converting import WarmConverter

from conftest import make_project

POST = "container-vs-vm.md"
OTHER = "docker-image-layers.md"

Edit = Callable[[str], str]


def _append(text: str) -> Edit:
    return lambda source: source.rstrip("\n") + "\n\n" + text + "\n"


def _front(old: str, new: str) -> Edit:
    def edit(source: str) -> str:
        head, _, body = source.partition("\n---\n")
        assert old in head, old
        return head.replace(old, new, 1) + "\n---\n" + body

    return edit


QUICK: dict[str, Edit] = {
    "a sentence appended": _append("미리보기에서 덧붙인 문장입니다."),
    "a word changed in a paragraph": lambda s: s.replace("정리해 보려고 합니다.", "정리해 봅니다.", 1),
    "a code block": _append("```bash\ndocker run --rm hello-world\n```"),
    "emphasis and a list": _append("- **굵게** 쓴 항목\n- *기울여* 쓴 항목"),
    "a lone # spacer": _append("#\n\n간격 뒤의 문장입니다."),
    "a web link": _append("[문서](https://docs.docker.com/)"),
    "a link to a post that exists": _append(f"[이미지 이야기](./{OTHER})"),
}

FULL: dict[str, Edit] = {
    "the title": _front('title: "', 'title: "고친 '),
    "the date": _front('date: "2025.03.24"', 'date: "2025.03.25"'),
    "the tags": _front("tags: [컨테이너, 가상머신]", "tags: [컨테이너]"),
    "the series order": _front("series_order: 1", "series_order: 3"),
    "the thumbnail": _front('thumbnail: "container-vs-vm.png"', 'thumbnail: "docker-image-layers.png"'),
    "now a draft": _front("id: 10", "id: 10\ndraft: true"),
    "a heading added": _append("## 새로 생긴 절"),
    "an image added": _append('<img src="../../static/image/docker-image-layers.png" alt="레이어">'),
    "a download link added": _append("[받기](../../static/image/docker-image-layers.png)"),
    "a link to a post that does not exist": _append("[없는 글](./no-such-post.md)"),
    "a link to a section that does not exist": _append(f"[없는 절](./{OTHER}#no-such-section)"),
}


@pytest.fixture
def warm(tmp_path: Path) -> WarmConverter:
    project = make_project(tmp_path / "book", with_posts=True)
    converter = WarmConverter(project.root, hands_on=False)
    assert converter.run().problems == ()
    return converter


def _save(converter: WarmConverter, name: str, edit: Edit) -> Path:
    path = converter.root / "posts" / name
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def _page(converter: WarmConverter, name: str) -> str:
    return (converter.root / "book" / "posts" / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("edit", QUICK.values(), ids=QUICK.keys())
def test_a_save_of_text_only_writes_the_page_the_full_run_writes(warm: WarmConverter, edit: Edit) -> None:
    saved = _save(warm, POST, edit)
    quick = warm.quick([saved])
    assert quick is not None and quick.problems == ()
    assert [path.as_posix() for path in quick.written] == [f"book/posts/{POST}"]
    page = _page(warm, POST)
    fresh = WarmConverter(warm.root, hands_on=False)  # a new process converting from scratch
    assert fresh.run().problems == ()
    assert _page(fresh, POST) == page


@pytest.mark.parametrize("edit", FULL.values(), ids=FULL.keys())
def test_a_save_that_changes_more_than_text_is_left_to_the_full_run(warm: WarmConverter, edit: Edit) -> None:
    before = _page(warm, POST)
    saved = _save(warm, POST, edit)
    assert warm.quick([saved]) is None
    assert _page(warm, POST) == before  # nothing written


def test_a_broken_save_reports_what_the_full_run_reports(warm: WarmConverter) -> None:
    saved = _save(warm, POST, _front('date: "2025.03.24"', 'date: "2025.13.45"'))
    quick = warm.quick([saved])
    assert quick is not None and quick.written == ()
    full = WarmConverter(warm.root, hands_on=False).run()
    assert quick.problems and quick.problems == full.problems


def test_a_new_post_or_a_file_outside_the_posts_is_left_to_the_full_run(warm: WarmConverter) -> None:
    new = warm.root / "posts" / "new-post.md"
    new.write_text((warm.root / "posts" / OTHER).read_text(encoding="utf-8").replace("id: ", "id: 9", 1), "utf-8")
    assert warm.quick([new]) is None
    assert warm.quick([warm.root / "book" / "index.md"]) is None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from("\n#*_`<>[]()!\\{}:-"),
        max_size=80,
    )
)
def test_whatever_text_is_appended_the_quick_page_is_the_full_runs_or_none(warm: WarmConverter, text: str) -> None:
    """Any text a save appends: the quick path writes the full run's page, or leaves the save
    to the full run, or reports the full run's problems. It never writes a page the full run
    would not."""
    path = warm.root / "posts" / POST
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(original + "\n" + text + "\n", encoding="utf-8")
        quick = warm.quick([path])
        fresh = WarmConverter(warm.root, hands_on=False)
        full = fresh.run()
        if quick is not None and quick.problems:
            assert quick.problems == full.problems
        elif quick is not None:
            assert full.problems == ()
            assert _page(fresh, POST) == _page(warm, POST)
    finally:
        path.write_text(original, encoding="utf-8")
        assert warm.run().problems == ()


class _GiveWay(Exception):
    pass


def test_a_conversion_that_gives_way_writes_nothing_and_the_next_one_is_whole(warm: WarmConverter) -> None:
    """The pages that follow a save give way to a newer save between the conversion's stages:
    nothing is written then, and the next run writes everything the save changed."""
    saved = _save(warm, POST, _front("tags: [컨테이너, 가상머신]", "tags: [컨테이너, 새태그]"))
    before = {path: path.read_bytes() for path in (warm.root / "book").rglob("*.md")}
    calls = []

    def checkpoint() -> None:
        calls.append(1)
        raise _GiveWay

    with pytest.raises(_GiveWay):
        warm.run(only_posts=True, checkpoint=checkpoint)
    assert calls and {path: path.read_bytes() for path in (warm.root / "book").rglob("*.md")} == before
    result = warm.run(only_posts=True)
    assert result.problems == () and saved.exists()
    assert any("새태그" in (warm.root / path).read_text(encoding="utf-8") for path in result.written)
