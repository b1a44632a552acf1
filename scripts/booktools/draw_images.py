"""Draw the thumbnails and diagrams used by the posts into ``static/image``.

Every image is drawn from code with Pillow, so the output is deterministic:
running the script twice gives byte-identical PNG files. Korean labels use the
"Noto Sans CJK KR" face of the Noto CJK fonts (Debian package
``fonts-noto-cjk``).

Each picture is drawn at twice its final size and scaled down, which smooths
the edges of lines and boxes, then reduced to a small palette so that every
file stays well under 80 KB.

Usage::

    .venv/bin/python scripts/draw_images.py
"""

from __future__ import annotations

import itertools
import math
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[2]  # the checkout: tools run from the repository, never installed
OUT_DIR = ROOT / "static" / "image"

SCALE = 2  # supersampling factor
PALETTE_COLORS = 64
MAX_BYTES = 80 * 1024

Color = tuple[int, int, int]
Point = tuple[float, float]

# Colours shared by all pictures.
WHITE: Color = (255, 255, 255)
BG: Color = (247, 249, 252)
INK: Color = (33, 41, 54)
MUTED: Color = (104, 114, 130)
LINE: Color = (148, 160, 178)
BLUE: Color = (66, 133, 244)
BLUE_SOFT: Color = (217, 231, 253)
TEAL: Color = (22, 160, 148)
TEAL_SOFT: Color = (209, 241, 237)
ORANGE: Color = (245, 140, 40)
ORANGE_SOFT: Color = (254, 232, 206)
PURPLE: Color = (126, 87, 194)
PURPLE_SOFT: Color = (232, 222, 248)
RED: Color = (220, 68, 55)
RED_SOFT: Color = (250, 219, 216)
GREEN: Color = (52, 168, 83)
GREEN_SOFT: Color = (214, 240, 221)
GREY_SOFT: Color = (229, 233, 239)
NAVY: Color = (26, 43, 74)

FONT_FILES: dict[str, tuple[str, ...]] = {
    "regular": (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    ),
    "bold": (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
    ),
}
FONT_FAMILY = "Noto Sans CJK KR"


def _fc_match(style: str) -> str | None:
    """Ask fontconfig for the Korean Noto Sans CJK file of ``style``."""
    pattern = f"{FONT_FAMILY}:style={'Bold' if style == 'bold' else 'Regular'}"
    try:
        result = subprocess.run(
            ["fc-match", "-f", "%{file}", pattern],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    path = result.stdout.strip()
    return path if "CJK" in path else None


def _font_path(style: str) -> str:
    for candidate in FONT_FILES[style]:
        if Path(candidate).is_file():
            return candidate
    found = _fc_match(style)
    if found is None:
        sys.exit(f"Noto Sans CJK ({style}) not found: install fonts-noto-cjk")
    return found


_FONT_CACHE: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}
_FACE_INDEX: dict[str, int] = {}


def font(size: int, style: str = "regular") -> ImageFont.FreeTypeFont:
    """Return the Korean face of Noto Sans CJK at ``size`` final pixels."""
    key = (style, size)
    if key in _FONT_CACHE:
        return _FONT_CACHE[key]
    path = _font_path(style)
    if style not in _FACE_INDEX:
        # A .ttc holds several faces; pick the Korean one by name.
        _FACE_INDEX[style] = 0
        for index in range(16):
            try:
                face = ImageFont.truetype(path, 12, index=index)
            except OSError:
                break
            if face.getname()[0] == FONT_FAMILY:
                _FACE_INDEX[style] = index
                break
    loaded = ImageFont.truetype(path, size * SCALE, index=_FACE_INDEX[style])
    _FONT_CACHE[key] = loaded
    return loaded


