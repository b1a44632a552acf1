"""One parametrised case per conversion rule: a post body in, the converted body checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from blogbook.converter import images
from blogbook.converter.diagnostics import ConversionError
from blogbook.converter.post import read_post
from blogbook.converter.transform import transform

from conftest import FIXTURES

PROJECT = FIXTURES / "project"


def convert(body: str) -> str:
    """Convert a body as if it were `posts/t.md` in the fixture project."""
    text = '---\ntitle: "[공부] 제목"\n---\n' + body
    post = read_post(Path("posts/t.md"), text.encode("utf-8"), "글")
    return transform(post, images.Resolver(PROJECT.resolve(), Path("posts"), 2)).text


FENCE = "```"

RULES = {
    "spacer lines go": ("a\n#\nb\n", "a\n\nb\n"),
    "spacer between headings": ("# A\n#\n## B\n", "## A\n\n### B\n"),
    "headings shift below the title": ("# A\n## B\n### C\n", "## A\n### B\n#### C\n"),
    "no level jump": ("# A\n### B\n##### C\n", "## A\n### B\n#### C\n"),
    "body starting at h2 keeps h2": ("## A\n### B\n", "## A\n### B\n"),
    "setext heading": ("제목\n====\n\n본문\n", "## 제목\n\n본문\n"),
    "img double quotes": (
        '<img src="../../static/image/cover.png" width="600">\n',
        "\n```{image} /static/image/cover.png\n:alt:\n:class: no-scaled-link\n:width: 600px\n```\n\n",
    ),
    "img single quotes, self-closing, alt": (
        "<img src='../../static/image/cover.png' alt='표지 그림' height='300' />\n",
        "\n```{image} /static/image/cover.png\n:alt: 표지 그림\n:height: 300px\n```\n\n",
    ),
    "img in centred paragraph": (
        '<p align="center">\n  <img src="../../static/image/diagram.png" width="50%">\n</p>\n',
        "\n```{image} /static/image/diagram.png\n:alt:\n:class: no-scaled-link\n:width: 50%\n:align: center\n```\n\n",
    ),
    "event handlers and style dropped": (
        '<img src="../../static/image/cover.png" onerror="alert(1)" style="x" onload="y">\n',
        "\n```{image} /static/image/cover.png\n:alt:\n:class: no-scaled-link\n```\n\n",
    ),
    "img with caption becomes a figure": (
        '<p align="center"><img src="../../static/image/cover.png"><br><em>그림 1. 표지</em></p>\n',
        "\n```{figure} /static/image/cover.png\n:alt:\n:class: no-scaled-link\n:align: center\n\n그림 1\\. 표지\n```\n\n",
    ),
    "header img without alt is decorative, later ones get their file name": (
        '<img src="../../static/image/cover.png">\n\n글\n\n<img src="../../static/image/diagram.png">\n',
        "\n```{image} /static/image/cover.png\n:alt:\n:class: no-scaled-link\n```\n\n\n글\n\n\n```{image} /static/image/diagram.png\n:alt: diagram\n```\n\n",
    ),
    "header img after spacers is still the header": (
        '#\n#\n<img src="../../static/image/cover.png">\n\n글\n',
        "\n\n```{image} /static/image/cover.png\n:alt:\n:class: no-scaled-link\n```\n\n\n글\n",
    ),
    "img alt repeating the title is decorative, anywhere": (
        '글\n\n<img src="../../static/image/cover.png" alt=" 제목 ">\n',
        "글\n\n\n```{image} /static/image/cover.png\n:alt:\n:class: no-scaled-link\n```\n\n",
    ),
    "header img keeps an alt of its own": (
        '<img src="../../static/image/cover.png" alt="표지: 컨테이너 그림">\n',
        "\n```{image} /static/image/cover.png\n:alt: 표지: 컨테이너 그림\n```\n\n",
    ),
    "markdown image path": ("![레이어](../../static/image/layers.png)\n", "![레이어](/static/image/layers.png)\n"),
    "remote image left alone": ("![원격](https://example.com/a.png)\n", "![원격](https://example.com/a.png)\n"),
    "remote img tag keeps its URL": (
        '<img src="https://example.com/a.png" width="300">\n',
        "\n```{image} https://example.com/a.png\n:alt:\n:class: no-scaled-link\n:width: 300px\n```\n\n",
    ),
    "remote img in a sentence keeps its URL": (
        '앞 <img src="https://example.com/b.png"> 뒤\n',
        "앞 ![b](https://example.com/b.png) 뒤\n",
    ),
    "img in a sentence": (
        '앞 <img src="../../static/image/cover.png" width="20"> 뒤\n',
        "앞 ![cover](/static/image/cover.png){width=20px} 뒤\n",
    ),
    "heading right after an img line is kept": (
        '<img src="../../static/image/cover.png">\n#\n# 소개\n본문\n',
        "\n```{image} /static/image/cover.png\n:alt:\n:class: no-scaled-link\n```\n\n\n## 소개\n본문\n",
    ),
    "dollar amounts verbatim": ("월 $5 정도, 연 $50\n", "월 \\$5 정도, 연 \\$50\n"),
    "shell variable in prose": ("경로는 $HOME 아래\n", "경로는 \\$HOME 아래\n"),
    "template braces in prose": ("값은 {{ .Values.image.tag }} 로\n", "값은 \\{\\{ .Values.image.tag }} 로\n"),
    "role-like braces": ("{math}`x` 처럼\n", "\\{math}`x` 처럼\n"),
    "MyST comment at line start": ("% 는 나머지\n", "\\% 는 나머지\n"),
    "MyST target at line start": ("(참고)=\n", "\\(참고)=\n"),
    "inline code untouched": (
        '`$HOME` 과 `{{ .Values }}` 과 `<img src="x.png">`\n',
        '`$HOME` 과 `{{ .Values }}` 과 `<img src="x.png">`\n',
    ),
    "double-backtick code": ("``a ` $b`` 와 $c\n", "``a ` $b`` 와 \\$c\n"),
    "fenced code byte-for-byte": (
        f'{FENCE}bash\n# 주석\necho "$HOME" {{{{ .Values.image.tag }}}}\n<img src="../../static/image/cover.png">\n{FENCE}\n',
        f'{FENCE}bash\n# 주석\necho "$HOME" {{{{ .Values.image.tag }}}}\n<img src="../../static/image/cover.png">\n{FENCE}\n',
    ),
    "indented code untouched": ("문단\n\n    # 주석\n    $ ls\n", "문단\n\n    # 주석\n    $ ls\n"),
    "break between paragraphs kept": ("가\n\n---\n\n나\n", "가\n\n---\n\n나\n"),
    "break before a heading dropped": ("가\n#\n---\n#\n# 제목\n", "가\n\n## 제목\n"),
    "break at the end dropped": ("가\n\n---\n", "가\n\n"),
    "link to another post": ("[다음 글](./other.md) 참고\n", "[다음 글](other.md) 참고\n"),
    "link with Korean anchor": ("[섹션](other.md#컨테이너의-개념)\n", "[섹션](other.md#컨테이너의-개념)\n"),
    "external link untouched": (
        "[공식](https://kubernetes.io/docs/) 문서\n",
        "[공식](https://kubernetes.io/docs/) 문서\n",
    ),
    "autolink untouched": ("<https://example.com/$x>\n", "<https://example.com/$x>\n"),
    "escaped dollar stays": ("\\$ 기호\n", "\\$ 기호\n"),
    "dollar in a list item": ("- 가격 $5\n- 둘\n", "- 가격 \\$5\n- 둘\n"),
    "img inside a quote stays in the quote": (
        '> 인용\n>\n> <img src="../../static/image/cover.png" width="100">\n',
        "> 인용\n>\n> ![cover](/static/image/cover.png){width=100px}\n",
    ),
    "img inside a list item": (
        '- 항목\n  <img src="../../static/image/cover.png">\n',
        "- 항목\n  ![cover](/static/image/cover.png)\n",
    ),
    "img inside other HTML is moved after it": (
        '<div class="note"><img src="../../static/image/cover.png"> 설명 <a href="https://k8s.io">링크</a></div>\n',
        '\n<div>\n<div> 설명 <a href="https://k8s.io">링크</a></div>\n</div>\n\n```{image} /static/image/cover.png\n:alt:\n:class: no-scaled-link\n```\n\n',
    ),
    "img and text in a centred paragraph become a figure": (
        '<div align="center"><img src="../../static/image/cover.png"> 설명</div>\n',
        "\n```{figure} /static/image/cover.png\n:alt:\n:class: no-scaled-link\n:align: center\n\n설명\n```\n\n",
    ),
    "directive fence shows as plain code": (
        f"{FENCE}{{literalinclude}} ../../../../etc/passwd\n{FENCE}\n",
        f"{FENCE}\n{FENCE}\n",
    ),
    "Quarto-style fence keeps its language": (
        f"{FENCE}{{bash}}\necho hi\n{FENCE}\n",
        f"{FENCE}bash\necho hi\n{FENCE}\n",
    ),
    "escaped-brace fence is no directive either": (
        f"{FENCE}\\{{eval-rst}}\n.. include:: /etc/passwd\n{FENCE}\n",
        f"{FENCE}\n.. include:: /etc/passwd\n{FENCE}\n",
    ),
    "tilde fence in a list item": (
        "- 목록\n  ~~~{code-cell} python\n  print(1)\n  ~~~\n",
        "- 목록\n  ~~~python\n  print(1)\n  ~~~\n",
    ),
    "unknown language dropped, known kept with its options": (
        f"{FENCE}mermaid\ngraph\n{FENCE}\n\n{FENCE}python title=x\npass\n{FENCE}\n",
        f"{FENCE}\ngraph\n{FENCE}\n\n{FENCE}python title=x\npass\n{FENCE}\n",
    ),
    "comment line inside a list item is kept": ("- CPU 사용률\n  % 단위로 표시\n", "- CPU 사용률\n  \\% 단위로 표시\n"),
    "MyST lines inside a quote are kept": (
        "> % 퍼센트\n> (label)=\n> +++\n> :::{note}\n",
        "> \\% 퍼센트\n> \\(label)=\n> \\+++\n> \\:::\\{note}\n",
    ),
    "MyST lines in a nested ordered list": ("1. 하나\n   - % 둘\n", "1. 하나\n   - \\% 둘\n"),
    "reference-style image is resolved": (
        "![표지][r]\n\n[r]: ../../static/image/cover.png\n",
        "![표지][r]\n\n[r]: /static/image/cover.png\n",
    ),
    "reference-style link to a post": ('[다음][n]\n\n[n]: ./other.md "제목"\n', '[다음][n]\n\n[n]: other.md "제목"\n'),
    "img with a space in its name": (
        '<img src="../../static/image/service diagram.png">\n',
        "\n```{image} /static/image/service\\ diagram.png\n:alt:\n:class: no-scaled-link\n```\n\n",
    ),
    "percent-encoded space in a Markdown image": (
        "![구성](../../static/image/service%20diagram.png)\n",
        "![구성](</static/image/service diagram.png>)\n",
    ),
    "javascript and file links stay text, as CommonMark shows them": (
        "[x](javascript:alert(1)) [y](file:///etc/passwd)\n",
        "[x](javascript:alert(1)) [y](file:///etc/passwd)\n",
    ),
    "download from the static folder": ("[받기](../../static/image/cover.png)\n", "[받기](/static/image/cover.png)\n"),
    "allowed HTML kept byte-for-byte": (
        "<details>\n<summary>더보기</summary>\n\n내용 $5\n\n</details>\n",
        "<details>\n<summary>더보기</summary>\n\n내용 \\$5\n\n</details>\n",
    ),
    "script block shows as text inside a div": (
        "<script>alert(1)</script>\n",
        "<div>\n&lt;script&gt;alert(1)&lt;/script&gt;\n</div>\n",
    ),
    "script block with a blank line stays one block": (
        "<script>\nlet a = 1;\n\nalert(a)\n</script>\n",
        "<div>\n&lt;script&gt;\nlet a = 1;\n<span></span>\nalert(a)\n&lt;/script&gt;\n</div>\n",
    ),
    "style and event attributes dropped or shown": (
        '<p align="center" style="color:red">가운데</p>\n',
        '<div>\n<p align="center">가운데</p>\n</div>\n',
    ),
    "a comment stays a comment": ("<!-- 메모: 나중에 고칠 것 -->\n", "<!-- 메모: 나중에 고칠 것 -->\n"),
    "a comment that closes early is no comment": (
        "<!-- a --><script>x()</script>\n",
        "<div>\n&lt;!-- a --&gt;&lt;script&gt;x()&lt;/script&gt;\n</div>\n",
    ),
    "inline tags: allowed kept, others shown as text": (
        '문장 <kbd>Ctrl</kbd> <span style="x">끝</span> <b onclick="x()">굵게</b>\n',
        '문장 <kbd>Ctrl</kbd> <span>끝</span> \\<b onclick\\=\\"x\\(\\)\\"\\>굵게</b>\n',
    ),
    "HTML in a list item shows its source when unsafe": (
        '- 항목\n\n  <iframe src="https://x">{download}`a`</iframe>\n',
        '- 항목\n\n  \\<iframe src\\=\\"https\\:\\/\\/x\\"\\>\\{download\\}\\`a\\`\\<\\/iframe\\>\n',
    ),
    "Korean particle after closing punctuation keeps the bold": (
        "**파드(Pod)**는 가장 작은 단위이고 *원하는 상태(desired state)*만 적습니다.\n",
        "<strong>파드(Pod)</strong>는 가장 작은 단위이고 <em>원하는 상태(desired state)</em>만 적습니다.\n",
    ),
    "bold that CommonMark closes anyway is left as written": (
        "**굵게**는 그대로, `**코드(x)**는` 도 그대로\n",
        "**굵게**는 그대로, `**코드(x)**는` 도 그대로\n",
    ),
    "picture: its sources are checked, its img is shown": (
        '<picture>\n  <source srcset="../../static/image/layers.png 2x, ../../static/image/cover.png">\n'
        '  <img src="../../static/image/cover.png" alt="표지">\n</picture>\n',
        "\n```{image} /static/image/cover.png\n:alt: 표지\n```\n\n",
    ),
    "table cells": ("| 항목 | 값 |\n|---|---|\n| 비용 | $5 |\n", "| 항목 | 값 |\n|---|---|\n| 비용 | \\$5 |\n"),
}


@pytest.mark.parametrize(("body", "expected"), list(RULES.values()), ids=list(RULES))
def test_rule(body: str, expected: str) -> None:
    assert convert(body) == expected


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('<img src="../../static/image/nope.png">\n', "posts/t.md:4: image not found"),
        (
            "텍스트\n\n![x](../../../../etc/passwd)\n",
            "posts/t.md:6: image path '../../../../etc/passwd' escapes the repository",
        ),
        ('<img src="javascript:alert(1)">\n', "posts/t.md:4: unsafe image URL"),
        ("![x][r]\n\n[r]: ../../../../etc/passwd\n", "posts/t.md:6: image path '../../../../etc/passwd' escapes"),
        ("[설정](../../.git/config)\n", "posts/t.md:4: linked file not found: '../../.git/config'"),
        ("[비밀](../../posts/secret.txt)\n", "posts/t.md:4: linked file not found"),
        ("[x](ftp://example.com/a)\n", "posts/t.md:4: unsupported link URL 'ftp://example.com/a'"),
        ("![x](../../static/image/notes.txt)\n", "posts/t.md:4: not an image file"),
        (
            '<picture>\n<source srcset="../../../../etc/passwd">\n<img src="../../static/image/cover.png">\n</picture>\n',
            "posts/t.md:5: image path '../../../../etc/passwd' escapes the repository",
        ),
    ],
    ids=[
        "missing image",
        "escaping image",
        "unsafe scheme",
        "reference image escaping",
        "link to a repository file",
        "link outside static",
        "ftp link",
        "not an image",
        "picture source outside",
    ],
)
def test_rule_errors(body: str, message: str) -> None:
    with pytest.raises(ConversionError) as caught:
        convert(body)
    assert str(caught.value).startswith(message)
