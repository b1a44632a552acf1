"""Light pages: each page loads one stylesheet, one deferred script and a font of only the icons
the book shows, instead of 11 stylesheets, 14 scripts and Font Awesome's 152 KB web font.

Why: a cold post page cost ~30 requests and ~350 KB gzip, most of it never used by a reader:
Font Awesome's rules for ~2,000 icons in the theme's stylesheet (the book shows about twenty),
its whole solid web font, copy-button and notebook scripts on pages without code or cells, and a
request per file. This extension, at `html-page-context` (after every extension has added its
files; the static files are already copied, since Sphinx 7.4 copies them before writing pages):

* keeps only the files a page uses (`NEEDS`): the copy button and Pygments where the page has a
  highlighted block, the toggle button where it has a toggle, myst-nb's and thebe's files where it
  has notebook cells, sphinx-design's where it uses sphinx-design;
* bundles the page's stylesheets, the theme's two included (the layout leaves out their own
  links when `blogbook_page_assets` is set), into `_static/bundles/page-<key>.css`, with each
  relative `url()` rewritten for the bundle's folder and `@import`s inlined;
* trims Font Awesome's icon rules (parsed with tinycss2) to the icons the book can show
  (`template_icons`: every `fa-*` name in the themes' templates and Python, the book's templates,
  extensions and page scripts; `doctree_icons`: those the pages' own content names), and points
  the solid web font at a subset of the theme's own font with only the code points the kept rules
  draw (fontTools; WOFF2 needs brotli);
* bundles the page's plain scripts (and the theme's bootstrap and pydata scripts) into one
  deferred `_static/bundles/page-<key>.js`; `documentation_options.js` is inlined so the inline
  scripts after it still find `DOCUMENTATION_OPTIONS`. Scripts with `defer`/`async` (the sidebar's
  `book-nav.js`, thebe) stay as they are. On the search page the bundle is not deferred: the
  search template's own blocking `searchtools.js` needs `doctools.js` before it.

Two files are written by their extensions only at `build-finished`, after the pages: the theme's
light/dark `pygments.css` and myst-nb's stylesheet. `upstream.write_late_static_files` writes them
before the first page, so the bundles hold what the site ends up with.

A bundle's name depends only on the files it joins, so a page that an incremental build does not
rewrite still names an existing bundle. At `build-finished` (after the theme's and myst-nb's own
handlers) every bundle any build made (listed in the doctree folder) is made again from the files
as they end up, as Sphinx rewrites `_static/` itself; one that changed after this build's pages
linked it is a warning. Work that costs time (parsing the theme's CSS, subsetting the font) is
cached by content: in memory for a build, the font in the doctree folder across builds.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import os
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pydata_sphinx_theme
import sphinx_book_theme
import tinycss2
import tinycss2.ast
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from . import STATIC, TEMPLATES, upstream

logger = logging.getLogger(__name__)

BUNDLES = "_static/bundles"
"""Where bundles and the icon font go, relative to the output folder."""

THEME_CSS = ("_static/styles/theme.css", "_static/styles/pydata-sphinx-theme.css")
"""The theme's stylesheets, linked by its `head_pre_assets` macro rather than `css_files`."""
THEME_JS = ("_static/scripts/bootstrap.js", "_static/scripts/pydata-sphinx-theme.js")
"""The theme's scripts, loaded deferred by its `body_post` macro rather than `script_files`."""
DOC_OPTIONS = "_static/documentation_options.js"
"""Inlined: the inline scripts Sphinx writes after it set `DOCUMENTATION_OPTIONS.pagename`."""
SOLID_FONT = "_static/vendor/fontawesome/webfonts/fa-solid-900.woff2"
"""The one Font Awesome face the theme's pages draw with (`fa-solid`); subset per build."""