@dataclass
class Canvas:
    """A drawing surface whose coordinates are in final (scaled-down) pixels."""

    width: int
    height: int
    background: Color = BG

    def __post_init__(self) -> None:
        self.image = Image.new("RGB", (self.width * SCALE, self.height * SCALE), self.background)
        self.draw = ImageDraw.Draw(self.image)

    @staticmethod
    def _s(value: float) -> int:
        return round(value * SCALE)

    def box(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        fill: Color,
        outline: Color | None = None,
        radius: float = 10,
        width: float = 2,
    ) -> None:
        s = self._s
        self.draw.rounded_rectangle(
            (s(x), s(y), s(x + w), s(y + h)),
            radius=s(radius),
            fill=fill,
            outline=outline,
            width=s(width) if outline else 0,
        )

    def dashed_box(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        color: Color,
        dash: float = 10,
        width: float = 2,
    ) -> None:
        corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)]
        for start, end in itertools.pairwise(corners):
            self.dashed_line(start, end, color, dash=dash, width=width)

    def line(self, points: Sequence[Point], color: Color, width: float = 2) -> None:
        s = self._s
        self.draw.line([(s(px), s(py)) for px, py in points], fill=color, width=s(width))

    def dashed_line(self, start: Point, end: Point, color: Color, dash: float = 10, width: float = 2) -> None:
        length = math.dist(start, end)
        if length == 0:
            return
        steps = max(1, int(length // dash))
        for i in range(0, steps, 2):
            t0 = i / steps
            t1 = min(1.0, (i + 1) / steps)
            p0 = (start[0] + (end[0] - start[0]) * t0, start[1] + (end[1] - start[1]) * t0)
            p1 = (start[0] + (end[0] - start[0]) * t1, start[1] + (end[1] - start[1]) * t1)
            self.line([p0, p1], color, width)

    def arrow(
        self,
        start: Point,
        end: Point,
        color: Color = INK,
        width: float = 3,
        head: float = 12,
        dashed: bool = False,
    ) -> None:
        angle = math.atan2(end[1] - start[1], end[0] - start[0])
        # Stop the shaft where the head begins so the tip stays sharp.
        shaft_end = (end[0] - head * 0.8 * math.cos(angle), end[1] - head * 0.8 * math.sin(angle))
        if dashed:
            self.dashed_line(start, shaft_end, color, dash=8, width=width)
        else:
            self.line([start, shaft_end], color, width)
        left = (
            end[0] - head * math.cos(angle - math.pi / 7),
            end[1] - head * math.sin(angle - math.pi / 7),
        )
        right = (
            end[0] - head * math.cos(angle + math.pi / 7),
            end[1] - head * math.sin(angle + math.pi / 7),
        )
        s = self._s
        self.draw.polygon(
            [(s(end[0]), s(end[1])), (s(left[0]), s(left[1])), (s(right[0]), s(right[1]))],
            fill=color,
        )

    def text(
        self,
        x: float,
        y: float,
        content: str,
        size: int = 18,
        color: Color = INK,
        style: str = "regular",
        anchor: str = "mm",
    ) -> None:
        """Draw ``content``; several lines are centred on each other."""
        s = self._s
        self.draw.multiline_text(
            (s(x), s(y)),
            content,
            font=font(size, style),
            fill=color,
            anchor=anchor,
            align="center",
            spacing=s(size * 0.25),
        )

    def label_box(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        content: str,
        fill: Color,
        outline: Color | None = None,
        size: int = 18,
        color: Color = INK,
        style: str = "regular",
        radius: float = 10,
    ) -> None:
        self.box(x, y, w, h, fill, outline, radius=radius)
        self.text(x + w / 2, y + h / 2, content, size=size, color=color, style=style)

    def cylinder(self, x: float, y: float, w: float, h: float, fill: Color, outline: Color) -> None:
        """A database-style cylinder used for volumes and storage."""
        s = self._s
        ry = h * 0.14
        self.draw.rectangle((s(x), s(y + ry), s(x + w), s(y + h - ry)), fill=fill)
        self.draw.ellipse(
            (s(x), s(y + h - 2 * ry), s(x + w), s(y + h)),
            fill=fill,
            outline=outline,
            width=s(2),
        )
        self.draw.rectangle((s(x) + s(2), s(y + ry), s(x + w) - s(2), s(y + h - ry)), fill=fill)
        self.line([(x, y + ry), (x, y + h - ry)], outline, 2)
        self.line([(x + w, y + ry), (x + w, y + h - ry)], outline, 2)
        self.draw.ellipse(
            (s(x), s(y), s(x + w), s(y + 2 * ry)),
            fill=WHITE,
            outline=outline,
            width=s(2),
        )

    def title(self, content: str, y: float = 40, size: int = 30) -> None:
        self.text(self.width / 2, y, content, size=size, style="bold")

    def finish(self) -> Image.Image:
        small = self.image.resize((self.width, self.height), Image.Resampling.LANCZOS)
        return small.quantize(
            colors=PALETTE_COLORS,
            method=Image.Quantize.MEDIANCUT,
            dither=Image.Dither.NONE,
        )


def thumbnail_frame(title: str, subtitle: str, accent: Color) -> Canvas:
    """A 1200x630 card with a coloured band at the top and the post title."""
    c = Canvas(1200, 630, background=WHITE)
    c.box(0, 0, 1200, 14, accent, radius=0)
    c.text(600, 78, title, size=46, style="bold", color=NAVY)
    c.text(600, 132, subtitle, size=24, color=MUTED)
    return c


# ---------------------------------------------------------------- thumbnails


def draw_container_vs_vm() -> Image.Image:
    c = thumbnail_frame("가상머신과 컨테이너", "하드웨어를 나눌까, 프로세스를 나눌까", BLUE)
    # Left: VM stack
    left, right, base_y = 150, 680, 520
    c.text(left + 185, 185, "가상머신", size=26, style="bold", color=BLUE)
    for i, name in enumerate(["앱 A", "앱 B"]):
        x = left + i * 190
        c.label_box(x, 210, 180, 56, name, BLUE_SOFT, BLUE, size=20)
        c.label_box(x, 272, 180, 56, "게스트 OS", WHITE, BLUE, size=20)
    c.label_box(left, 340, 370, 60, "하이퍼바이저", BLUE, size=22, color=WHITE, style="bold")
    c.label_box(left, 410, 370, 60, "호스트 하드웨어", GREY_SOFT, LINE, size=20)
    # Right: container stack
    c.text(right + 185, 185, "컨테이너", size=26, style="bold", color=TEAL)
    for i, name in enumerate(["앱 A", "앱 B", "앱 C"]):
        x = right + i * 125
        c.label_box(x, 272, 116, 56, name, TEAL_SOFT, TEAL, size=20)
    c.label_box(right, 340, 370, 60, "컨테이너 런타임", TEAL, size=22, color=WHITE, style="bold")
    c.label_box(right, 410, 370, 60, "호스트 OS 커널 (공유)", GREY_SOFT, LINE, size=20)
    c.text(600, 360, "vs", size=40, style="bold", color=MUTED)
    c.text(600, base_y + 50, "namespace · cgroup · containerd · runc", size=22, color=MUTED)
    return c.finish()


def draw_docker_image_layers() -> Image.Image:
    c = thumbnail_frame("도커 이미지와 레이어", "Dockerfile 한 줄이 레이어 한 장", ORANGE)
    layers = [
        ("컨테이너 레이어 (읽기·쓰기)", ORANGE, WHITE),
        ("COPY . .", ORANGE_SOFT, INK),
        ("RUN pip install", ORANGE_SOFT, INK),
        ("COPY requirements.txt", ORANGE_SOFT, INK),
        ("FROM python:3.12-slim", GREY_SOFT, INK),
    ]
    for i, (name, fill, color) in enumerate(layers):
        offset = i * 14
        x = 330 - offset
        y = 190 + i * 72
        c.label_box(
            x,
            y,
            540 + 2 * offset,
            60,
            name,
            fill,
            ORANGE if i else None,
            size=22,
            color=color,
            style="bold" if i == 0 else "regular",
        )
    c.text(1045, 220, "쓰기 가능", size=20, color=ORANGE, style="bold")
    c.text(1045, 440, "읽기 전용\n(digest로 공유)", size=20, color=MUTED)
    c.line([(955, 265), (955, 540)], LINE, 3)
    return c.finish()


def draw_docker_volume_network() -> Image.Image:
    c = thumbnail_frame("볼륨과 네트워크", "데이터는 남기고, 컨테이너끼리는 이름으로", TEAL)
    c.box(120, 190, 960, 360, GREY_SOFT, LINE, radius=18)
    c.text(200, 220, "호스트", size=20, color=MUTED, style="bold")
    c.label_box(200, 270, 220, 90, "web\n컨테이너", BLUE_SOFT, BLUE, size=22)
    c.label_box(780, 270, 220, 90, "db\n컨테이너", BLUE_SOFT, BLUE, size=22)
    c.arrow((430, 315), (770, 315), TEAL, width=4)
    c.arrow((770, 315), (430, 315), TEAL, width=4)
    c.text(600, 290, "appnet (브리지)", size=20, color=TEAL, style="bold")
    c.cylinder(830, 410, 120, 110, ORANGE_SOFT, ORANGE)
    c.text(890, 480, "pgdata", size=18)
    c.arrow((890, 365), (890, 408), ORANGE, width=3)
    c.label_box(200, 430, 220, 70, "-p 8080:80", WHITE, LINE, size=22)
    c.arrow((310, 428), (310, 368), INK, width=3)
    return c.finish()


def draw_kubernetes_pod_node() -> Image.Image:
    c = thumbnail_frame("쿠버네티스의 파드와 노드", "스케줄러가 파드를 노드에 배치한다", PURPLE)
    c.label_box(430, 180, 340, 70, "컨트롤 플레인", PURPLE, size=24, color=WHITE, style="bold")
    pods_per_node = [3, 2, 3]
    for n, count in enumerate(pods_per_node):
        x = 110 + n * 340
        c.box(x, 310, 300, 250, PURPLE_SOFT, PURPLE, radius=16)
        c.text(x + 150, 338, f"노드 {n + 1}", size=22, style="bold", color=PURPLE)
        for p in range(count):
            px = x + 20 + (p % 2) * 140
            py = 370 + (p // 2) * 90
            c.label_box(px, py, 120, 72, "파드", WHITE, BLUE, size=20)
        c.arrow((600, 252), (x + 150, 306), LINE, width=3)
    return c.finish()


def draw_helm_chart() -> Image.Image:
    c = thumbnail_frame("헬름 차트 메모", "템플릿 + values = 릴리스", BLUE)
    c.label_box(110, 240, 250, 90, "templates/", BLUE_SOFT, BLUE, size=24)
    c.label_box(110, 380, 250, 90, "values.yaml", ORANGE_SOFT, ORANGE, size=24)
    c.text(430, 355, "+", size=48, style="bold", color=MUTED)
    c.label_box(
        500,
        300,
        220,
        110,
        "helm\nupgrade --install",
        NAVY,
        size=22,
        color=WHITE,
        style="bold",
    )
    c.arrow((365, 285), (495, 330), INK)
    c.arrow((365, 425), (495, 385), INK)
    c.arrow((725, 355), (820, 355), INK)
    c.box(830, 230, 260, 250, PURPLE_SOFT, PURPLE, radius=16)
    c.text(960, 262, "릴리스 myapp", size=22, style="bold", color=PURPLE)
    for i, name in enumerate(["Deployment", "Service", "ConfigMap"]):
        c.label_box(855, 295 + i * 58, 210, 46, name, WHITE, PURPLE, size=19)
    # A simple ship's wheel as the Helm mark.
    cx, cy, r = 600, 520, 40
    for k in range(8):
        a = k * math.pi / 4
        c.line([(cx, cy), (cx + (r + 12) * math.cos(a), cy + (r + 12) * math.sin(a))], NAVY, 6)
    s = SCALE
    c.draw.ellipse(
        ((cx - r) * s, (cy - r) * s, (cx + r) * s, (cy + r) * s),
        outline=NAVY,
        width=8 * s,
    )
    c.draw.ellipse(((cx - 12) * s, (cy - 12) * s, (cx + 12) * s, (cy + 12) * s), fill=NAVY)
    return c.finish()


def draw_configmap_secret() -> Image.Image:
    c = thumbnail_frame("ConfigMap과 Secret", "설정과 비밀 값을 이미지 밖으로", GREEN)
    c.label_box(130, 230, 300, 110, "ConfigMap\nLOG_LEVEL=debug", GREEN_SOFT, GREEN, size=22)
    c.label_box(130, 400, 300, 110, "Secret\nDB_PASSWORD=****", RED_SOFT, RED, size=22)
    c.box(720, 250, 340, 240, BLUE_SOFT, BLUE, radius=16)
    c.text(890, 282, "파드", size=24, style="bold", color=BLUE)
    c.label_box(750, 320, 280, 60, "볼륨 파일 (/etc/config)", WHITE, BLUE, size=19)
    c.label_box(750, 400, 280, 60, "환경 변수 (envFrom)", WHITE, BLUE, size=19)
    c.arrow((435, 285), (745, 350), GREEN, width=4)
    c.arrow((435, 455), (745, 430), RED, width=4)
    return c.finish()


# ------------------------------------------------------------ body diagrams


def draw_vm_vs_container_stack() -> Image.Image:
    c = Canvas(1000, 560)
    c.title("가상머신과 컨테이너의 계층 비교", y=36, size=28)
    col_w, gap = 430, 60
    lx, rx = 40, 40 + col_w + gap
    c.text(lx + col_w / 2, 90, "가상머신 방식", size=22, style="bold", color=BLUE)
    c.text(rx + col_w / 2, 90, "컨테이너 방식", size=22, style="bold", color=TEAL)
    vm_w = (col_w - 20) / 3
    for i in range(3):
        x = lx + i * (vm_w + 10)
        c.box(x, 115, vm_w, 250, WHITE, BLUE, radius=10)
        c.label_box(x + 8, 125, vm_w - 16, 60, f"앱 {chr(65 + i)}", BLUE_SOFT, size=18)
        c.label_box(x + 8, 193, vm_w - 16, 60, "라이브러리", GREY_SOFT, size=17)
        c.label_box(x + 8, 261, vm_w - 16, 92, "게스트 OS\n(커널 포함)", ORANGE_SOFT, ORANGE, size=17)
    c.label_box(
        lx,
        378,
        col_w,
        62,
        "하이퍼바이저 (KVM, ESXi ...)",
        BLUE,
        size=20,
        color=WHITE,
        style="bold",
    )
    c.label_box(lx, 450, col_w, 62, "물리 하드웨어", GREY_SOFT, LINE, size=20)

    ct_w = (col_w - 20) / 3
    for i in range(3):
        x = rx + i * (ct_w + 10)
        c.box(x, 183, ct_w, 182, WHITE, TEAL, radius=10)
        c.label_box(x + 8, 193, ct_w - 16, 60, f"앱 {chr(65 + i)}", TEAL_SOFT, size=18)
        c.label_box(x + 8, 261, ct_w - 16, 92, "라이브러리\n(사용자 공간)", GREY_SOFT, size=17)
    c.label_box(
        rx,
        378,
        col_w,
        62,
        "컨테이너 런타임 · 호스트 OS 커널",
        TEAL,
        size=20,
        color=WHITE,
        style="bold",
    )
    c.label_box(rx, 450, col_w, 62, "물리 하드웨어", GREY_SOFT, LINE, size=20)
    c.text(rx + col_w / 2, 150, "게스트 OS 없음", size=18, color=MUTED)
    c.line([(lx + col_w + gap / 2, 80), (lx + col_w + gap / 2, 520)], LINE, 2)
    c.text(500, 537, "주황색 칸(게스트 OS)이 가상머신마다 하나씩 필요하다", size=16, color=MUTED)
    return c.finish()


def draw_runtime_layers() -> Image.Image:
    c = Canvas(1000, 420)
    c.title("docker CLI에서 runc까지: 컨테이너 런타임 계층", y=36, size=26)
    steps: list[tuple[str, Color, Color]] = [
        ("docker CLI", BLUE_SOFT, BLUE),
        ("dockerd", BLUE_SOFT, BLUE),
        ("containerd", TEAL_SOFT, TEAL),
        ("containerd-shim", TEAL_SOFT, TEAL),
        ("runc", ORANGE_SOFT, ORANGE),
    ]
    w, h, y = 168, 70, 130
    gap = (1000 - 60 - w * len(steps)) / (len(steps) - 1)
    centers: list[float] = []
    for i, (name, fill, outline) in enumerate(steps):
        x = 30 + i * (w + gap)
        c.label_box(x, y, w, h, name, fill, outline, size=18, style="bold")
        centers.append(x + w / 2)
        if i:
            c.arrow((x - gap + 4, y + h / 2), (x - 4, y + h / 2), INK, width=3, head=11)
    c.label_box(
        centers[4] - 85,
        270,
        170,
        64,
        "컨테이너 프로세스\n(namespace + cgroup)",
        WHITE,
        ORANGE,
        size=15,
    )
    c.arrow((centers[4], y + h + 4), (centers[4], 266), ORANGE, width=3)
    # Kubernetes path: kubelet talks CRI to containerd directly.
    c.label_box(
        centers[1] - 80,
        270,
        160,
        64,
        "kubelet",
        PURPLE_SOFT,
        PURPLE,
        size=18,
        style="bold",
    )
    c.arrow((centers[1] + 80, 290), (centers[2] - 10, y + h + 6), PURPLE, width=3, dashed=True)
    c.text(centers[2] + 40, 300, "CRI로 직접 호출", size=16, color=PURPLE)
    c.text(
        500,
        385,
        "쿠버네티스 1.24부터 dockershim이 빠지고 kubelet이 containerd를 바로 부른다",
        size=16,
        color=MUTED,
    )
    return c.finish()


def draw_image_layer_stack() -> Image.Image:
    c = Canvas(900, 540)
    c.title("이미지 레이어 위에 올라가는 컨테이너 레이어", y=34, size=26)
    rows: list[tuple[str, str, Color, Color]] = [
        ("컨테이너 레이어", "쓰기 가능 · 컨테이너와 함께 삭제", ORANGE, WHITE),
        ("COPY . .", "12 MB", ORANGE_SOFT, INK),
        ("RUN pip install ...", "85 MB", ORANGE_SOFT, INK),
        ("COPY requirements.txt", "1 KB", ORANGE_SOFT, INK),
        ("RUN useradd app", "4 KB", ORANGE_SOFT, INK),
        ("FROM python:3.12-slim", "베이스 이미지 레이어들", GREY_SOFT, INK),
    ]
    for i, (name, note, fill, color) in enumerate(rows):
        y = 80 + i * 70
        c.label_box(
            60,
            y,
            460,
            56,
            name,
            fill,
            None if i == 0 else ORANGE,
            size=20,
            color=color,
            style="bold" if i == 0 else "regular",
        )
        c.text(560, y + 28, note, size=17, color=MUTED, anchor="lm")
    c.dashed_line((40, 144), (860, 144), RED, dash=9, width=2)
    c.text(450, 512, "OverlayFS: lowerdir(읽기 전용) + upperdir(쓰기) = merged", size=17, color=INK)
    return c.finish()


def draw_build_cache_flow() -> Image.Image:
    c = Canvas(1000, 480)
    c.title("빌드 캐시: 한 번 깨지면 아래는 모두 다시 실행", y=34, size=26)
    steps: list[tuple[str, bool]] = [
        ("FROM python:3.12-slim", True),
        ("RUN useradd app", True),
        ("COPY requirements.txt .", True),
        ("RUN pip install -r requirements.txt", True),
        ("COPY . .   ← 소스가 바뀜", False),
        ('CMD ["python", "main.py"]', False),
    ]
    for i, (name, hit) in enumerate(steps):
        y = 70 + i * 62
        fill, outline = (GREEN_SOFT, GREEN) if hit else (RED_SOFT, RED)
        c.label_box(60, y, 560, 50, name, fill, outline, size=18)
        c.label_box(
            650,
            y + 5,
            140,
            40,
            "CACHED" if hit else "다시 빌드",
            WHITE,
            outline,
            size=16,
            color=outline,
            style="bold",
        )
        if i:
            c.arrow((340, y - 12), (340, y - 1), LINE, width=2, head=8)
    c.text(800, 445, "자주 바뀌는 줄은 아래로", size=20, color=INK, style="bold", anchor="mm")
    c.arrow((880, 90), (880, 400), MUTED, width=3)
    return c.finish()


def draw_volume_mount_types() -> Image.Image:
    c = Canvas(1000, 520)
    c.title("세 가지 마운트 방식", y=34, size=28)
    c.box(60, 70, 880, 150, BLUE_SOFT, BLUE, radius=16)
    c.text(110, 92, "컨테이너", size=20, style="bold", color=BLUE, anchor="lm")
    mounts = [("/var/lib/postgresql/data", 90), ("/app", 390), ("/tmp", 690)]
    for path, x in mounts:
        c.label_box(x, 130, 240, 60, path, WHITE, BLUE, size=18)
    c.box(60, 300, 880, 190, GREY_SOFT, LINE, radius=16)
    c.text(110, 322, "호스트", size=20, style="bold", color=MUTED, anchor="lm")
    c.cylinder(110, 350, 180, 120, ORANGE_SOFT, ORANGE)
    c.text(200, 420, "볼륨\n도커가 관리", size=17)
    c.label_box(400, 360, 220, 100, "바인드 마운트\n$HOME/projects/blog", TEAL_SOFT, TEAL, size=17)
    c.label_box(700, 360, 220, 100, "tmpfs\n메모리에만 저장", PURPLE_SOFT, PURPLE, size=17)
    c.arrow((210, 192), (200, 348), ORANGE, width=3)
    c.arrow((510, 192), (510, 356), TEAL, width=3)
    c.arrow((810, 192), (810, 356), PURPLE, width=3, dashed=True)
    c.text(215, 262, "-v pgdata:...", size=16, color=ORANGE, anchor="lm")
    c.text(520, 262, "--mount type=bind", size=16, color=TEAL, anchor="lm")
    c.text(820, 262, "--tmpfs", size=16, color=PURPLE, anchor="lm")
    return c.finish()


def draw_bridge_network() -> Image.Image:
    c = Canvas(1000, 500)
    c.title("사용자 정의 브리지 네트워크 appnet", y=34, size=28)
    c.box(60, 80, 880, 300, TEAL_SOFT, TEAL, radius=18)
    c.text(
        100,
        104,
        "appnet (docker network create appnet)",
        size=18,
        color=TEAL,
        style="bold",
        anchor="lm",
    )
    c.label_box(120, 160, 240, 100, "web\n172.18.0.2", WHITE, BLUE, size=20)
    c.label_box(640, 160, 240, 100, "db\n172.18.0.3", WHITE, BLUE, size=20)
    c.arrow((365, 210), (635, 210), INK, width=3)
    c.text(500, 188, "db:5432 로 접속", size=17, color=INK)
    c.label_box(400, 290, 200, 64, "내장 DNS\n127.0.0.11", WHITE, TEAL, size=16)
    c.arrow((300, 262), (420, 292), MUTED, width=2, dashed=True)
    c.text(612, 322, '← "db"의 IP를 알려 준다', size=15, color=MUTED, anchor="lm")
    c.label_box(120, 410, 240, 60, "호스트 :8080", GREY_SOFT, LINE, size=18)
    c.arrow((240, 408), (240, 264), ORANGE, width=3)
    c.text(380, 440, "-p 8080:80 (iptables 규칙 추가)", size=16, color=ORANGE, anchor="lm")
    return c.finish()


def draw_pods_on_nodes() -> Image.Image:
    c = Canvas(1000, 580)
    c.title("컨트롤 플레인과 워커 노드, 그리고 파드", y=34, size=26)
    c.box(60, 70, 880, 120, PURPLE_SOFT, PURPLE, radius=16)
    c.text(90, 92, "컨트롤 플레인", size=18, style="bold", color=PURPLE, anchor="lm")
    for i, name in enumerate(["kube-apiserver", "etcd", "kube-scheduler", "controller-manager"]):
        c.label_box(85 + i * 212, 112, 196, 56, name, WHITE, PURPLE, size=16)
    node_w = 270
    for n in range(3):
        x = 60 + n * (node_w + 35)
        c.box(x, 240, node_w, 310, GREY_SOFT, LINE, radius=16)
        c.text(x + node_w / 2, 264, f"워커 노드 {n + 1}", size=18, style="bold")
        pods = 2 if n == 1 else 3
        for p in range(pods):
            c.label_box(
                x + 15 + (p % 2) * 125,
                290 + (p // 2) * 78,
                115,
                64,
                f"파드\nweb-{n}{p}",
                BLUE_SOFT,
                BLUE,
                size=14,
            )
        c.label_box(x + 15, 450, node_w - 30, 36, "kubelet · kube-proxy", WHITE, LINE, size=15)
        c.label_box(x + 15, 492, node_w - 30, 36, "containerd", TEAL_SOFT, TEAL, size=15)
        c.arrow((500, 192), (x + node_w / 2, 238), MUTED, width=2, head=10)
    return c.finish()


def draw_helm_chart_structure() -> Image.Image:
    c = Canvas(1000, 480)
    c.title("차트가 렌더링되어 릴리스가 되기까지", y=34, size=26)
    c.box(40, 80, 300, 360, BLUE_SOFT, BLUE, radius=16)
    c.text(70, 104, "myapp/ (차트)", size=18, style="bold", color=BLUE, anchor="lm")
    files = [
        ("Chart.yaml", WHITE),
        ("values.yaml", ORANGE_SOFT),
        ("templates/deployment.yaml", WHITE),
        ("templates/service.yaml", WHITE),
        ("templates/configmap.yaml", WHITE),
        ("charts/ (하위 차트)", GREY_SOFT),
    ]
    for i, (name, fill) in enumerate(files):
        c.label_box(60, 130 + i * 50, 260, 40, name, fill, BLUE, size=15)
    c.label_box(
        390,
        210,
        190,
        90,
        "helm template\n(Go 템플릿 렌더링)",
        NAVY,
        size=16,
        color=WHITE,
        style="bold",
    )
    c.arrow((345, 255), (385, 255), INK)
    c.label_box(
        390,
        340,
        190,
        60,
        "-f values-prod.yaml\n--set image.tag=...",
        ORANGE_SOFT,
        ORANGE,
        size=14,
    )
    c.arrow((485, 338), (485, 304), ORANGE, width=3)
    c.box(630, 80, 330, 360, PURPLE_SOFT, PURPLE, radius=16)
    c.text(660, 104, "클러스터: 릴리스 myapp", size=18, style="bold", color=PURPLE, anchor="lm")
    for i, name in enumerate(["Deployment", "Service", "ConfigMap", "Secret (릴리스 이력)"]):
        c.label_box(655, 135 + i * 70, 280, 54, name, WHITE, PURPLE, size=17)
    c.arrow((585, 255), (650, 255), INK)
    return c.finish()


IMAGES: dict[str, Callable[[], Image.Image]] = {
    # thumbnails
    "container-vs-vm.png": draw_container_vs_vm,
    "docker-image-layers.png": draw_docker_image_layers,
    "docker-volume-network.png": draw_docker_volume_network,
    "kubernetes-pod-node.png": draw_kubernetes_pod_node,
    "helm-chart.png": draw_helm_chart,
    "configmap-secret.png": draw_configmap_secret,
    # diagrams inside the posts
    "vm-vs-container-stack.png": draw_vm_vs_container_stack,
    "runtime-layers.png": draw_runtime_layers,
    "image-layer-stack.png": draw_image_layer_stack,
    "build-cache-flow.png": draw_build_cache_flow,
    "volume-mount-types.png": draw_volume_mount_types,
    "bridge-network.png": draw_bridge_network,
    "pods-on-nodes.png": draw_pods_on_nodes,
    "helm-chart-structure.png": draw_helm_chart_structure,
}


def main() -> int:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    too_big: list[str] = []
    for name, draw in IMAGES.items():
        path = OUT_DIR / name
        draw().save(path, format="PNG", optimize=True)
        size = path.stat().st_size
        print(f"{path.relative_to(ROOT)}  {size / 1024:.1f} KB")
        if size >= MAX_BYTES:
            too_big.append(name)
    if too_big:
        print("over 80 KB: " + ", ".join(too_big), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
