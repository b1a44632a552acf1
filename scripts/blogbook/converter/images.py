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

_SVG_ACTIVE = re.compile(rb"<script|<foreignobject|\bon[a-z]+\s*=|javascript:|<iframe|<embed|<object", re.IGNORECASE)
_SVG_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]", re.DOTALL
)
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)


def image_kind(data: bytes) -> str | None:
    """The image format of a file's first bytes, or None for anything that is not an image.

    Only formats a browser shows in `<img>`; an SVG that holds script, event handlers or
    embedded documents is not accepted, since a reader who opens it directly would run it.
    """
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:8] == b"ftyp" and data[8:12] in (b"avif", b"avis"):
        return "avif"
    if _SVG_START.match(data) and not _SVG_ACTIVE.search(data):
        return "svg"
    return None


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
    sources: list[tuple[str, int]] = field(default_factory=list)
    """Each URL of a `<picture>`'s `<source srcset>` (or `src`), with its 1-based line."""


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
        elif tag == "source":  # a <picture>'s alternatives: checked like images, shown through its <img>
            line = self.getpos()[0]
            candidates = [part.strip().split()[0] for part in values.get("srcset", "").split(",") if part.strip()]
            self.block.sources += [(url, line) for url in [*candidates, values.get("src", "")] if url]
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
        elif tag not in _WRAPPERS and tag not in _CAPTION_TAGS and tag not in ("img", "source"):
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
    """Maps an image or file path written for the blog to a file in the project.

    Only the post's own images are published: a path must land, after following symlinks,
    in the images folder or beside the posts, and the file must really be an image. A link
    to another kind of file must land in the site's static folder (a download the blog served).
    Anything else would let a post publish any file of the repository (`.git/config` holds
    CI's token) or of the machine.
    """

    root: Path
    """The project root, already resolved (symlinks followed)."""
    post_dir: Path
    """The post's folder, relative to the root (for paths relative to the real file)."""
    site_depth: int
    image_dirs: tuple[Path, ...] = (Path("static/image"),)
    """Folders (relative to the root) images may come from, besides `post_dir`."""
    files_dir: Path = Path("static")
    """The folder (relative to the root) a link to a non-post file may point into."""
    _real_folders: dict[Path, Path] = field(default_factory=dict, compare=False, repr=False)
    """Allowed folders with symlinks followed, asked for every image of every post: one run's memory."""

    def _real(self, folder: Path) -> Path:
        if folder not in self._real_folders:
            self._real_folders[folder] = (self.root / folder).resolve()
        return self._real_folders[folder]

    def resolve(self, src: str, where: tuple[Path, int]) -> Image | None:
        """A local image's project path, or None for remote ones; bad paths and non-images raise."""
        path, line = where
        if is_remote(src):
            if urlsplit(src).scheme.lower() not in _REMOTE_SCHEMES | {""}:
                raise ConversionError.at(path, line, f"unsafe image URL {src!r}")
            return None
        return self._image(self._find(src, where, (*self.image_dirs, self.post_dir), "image"), src, where)

    def resolve_named(self, name: str, where: tuple[Path, int], what: str = "thumbnail") -> Image | None:
        """A front-matter image: a bare name (`x.png`, `layers/x.png`) is looked up in the images
        folder; a path (`../../static/image/x.png`) or URL is resolved like any image."""
        if is_remote(name) or name.startswith(("/", ".")):
            return self.resolve(name, where)
        candidate = _inside(posixpath.join(self.image_dirs[0].as_posix(), unquote(name)))
        found = candidate and self._allowed(candidate, name, where, (*self.image_dirs, self.post_dir), what)
        if not found:
            raise ConversionError.at(*where, f"{what} not found: {candidate or name}")
        return self._image(found, name, where)

    def still_published(self, candidate: Path, image: bool) -> bool:
        """Whether a file an earlier run accepted would still be accepted (the memo asks: a
        file can be replaced by a symlink or by something that is not an image)."""
        allowed = (*self.image_dirs, self.post_dir) if image else (self.files_dir,)
        try:
            found = self._allowed(candidate.as_posix(), "", (Path(), 0), allowed, "")
            return bool(found) and (not image or image_kind(_head(self.root / found)) is not None)
        except (ConversionError, OSError):
            return False

    def _image(self, candidate: str, src: str, where: tuple[Path, int]) -> Image:
        """The found file as an image, if its bytes are one."""
        if image_kind(_head(self.root / candidate)) is None:
            kinds = "PNG, JPEG, GIF, WebP, AVIF or script-free SVG"
            raise ConversionError.at(*where, f"not an image file: {src!r} ({candidate} is not {kinds})")
        return Image(uri="/" + candidate, local=Path(candidate))

    def resolve_file(self, src: str, where: tuple[Path, int]) -> str:
        """A link to a local file that is not a post: its book path, which must be in `files_dir`."""
        return "/" + self._find(src, where, (self.files_dir,), "linked file")

    def _find(self, src: str, where: tuple[Path, int], allowed: tuple[Path, ...], what: str) -> str:
        """The project path `src` names, checked to be a real file inside one of `allowed`."""
        path, line = where
        target = unquote(urlsplit(src).path)
        if not target:
            raise ConversionError.at(path, line, f"{what} without a path")
        candidates = [self._on_site(target), self._beside_post(target)]
        inside = [c for c in candidates if c is not None]
        if not inside:
            raise ConversionError.at(path, line, f"{what} path {src!r} escapes the repository")
        for candidate in inside:
            if self._allowed(candidate, src, where, allowed, what):
                return candidate
        raise ConversionError.at(path, line, f"{what} not found: {src!r} (looked for {inside[0]})")

    def _allowed(self, candidate: str, src: str, where: tuple[Path, int], allowed: tuple[Path, ...], what: str) -> str:
        """`candidate` if it is a file inside `allowed` (symlinks followed); "" if there is no such
        file; a problem if the file exists but really lives elsewhere."""
        file = self.root / candidate
        if not file.is_file():
            return ""
        real = file.resolve()
        if not any(real.is_relative_to(self._real(folder)) for folder in allowed):
            places = " or ".join(folder.as_posix() + "/" for folder in allowed)
            raise ConversionError.at(*where, f"{what} {src!r} is {real_name(real, self.root)}, not in {places}")
        return candidate

    def _on_site(self, target: str) -> str | None:
        """Where the blog would find it: posts sat `site_depth` folders below the site root."""
        if target.startswith("/"):
            return _inside(target.lstrip("/"))
        return _inside(posixpath.join(*(["_"] * self.site_depth), target) if self.site_depth else target)

    def _beside_post(self, target: str) -> str | None:
        if target.startswith("/"):
            return None
        return _inside(posixpath.join(self.post_dir.as_posix(), target))