NEEDS: dict[str, str] = {
    "pygments.css": "code",
    "copybutton.css": "code",
    "clipboard.min.js": "code",
    "copybutton.js": "code",
    "togglebutton.css": "toggle",
    "togglebutton.js": "toggle",
    "mystnb.css": "cells",
    "sphinx-thebe.css": "cells",
    "sphinx-thebe.js": "cells",
    "sphinx-design.min.css": "design",
    "design-tabs.js": "tabs",
}
"""A static file (by name; `mystnb.<hash>.css` as `mystnb.css`) and the feature a page must have
for it to load. Files not named here load on every page."""

INLINE_NEEDS: dict[str, str] = {
    "let toggleHint": "toggle",
    "let toggleOpenOnPrint": "toggle",
    "var togglebuttonSelector": "toggle",
    "const THEBE_JS_URL": "cells",
}
"""Inline scripts (by how they start) that only the files of one feature read."""

ICON = re.compile(r"\bfa-[a-z0-9]+(?:-[a-z0-9]+)*")
"""A Font Awesome class name, as templates, Python and scripts spell it."""
PRIVATE_USE = range(0xE000, 0xF900)
"""Where Font Awesome puts its glyphs: code points in CSS strings here are icons."""
SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)


# --- what a page has ---------------------------------------------------------------------------


class _Classes(HTMLParser):
    """Collects each element's class list from a page body (the article Sphinx wrote)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[frozenset[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "class" and value:
                self.elements.append(frozenset(value.split()))


def page_features(body: str, from_notebook: bool) -> set[str]:
    """The features of `NEEDS` a page body uses, read from its elements' classes."""
    parser = _Classes()
    parser.feed(body)
    parser.close()
    features: set[str] = {"cells"} if from_notebook else set()
    for classes in parser.elements:
        if "highlight" in classes:
            features.add("code")
        if "toggle" in classes or {"admonition", "dropdown"} <= classes:
            features.add("toggle")
        if classes & {"cell", "cell_output", "cell_input"}:
            features.add("cells")
        if any(name.startswith("sd-") for name in classes):
            features.add("design")
        if "sd-tab-set" in classes:
            features.add("tabs")
    return features


def _need_of(filename: str) -> str | None:
    name = posixpath.basename(filename)
    if name.startswith("mystnb.") and name.endswith(".css"):
        name = "mystnb.css"
    return NEEDS.get(name)


# --- icons -------------------------------------------------------------------------------------


def _words_in(paths: Iterable[Path]) -> set[str]:
    found: set[str] = set()
    for path in paths:
        found.update(ICON.findall(path.read_text(encoding="utf-8", errors="replace")))
    return found


def _source_files(folder: Path, suffixes: tuple[str, ...]) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.suffix in suffixes and "vendor" not in path.parts and path.is_file():
            yield path


@functools.cache
def template_icons() -> frozenset[str]:
    """Icons the themes and the book's own code can put on a page: every `fa-*` name in their
    templates and Python (header buttons are built in Python), and in the book's templates,
    extensions and scripts. A name here that no page shows costs one CSS rule and one glyph.
    Read once per process: they are installed code (the live preview restarts when ours changes)."""
    ext = Path(__file__).resolve().parent
    folders = [Path(pydata_sphinx_theme.__file__).parent, Path(sphinx_book_theme.__file__).parent]
    files = [path for folder in folders for path in _source_files(folder, (".html", ".py"))]
    files += [*_source_files(TEMPLATES, (".html",)), *ext.glob("*.py"), *_source_files(STATIC, (".js", ".html"))]
    return frozenset(_words_in(files))


_SCRIPT_ICONS: dict[tuple[str, int, int], frozenset[str]] = {}


def _script_icons(path: Path) -> frozenset[str]:
    """`_words_in` one built script, remembered by its time and size (every build asks again, and
    the live preview builds after every save)."""
    try:
        stat = path.stat()
    except OSError:
        return frozenset()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _SCRIPT_ICONS:
        _SCRIPT_ICONS[key] = frozenset(_words_in([path]))
    return _SCRIPT_ICONS[key]


