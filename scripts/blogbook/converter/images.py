"""Images: read `<img>` tags with an HTML parser, resolve blog paths, render MyST image markup.

The blog served posts two folders below its root, so posts say `../../static/image/X.png`.
Sphinx only copies images it sees as image nodes, and resolves a leading `/` against the book's
source folder, so every local image becomes `/static/image/X.png` in an image directive or a
Markdown image: the built book then holds a copy of each image, wherever the page sits.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .diagnostics import ConversionError

# Attributes an image keeps; everything else (event handlers, style, srcset, ...) is dropped.
_KEPT = ("src", "alt", "width", "height")
_LENGTH = re.compile(r"(\d+(?:\.\d+)?)(px|%|em|rem|vw)?")
_WRAPPERS = {"p", "div", "center", "figure", "picture"}
_CAPTION_TAGS = {"br", "em", "i", "b", "strong", "small", "span", "sub", "sup", "figcaption", "code"}
_REMOTE_SCHEMES = {"http", "https", "data"}


@dataclass(frozen=True)
class Image:
    """One image as the page will show it: `uri` is a book path (`/static/...`) or a remote URL."""

    uri: str
    alt: str = ""
    width: str = ""
    height: str = ""
    align: str = ""
    local: Path | None = None
    """Project-relative file the image comes from; None for remote images."""


@dataclass(frozen=True)
class ImgTag:
    """An `<img>` tag as written: attributes, position (1-based line, 0-based column), text."""

    attrs: dict[str, str]
    line: int
    column: int
    text: str
    align: str


@dataclass
class ImageBlock:
    """What an HTML block holds: its images, any caption text, and whether it holds more."""

    images: list[ImgTag] = field(default_factory=list)
    caption: list[str] = field(default_factory=list)
    other: bool = False


class _BlockReader(HTMLParser):
    """Collects `<img>` tags (with their line and the wrapper's alignment) and notes other HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.block = ImageBlock()
        self._aligns: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "img":
            align = next((a for a in reversed(self._aligns) if a), "")
            line, column = self.getpos()
            text = self.get_starttag_text() or ""
            self.block.images.append(ImgTag(values, line, column, text, align))
        elif tag in _WRAPPERS:
            align = values.get("align", "").lower()
            self._aligns.append("center" if tag == "center" else align)
        elif tag not in _CAPTION_TAGS:
            self.block.other = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _WRAPPERS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _WRAPPERS and self._aligns:
            self._aligns.pop()
        elif tag not in _WRAPPERS and tag not in _CAPTION_TAGS and tag != "img":
            self.block.other = True

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.block.caption.append(data.strip())

    def handle_comment(self, data: str) -> None:
        self.block.other = True


def read_html(html: str) -> ImageBlock:
    """Parse an HTML fragment; `other` is set when it holds more than images and caption text."""
    reader = _BlockReader()
    reader.feed(html)
    reader.close()
    return reader.block


def is_remote(src: str) -> bool:
    """URLs with a scheme or a host are left to the browser."""
    parts = urlsplit(src)
    return bool(parts.scheme or parts.netloc)


@dataclass(frozen=True)
class Resolver:
    """Maps an image path written for the blog to a file in the project."""

    root: Path
    """The project root, already resolved (symlinks followed)."""
    post_dir: Path
    """The post's folder, relative to the root (for paths relative to the real file)."""
    site_depth: int

    def resolve(self, src: str, where: tuple[Path, int]) -> Image | None:
        """A local image's project path, or None for remote ones; bad paths raise."""
        path, line = where
        if is_remote(src):
            if urlsplit(src).scheme.lower() not in _REMOTE_SCHEMES | {""}:
                raise ConversionError.at(path, line, f"unsafe image URL {src!r}")
            return None
        target = unquote(urlsplit(src).path)
        if not target:
            raise ConversionError.at(path, line, "image without a src")
        candidates = [self._on_site(target), self._beside_post(target)]
        inside = [c for c in candidates if c is not None]
        if not inside:
            raise ConversionError.at(path, line, f"image path {src!r} escapes the repository")
        for candidate in inside:
            file = self.root / candidate
            if file.is_file() and file.resolve().is_relative_to(self.root):
                return Image(uri="/" + candidate, local=Path(candidate))
        raise ConversionError.at(path, line, f"image not found: {src!r} (looked for {inside[0]})")

    def _on_site(self, target: str) -> str | None:
        """Where the blog would find it: posts sat `site_depth` folders below the site root."""
        if target.startswith("/"):
            return _inside(target.lstrip("/"))
        return _inside(posixpath.join(*(["_"] * self.site_depth), target) if self.site_depth else target)

    def _beside_post(self, target: str) -> str | None:
        if target.startswith("/"):
            return None
        return _inside(posixpath.join(self.post_dir.as_posix(), target))


def _inside(path: str) -> str | None:
    normal = posixpath.normpath(path)
    if normal.startswith("..") or normal.startswith("/") or normal == ".":
        return None
    return normal


def _name_of(src: str) -> str:
    """A fallback alt text from the file name (`Kuber_1_img.png` -> `Kuber 1 img`).

    Without one, docutils uses the file path as alt text, which screen readers read out.
    """
    stem = posixpath.splitext(posixpath.basename(urlsplit(src).path))[0]
    return " ".join(unquote(stem).replace("_", " ").replace("-", " ").split())


def length(value: str) -> str:
    """`600` -> `600px`; a value Sphinx would reject is dropped rather than breaking the build."""
    match = _LENGTH.fullmatch(value.strip())
    if not match:
        return ""
    return match.group(1) + (match.group(2) or "px")


def image_from_tag(attrs: dict[str, str], align: str, resolver: Resolver, where: tuple[Path, int]) -> Image:
    """An `<img>` tag's safe attributes, with its path resolved."""
    src = attrs.get("src", "").strip()
    if not src:
        raise ConversionError.at(where[0], where[1], "<img> without a src attribute")
    local = resolver.resolve(src, where)
    alt = " ".join(attrs.get("alt", "").split())
    return Image(
        uri=local.uri if local else src,
        alt=alt or _name_of(src),
        width=length(attrs.get("width", "")),
        height=length(attrs.get("height", "")),
        align=align if align in {"left", "center", "right"} else "",
        local=local.local if local else None,
    )


def directive(image: Image, caption: str = "") -> list[str]:
    """An `{image}` (or `{figure}` when there is a caption) directive, as page lines."""
    name = "figure" if caption else "image"
    lines = [f"```{{{name}}} {image.uri}"]
    for option in ("alt", "width", "height", "align"):
        value = getattr(image, option)
        if value:
            lines.append(f":{option}: {value}")
    if caption:
        lines += ["", caption]
    return [*lines, "```"]


def inline(image: Image, escape: Callable[[str], str]) -> str:
    """A Markdown image with MyST attributes, for an `<img>` that sits inside a sentence."""
    attrs = [f"{key}={value}" for key, value in (("width", image.width), ("height", image.height)) if value]
    suffix = "{" + " ".join(attrs) + "}" if attrs else ""
    uri = f"<{image.uri}>" if " " in image.uri else image.uri
    return f"![{escape(image.alt)}]({uri}){suffix}"