def _head(file: Path) -> bytes:
    """What `image_kind` needs of a file: its first bytes, or all of an SVG (its script check)."""
    with file.open("rb") as handle:
        head = handle.read(64)
        return head + handle.read() if b"<" in head[:16] else head


def real_name(real: Path, root: Path) -> str:
    """A resolved path as a message shows it: relative to the project, or absolute outside it."""
    return real.relative_to(root).as_posix() if real.is_relative_to(root) else real.as_posix()


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


def decorative(alt: str | None, title: str, *, header: bool) -> bool:
    """Whether an image is decorative (`alt=""`): screen readers skip it rather than read the
    title twice or a file name. True when its alt text only repeats the post's title, or when it
    is the post's header image and the author gave it none."""
    given = " ".join((alt or "").split())
    if not given:
        return header
    return given.casefold() == " ".join(title.split()).casefold()


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
    lines = [f"```{{{name}}} {image.uri.replace(' ', chr(92) + ' ')}"]  # docutils drops unescaped spaces
    lines.append(f":alt: {image.alt}".rstrip())  # empty: decorative (docutils would show the path)
    if not image.alt:  # Sphinx links a scaled image to its file: a link with no name, for nothing
        lines.append(":class: no-scaled-link")
    for option in ("width", "height", "align"):
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