def doctree_icons(app: Sphinx, doctree: nodes.document) -> None:
    """`doctree-read`: the icons a page's own content names (a sphinx-design `{fa}` role, raw HTML)."""
    found: set[str] = set()
    for node in doctree.findall(nodes.Element):
        found.update(name for name in node.get("classes", []) if ICON.fullmatch(name))
        if isinstance(node, nodes.raw):
            found.update(ICON.findall(node.astext()))
    store: dict[str, set[str]] = _env_icons(app.env)
    if found:
        store[app.env.docname] = found
    else:
        store.pop(app.env.docname, None)


def _env_icons(env: BuildEnvironment) -> dict[str, set[str]]:
    if not hasattr(env, "blogbook_icons"):
        env.blogbook_icons = {}  # type: ignore[attr-defined]
    return env.blogbook_icons  # type: ignore[attr-defined]


def purge_icons(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _env_icons(env).pop(docname, None)


def merge_icons(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    ours, theirs = _env_icons(env), _env_icons(other)
    ours.update({name: theirs[name] for name in docnames if name in theirs})


# --- CSS ---------------------------------------------------------------------------------------


def _icon_rule_names(rule: Any) -> set[str] | None:
    """The icon names a rule like `.fa-x:before, .fa-y:before { content: "\\f002" }` draws, or
    None when the rule is anything else (a utility like `.fa-spin`, a selector with more in it)."""
    if rule.type != "qualified-rule":
        return None
    names: set[str] = set()
    selector: list[Any] = []
    for token in [*rule.prelude, tinycss2.ast.LiteralToken(0, 0, ",")]:
        if token.type in ("whitespace", "comment"):
            continue
        if token.type == "literal" and token.value == ",":
            kinds = [(t.type, getattr(t, "value", None)) for t in selector]
            pseudo = [kind for kind in kinds[2:] if kind != ("literal", ":")]
            if (
                len(kinds) < 2
                or kinds[0] != ("literal", ".")
                or kinds[1][0] != "ident"
                or not ICON.fullmatch(str(kinds[1][1]))
                or pseudo not in ([], [("ident", "before")], [("ident", "after")])
            ):
                return None
            names.add(str(kinds[1][1]))
            selector = []
        else:
            selector.append(token)
    declarations = tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True, skip_comments=True)
    for item in declarations:
        if item.type != "declaration" or not (item.lower_name == "content" or item.name.startswith("--fa")):
            return None
    return names


def _is_relative(url: str) -> bool:
    return not (url.startswith(("/", "#", "data:")) or "://" in url or url.startswith("//"))


def _rewrite_urls(tokens: list[Any], move: Callable[[str], str]) -> None:
    """Rewrite every `url()` in `tokens` (nested blocks too) with `move`, in place."""
    for index, token in enumerate(tokens):
        if token.type == "url" and _is_relative(token.value):
            value = move(token.value)
            tokens[index] = tinycss2.ast.URLToken(token.source_line, token.source_column, value, f"url({value})")
        elif token.type == "function" and token.lower_name == "url":
            for position, argument in enumerate(token.arguments):
                if argument.type == "string" and _is_relative(argument.value):
                    value = move(argument.value)
                    token.arguments[position] = tinycss2.ast.StringToken(
                        argument.source_line, argument.source_column, value, json.dumps(value)
                    )
        for attribute in ("content", "prelude", "arguments"):
            inner = getattr(token, attribute, None)
            if isinstance(inner, list):
                _rewrite_urls(inner, move)


def _strings(tokens: Iterable[Any]) -> Iterator[str]:
    for token in tokens:
        if token.type == "string":
            yield token.value
        for attribute in ("content", "prelude", "arguments"):
            inner = getattr(token, attribute, None)
            if isinstance(inner, list):
                yield from _strings(inner)


def load_stylesheet(
    outdir: Path, filename: str, keep: set[str] | None, seen: frozenset[str] = frozenset()
) -> list[Any]:
    """The rules of `filename` (relative to the output folder), every `url()` made relative to the
    output folder's root, `@import`s inlined, and, when `keep` is given, Font Awesome icon rules
    for icons not in `keep` left out."""
    base = posixpath.dirname(filename)
    text = (outdir / filename).read_text(encoding="utf-8")
    rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    out: list[Any] = []
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword == "import":
            target = [t for t in rule.prelude if t.type not in ("whitespace", "comment")]
            if len(target) == 1 and target[0].type in ("string", "url") and _is_relative(target[0].value):
                imported = posixpath.normpath(posixpath.join(base, target[0].value))
                if imported not in seen and (outdir / imported).is_file():
                    out.extend(load_stylesheet(outdir, imported, keep, seen | {filename}))
                    continue
        if keep is not None:
            names = _icon_rule_names(rule)
            if names is not None and not names & keep:
                continue
        _rewrite_urls([rule], lambda url: _join(base, url))
        out.append(rule)
    return out


def _join(base: str, url: str) -> str:
    path, _, rest = url.partition("?")
    path, hash_, fragment = path.partition("#")
    joined = posixpath.normpath(posixpath.join(base, path))
    return joined + (f"?{rest}" if rest else "") + (f"#{fragment}" if hash_ else "")


def icon_code_points(rules: Iterable[Any]) -> set[int]:
    """The private-use code points the rules' strings hold: the glyphs the kept rules draw."""
    return {ord(char) for text in _strings(rules) for char in text if ord(char) in PRIVATE_USE}


def serialize(rules: list[Any], bundle_dir: str, renames: dict[str, str]) -> str:
    """The rules as CSS for a file in `bundle_dir`: root-relative `url()`s made relative to it."""

    def move(url: str) -> str:
        path, sep, rest = url.partition("?")
        path = renames.get(path, path)
        return posixpath.relpath(path, bundle_dir) + sep + rest

    copied = copy.deepcopy(rules)  # the cached rules stay as parsed
    _rewrite_urls(copied, move)
    return "\n".join(tinycss2.serialize([rule]) for rule in copied) + "\n"


# --- the font ----------------------------------------------------------------------------------


def subset_font(source: bytes, code_points: set[int]) -> bytes:
    """The font with only `code_points` (and what they need), as WOFF2."""
    import io
    import logging as std_logging

    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    # recalcTimestamp off: the subset keeps the source's `head.modified`, so the same glyphs give
    # the same bytes on every build (a clean build and an incremental one must not differ).
    font = TTFont(io.BytesIO(source), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(code_points))
    # fontTools reports each table at INFO, and a theme dependency (a11y_pygments) sets the root
    # logger to INFO at import: 27 lines of "glyf subsetted" in the author's terminal.
    fonttools = std_logging.getLogger("fontTools")
    level = fonttools.level
    fonttools.setLevel(std_logging.WARNING)
    try:
        subsetter.subset(font)
    finally:
        fonttools.setLevel(level)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


# --- bundles -----------------------------------------------------------------------------------


_THIS_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
"""Cached parses and bundles are this code's: a change to it makes them again."""


def _digest(*parts: bytes | str) -> str:
    sha = hashlib.sha256()
    for part in parts:
        sha.update(part.encode() if isinstance(part, str) else part)
        sha.update(b"\0")
    return sha.hexdigest()[:16]


def _write(path: Path, data: bytes) -> None:
    """Write only when different (keeps modification times) and atomically (parallel writers)."""
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_bytes(data)
    temporary.replace(path)


@dataclass
class Assets:
    """This build's bundling state: the kept icons, parsed stylesheets, and the bundles made."""

    outdir: Path
    cache: Path
    icons: set[str]
    sheets: dict[tuple[str, str], list[Any]] = field(default_factory=dict)
    renames: dict[str, str] | None = None
    written: dict[str, str] = field(default_factory=dict)
    """Bundle name -> digest of what this build wrote into it."""

    def _sheet_key(self, filename: str) -> str:
        """What a stylesheet's parse depends on: its bytes, and for the theme's, the kept icons."""
        trim = filename == THEME_CSS[1]
        icons = ",".join(sorted(self.icons)) if trim else ""
        return _digest(filename, _digest((self.outdir / filename).read_bytes()), icons)

    def _cached(self, kind: str, key: str, make: Callable[[], str]) -> str:
        """A derived text kept on disk between builds: parsing and serializing the theme's
        stylesheet took seconds, on every build, even one that rewrote a single page."""
        path = self.cache / kind / _digest(key, _THIS_CODE)
        if path.is_file():
            return path.read_text(encoding="utf-8")
        text = make()
        _write(path, text.encode("utf-8"))
        return text

    def code_points(self, filename: str) -> set[int]:
        """The icon code points one stylesheet's rules draw (cached by its content)."""
        text = self._cached(
            "points",
            self._sheet_key(filename),
            lambda: ",".join(map(str, sorted(icon_code_points(self.sheet(filename))))),
        )
        return {int(point) for point in text.split(",") if point}

    def serialized(self, filename: str, renames: dict[str, str]) -> str:
        """One stylesheet as a bundle holds it (cached by its content and the font's new name)."""
        key = _digest(self._sheet_key(filename), BUNDLES, repr(sorted(renames.items())))
        return self._cached("css", key, lambda: serialize(self.sheet(filename), BUNDLES, renames))

    def sheet(self, filename: str) -> list[Any]:
        """The parsed rules of one stylesheet, cached by its content (the theme's takes time)."""
        key = (filename, _digest((self.outdir / filename).read_bytes()))
        if key not in self.sheets:
            trim = filename == THEME_CSS[1]
            self.sheets[key] = load_stylesheet(self.outdir, filename, self.icons if trim else None)
        return self.sheets[key]

    def font_renames(self) -> dict[str, str]:
        """Where the solid web font went: a subset with the glyphs of every kept rule of the site."""
        if self.renames is None:
            self.renames = {}
            source = self.outdir / SOLID_FONT
            if source.is_file():
                points: set[int] = set()
                for filename in self.all_css():
                    points |= self.code_points(filename)
                data = source.read_bytes()
                key = _digest(data, ",".join(map(str, sorted(points))))
                cached = self.cache / f"fa-solid-{key}.woff2"
                if not cached.is_file():
                    _write(cached, subset_font(data, points))
                name = f"{BUNDLES}/fa-solid-900.{key}.woff2"
                _write(self.outdir / name, cached.read_bytes())
                self.renames[SOLID_FONT] = name
        return self.renames

    def all_css(self) -> list[str]:
        """Every stylesheet a page of this site may load, for the font's code points."""
        names = list(THEME_CSS)
        static = self.outdir / "_static"
        names += [f"_static/{p.relative_to(static).as_posix()}" for p in sorted(static.glob("*.css"))]
        names += [f"_static/{p.relative_to(static).as_posix()}" for p in sorted((static / "styles").glob("*.css"))]
        return list(dict.fromkeys(n for n in names if (self.outdir / n).is_file()))

    def css_bundle(self, inputs: list[str], again: bool = False) -> str:
        """The bundle of `inputs` (in order), written once a build (`again`: anew); its file name."""
        name = f"{BUNDLES}/page-{_digest(*inputs)}.css"
        if again or name not in self.written:
            renames = self.font_renames()
            text = "".join(self.serialized(filename, renames) for filename in inputs)
            self._save(name, inputs, text)
        return name

    def js_bundle(self, inputs: list[str], again: bool = False) -> str:
        """The bundle of the scripts `inputs` (in order), each after a `;` so none runs into the next."""
        name = f"{BUNDLES}/page-{_digest(*inputs)}.js"
        if again or name not in self.written:
            self._save(name, inputs, "\n".join(f";/* {filename} */\n" + self._script(filename) for filename in inputs))
        return name

    def _script(self, filename: str) -> str:
        return SOURCE_MAP.sub("", (self.outdir / filename).read_text(encoding="utf-8"))

    def _save(self, name: str, inputs: list[str], text: str) -> None:
        data = text.encode("utf-8")
        _write(self.outdir / name, data)
        self.written.setdefault(name, _digest(data))
        _write(self.cache / "bundles" / (Path(name).name + ".json"), json.dumps(inputs).encode("utf-8"))

    def refresh(self) -> list[str]:
        """Make every bundle any build made again from the files as the build leaves them (pages
        this build did not write name bundles too); the bundles that changed since this build's
        pages named them, which means a file was (re)written after the pages."""
        self.renames = None  # the stylesheets may have changed: their icons with them
        changed = []
        for record in sorted((self.cache / "bundles").glob("page-*.json")):
            name = f"{BUNDLES}/{record.name.removesuffix('.json')}"
            inputs = json.loads(record.read_text(encoding="utf-8"))
            if not all((self.outdir / filename).is_file() for filename in inputs):
                record.unlink()
                continue
            (self.css_bundle if name.endswith(".css") else self.js_bundle)(inputs, again=True)
            if name in self.written and _digest((self.outdir / name).read_bytes()) != self.written[name]:
                changed.append(name)
        return changed


def _assets(app: Sphinx) -> Assets:
    assets: Assets | None = getattr(app, "_blogbook_assets", None)
    if assets is None:
        static = Path(app.outdir) / "_static"
        scripts = [*static.glob("*.js"), *static.glob("scripts/*.js")]
        icons = set(template_icons()) | {name for found in _env_icons(app.env).values() for name in found}
        icons |= {name for path in scripts if "fontawesome" not in path.name for name in _script_icons(path)}
        upstream.write_late_static_files(app)
        assets = Assets(Path(app.outdir), Path(app.doctreedir) / "blogbook-assets", icons)
        app._blogbook_assets = assets  # type: ignore[attr-defined]
    return assets


def page_stylesheets(assets: Assets, css_files: list[Any], features: set[str]) -> list[Any]:
    """The page's `css_files`: one bundle of the theme's and every plain local stylesheet the page
    needs, then whatever cannot be bundled (off-site, another `media`), as it was."""
    css_class, _ = upstream.asset_classes()
    inputs = [name for name in THEME_CSS if (assets.outdir / name).is_file()]
    separate: list[Any] = []
    for css in sorted(css_files, key=lambda item: getattr(item, "priority", 500)):
        filename = str(getattr(css, "filename", css))
        need = _need_of(filename)
        if need and need not in features:
            continue
        attributes = dict(getattr(css, "attributes", {}))
        plain = attributes.get("rel", "stylesheet") == "stylesheet" and attributes.get("media") in (None, "all")
        if plain and filename.endswith(".css") and (assets.outdir / filename).is_file():
            inputs.append(filename)
        else:
            separate.append(css)
    return [css_class(assets.css_bundle(inputs), priority=200, rel="stylesheet", type="text/css"), *separate]


def _bundlable(outdir: Path, filename: str, attributes: dict[str, Any], taken: dict[str, str]) -> bool:
    """A local `_static` script with no loading attribute (`defer`, `async`, `type=module`) and no
    `data-` attribute another bundled script sets differently."""
    extra = {key: value for key, value in attributes.items() if key != "type" or value != "text/javascript"}
    data = {key: value for key, value in extra.items() if key.startswith("data-")}
    return (
        filename.startswith("_static/")
        and len(extra) == len(data)
        and all(taken.get(key, value) == value for key, value in data.items())
        and (outdir / filename).is_file()
    )


def page_scripts(assets: Assets, script_files: list[Any], features: set[str], deferred: bool) -> list[Any]:
    """The page's `script_files`: inline scripts in place (`documentation_options.js` inlined among
    them), the page's plain scripts and the theme's in one bundle where the first of them was,
    and scripts loaded another way (`defer`, `async`, off-site) as they were."""
    _, js_class = upstream.asset_classes()
    scripts: list[Any] = []
    inputs: list[str] = []
    data: dict[str, str] = {}
    bundle_at = -1
    for script in sorted(script_files, key=lambda item: getattr(item, "priority", 500)):
        filename = str(getattr(script, "filename", None) or "")
        attributes = dict(getattr(script, "attributes", {}))
        need = _need_of(filename) if filename else _inline_need(str(attributes.get("body") or ""))
        if need and need not in features:
            continue
        if filename == DOC_OPTIONS and (assets.outdir / filename).is_file():
            inline = (assets.outdir / filename).read_text(encoding="utf-8").replace("</", "<\\/")
            scripts.append(js_class(None, body=inline))
        elif filename and _bundlable(assets.outdir, filename, attributes, data):
            data.update({key: value for key, value in attributes.items() if key.startswith("data-")})
            inputs.append(filename)
            if bundle_at < 0:
                bundle_at = len(scripts)
                scripts.append(None)
        else:
            scripts.append(script)
    inputs += [name for name in THEME_JS if (assets.outdir / name).is_file()]
    loading = {"defer": "defer"} if deferred else {}
    bundle = js_class(assets.js_bundle(inputs), **loading, **data)
    if bundle_at < 0:
        scripts.append(bundle)
    else:
        scripts[bundle_at] = bundle
    # Renumbered so that this order survives Sphinx's sort by priority.
    return [js_class(script.filename, priority=index, **script.attributes) for index, script in enumerate(scripts)]


def _inline_need(body: str) -> str | None:
    return next((need for start, need in INLINE_NEEDS.items() if body.startswith(start)), None)


def bundle_page(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """`html-page-context`, after every other extension: the page's assets, trimmed and bundled.

    The search page's bundle is not deferred: the search template loads `searchtools.js` itself,
    blocking, and it needs `doctools.js` (in the bundle) before it runs."""
    if app.builder.format != "html" or app.builder.name not in ("html", "dirhtml"):
        return
    assets = _assets(app)
    source = str(app.env.doc2path(pagename, base=False)) if pagename in app.env.all_docs else ""
    features = page_features(str(context.get("body") or ""), source.endswith(".ipynb"))
    context["css_files"] = page_stylesheets(assets, list(context.get("css_files", [])), features)
    scripts = list(context.get("script_files", []))
    context["script_files"] = page_scripts(assets, scripts, features, deferred=pagename != "search")
    context["blogbook_page_assets"] = True


def refresh_bundles(app: Sphinx, exception: Exception | None) -> None:
    """`build-finished`, after the theme and myst-nb have written their last files: every bundle
    made again from the files as they end up. One that changed after its pages were written
    (an upstream extension writes a new late file) is a warning: `-W` stops the build."""
    assets: Assets | None = getattr(app, "_blogbook_assets", None)
    app._blogbook_assets = None  # type: ignore[attr-defined]
    if exception is None and assets is not None:
        for name in assets.refresh():
            logger.warning(
                "blogbook.ext.page_assets: %s changed after the pages linking it were written; a static file is "
                "written late (see upstream.write_late_static_files)",
                name,
            )


def check_layout(app: Sphinx) -> None:
    upstream.check_bundled_layout(TEMPLATES)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", check_layout)
    app.connect("doctree-read", doctree_icons)
    app.connect("env-purge-doc", purge_icons)
    app.connect("env-merge-info", merge_icons)
    app.connect("html-page-context", bundle_page, priority=990)
    app.connect("build-finished", refresh_bundles, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
