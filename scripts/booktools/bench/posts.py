#!/usr/bin/env python3
"""Generate blog posts in the exact shape of `posts/*.md`, for the performance benchmark.

Why generated posts: six real posts say nothing about how the converter and Jupyter Book scale.
The generated ones reproduce what makes the real posts costly to convert, build and search:
front matter in the blog's date formats, a `[category]` title prefix, lone `#` spacer lines,
`<img>` tags written in several ways, fenced code with `#` comment lines (which must not turn
into headings), links to earlier posts (checked by the converter), and about 1,100 words of
Korean prose with particles glued on (`도커를`, `파드의`), so the search index holds as many
inflected terms as a real Korean blog would.

Everything is drawn from a `random.Random` seeded per post (seed and index), so the same seed
gives byte-identical files, and post N is the same whether 20 or 500 posts are generated.

Usage: python -m booktools.bench.posts --posts N --out DIR [--seed S]
DIR is a project root: posts go to DIR/posts/bench-00001.md ..., images to DIR/static/image/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw

POSTS_DIR = Path("posts")
IMAGES_DIR = Path("static/image")
FIRST_DATE = dt.date(2019, 1, 7)

# --- vocabulary ---------------------------------------------------------------------------------
# Hangul nouns get their particle form from the last syllable; Latin words say how they are read:
# "cons" ends in a consonant (ConfigMap을), "rieul" in ㄹ (YAML로, not YAML으로), "none" in a vowel.

# fmt: off
HANGUL_NOUNS: tuple[str, ...] = (
    "컨테이너", "이미지", "레이어", "도커", "쿠버네티스", "파드", "노드", "클러스터", "네트워크", "볼륨",
    "서비스", "레지스트리", "런타임", "커널", "프로세스", "스케줄러", "설정", "매니페스트", "로그", "포트",
    "호스트", "캐시", "빌드", "태그", "라벨", "리소스", "메모리", "디스크", "저장소", "애플리케이션",
    "배포", "롤링 업데이트", "차트", "템플릿", "컨트롤러", "인증서", "방화벽", "프록시", "엔드포인트",
    "복제본", "상태", "요청", "상한", "환경 변수", "파일 시스템", "스토리지 드라이버", "베이스 이미지",
    "빌드 캐시", "네임스페이스", "워커 노드", "컨트롤 플레인", "헬스 체크", "사이드카", "오토스케일러",
    "모니터링", "권한", "계정", "토큰", "업그레이드", "롤백", "백업", "복원", "트래픽", "가상머신",
    "하이퍼바이저", "격리", "스냅샷", "의존성", "패키지", "릴리스", "이벤트", "정책", "인그레스",
)
LATIN_NOUNS: tuple[tuple[str, str], ...] = (
    ("Docker", "none"), ("Kubernetes", "none"), ("containerd", "none"), ("runc", "none"),
    ("kubelet", "cons"), ("etcd", "none"), ("ConfigMap", "cons"), ("Secret", "cons"),
    ("Ingress", "none"), ("Deployment", "none"), ("ReplicaSet", "cons"), ("cgroup", "cons"),
    ("namespace", "none"), ("overlay2", "none"), ("Helm", "cons"), ("OCI", "none"), ("CRI", "none"),
    ("Dockerfile", "rieul"), ("YAML", "rieul"), ("CPU", "none"), ("iptables", "none"),
    ("StatefulSet", "cons"), ("DaemonSet", "cons"), ("kubectl", "rieul"),
)
MODIFIERS: tuple[str, ...] = (
    "새", "작은", "가벼운", "오래된", "같은", "다른", "여러", "기본", "별도의", "읽기 전용", "쓰기 가능한",
    "내부의", "외부의", "공유된", "격리된", "임시", "각각의", "실제", "필요한", "비어 있는",
)
ADVERBS: tuple[str, ...] = (
    "먼저", "보통", "대부분", "다시", "자동으로", "직접", "가끔", "항상", "특히", "결국", "실제로",
    "처음에는", "나중에", "한 번에", "조금씩", "차례로", "따로", "미리", "천천히", "금방",
)
CONNECTIVES: tuple[str, ...] = (
    "그래서", "하지만", "또한", "반대로", "예를 들어", "그리고", "다만", "덕분에", "이때", "그 뒤에는",
    "정리하면", "여기서", "그런데",
)
# (polite ending, "-고" form, "-면" form)
VERBS: tuple[tuple[str, str, str], ...] = (
    ("실행합니다", "실행하고", "실행하면"), ("관리합니다", "관리하고", "관리하면"),
    ("만듭니다", "만들고", "만들면"), ("확인합니다", "확인하고", "확인하면"),
    ("저장합니다", "저장하고", "저장하면"), ("공유합니다", "공유하고", "공유하면"),
    ("제한합니다", "제한하고", "제한하면"), ("배포합니다", "배포하고", "배포하면"),
    ("나눕니다", "나누고", "나누면"), ("보여 줍니다", "보여 주고", "보여 주면"),
    ("사용합니다", "사용하고", "사용하면"), ("연결합니다", "연결하고", "연결하면"),
    ("교체합니다", "교체하고", "교체하면"), ("복사합니다", "복사하고", "복사하면"),
    ("기록합니다", "기록하고", "기록하면"), ("받아 옵니다", "받아 오고", "받아 오면"),
    ("지웁니다", "지우고", "지우면"), ("읽습니다", "읽고", "읽으면"), ("정리합니다", "정리하고", "정리하면"),
    ("비교합니다", "비교하고", "비교하면"), ("감시합니다", "감시하고", "감시하면"),
    ("마운트합니다", "마운트하고", "마운트하면"), ("노출합니다", "노출하고", "노출하면"),
    ("설정합니다", "설정하고", "설정하면"),
)
DESCRIPTIONS: tuple[str, ...] = (
    "중요합니다", "편리합니다", "빠릅니다", "가볍습니다", "안전합니다", "꼭 필요합니다", "헷갈리기 쉽습니다",
    "자주 바뀝니다", "오래 걸립니다", "생각보다 단순합니다", "금방 커집니다", "따로 관리됩니다",
)
FIXED_SENTENCES: tuple[str, ...] = (
    "개발할 때는 $HOME 아래의 프로젝트 폴더를 바인드 마운트로 연결해 두면 편합니다.",
    "작은 서버 한 대는 월 $5 정도라서 실습용으로 부담이 크지 않았습니다.",
    "설정 파일의 기본 위치는 `$HOME/.kube/config`입니다.",
    "이 부분은 공식 문서를 다시 읽고 나서야 이해가 됐습니다.",
    "처음에는 이 동작이 버그인 줄 알았습니다.",
)
COMMANDS: tuple[str, ...] = (
    "docker ps -a", "docker image ls", "kubectl get pods -o wide", "kubectl describe pod",
    "kubectl rollout status", "docker system df", "helm template", "docker volume ls",
    "kubectl logs -f", "docker network inspect",
)
CATEGORIES: tuple[str, ...] = ("공부", "메모", "정리", "회고")
TAG_WORDS: tuple[str, ...] = ("docker", "kubernetes", "이미지", "네트워크", "볼륨", "helm", "보안", "운영")
NAMES: tuple[str, ...] = ("web", "api", "db", "cache", "worker", "shop", "blog", "auth", "queue", "batch")
COMMENTS: tuple[str, ...] = (
    "이미지를 빌드하고 태그를 붙인다", "상태를 먼저 확인한다", "설정을 적용한다", "필요 없는 리소스를 정리한다",
    "로그를 따라가며 확인", "네트워크를 만들고 연결한다", "데이터는 볼륨에 남긴다", "이전 버전으로 되돌리기",
    "root가 아닌 사용자로 실행한다", "캐시를 살리려면 의존성부터 복사한다",
)
# fmt: on

# --- images -------------------------------------------------------------------------------------

# fmt: off
IMAGE_NAMES: tuple[str, ...] = (
    "bench-layers.png", "bench-cluster.png", "bench-network.png",
    "bench-volume.png", "bench-pipeline.png", "bench-cover.png",
)
ALT_TEXTS: tuple[str, ...] = (
    "레이어가 쌓인 모습을 나타낸 그림", "클러스터와 노드의 관계", "컨테이너끼리 연결된 네트워크",
    "볼륨이 호스트에 연결되는 방식", "빌드부터 배포까지의 흐름",
)
# fmt: on


def draw_image(index: int) -> bytes:
    """A tiny diagram-like PNG: stacked boxes in a palette chosen by `index` (no fonts, no noise)."""
    palette = ((33, 99, 168), (46, 139, 87), (200, 120, 40), (120, 72, 160), (180, 50, 60), (60, 60, 60))
    width, height = 160, 100
    image = Image.new("RGB", (width, height), (250, 250, 247))
    draw = ImageDraw.Draw(image)
    color = palette[index % len(palette)]
    for row in range(index % 3 + 2):
        top = 10 + row * 20
        draw.rectangle((12 + row * 6, top, width - 12 - row * 6, top + 14), outline=color, width=2)
    draw.line((10, height - 12, width - 10, height - 12), fill=color, width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def write_images(target: Path) -> list[Path]:
    """The shared images, written only when missing or different (no needless mtime changes)."""
    folder = target / IMAGES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for index, name in enumerate(IMAGE_NAMES):
        path = folder / name
        data = draw_image(index)
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
        written.append(path)
    return written


# --- Korean with particles ----------------------------------------------------------------------


def final_sound(word: str) -> str:
    """How a word ends when read aloud: "none" (vowel), "rieul" (ㄹ) or "cons" (other consonant)."""
    last = word.rstrip()[-1]
    code = ord(last) - 0xAC00
    if 0 <= code <= 11171:
        jong = code % 28
        return "none" if jong == 0 else ("rieul" if jong == 8 else "cons")
    return dict(LATIN_NOUNS).get(word.rsplit(maxsplit=1)[-1], "none")


def particle(word: str, kind: str) -> str:
    """`word` with a particle attached, in the form its final sound takes (도커를, 파드의, 설정으로)."""
    sound = final_sound(word)
    forms = {
        "topic": ("은", "는"),
        "subj": ("이", "가"),
        "obj": ("을", "를"),
        "comit": ("과", "와"),
        "instr": ("으로", "로"),
    }
    if kind in forms:
        with_consonant, with_vowel = forms[kind]
        if kind == "instr" and sound == "rieul":
            return word + with_vowel
        return word + (with_consonant if sound != "none" else with_vowel)
    return word + {"gen": "의", "loc": "에", "from": "에서", "also": "도", "only": "만", "like": "처럼"}[kind]


@dataclass
class Writer:
    """Draws words and sentences from one post's random generator."""

    rng: random.Random

    def noun(self) -> str:
        if self.rng.random() < 0.25:
            return self.rng.choice(LATIN_NOUNS)[0]
        return self.rng.choice(HANGUL_NOUNS)

    def phrase(self) -> str:
        """A noun, sometimes with a modifier in front (오래된 이미지)."""
        noun = self.noun()
        return f"{self.rng.choice(MODIFIERS)} {noun}" if self.rng.random() < 0.3 else noun

    def sentence(self) -> str:
        rng = self.rng
        templates: Sequence[Callable[[], str]] = (
            lambda: (
                f"{particle(self.phrase(), 'topic')} {particle(self.phrase(), 'obj')} "
                f"{rng.choice(ADVERBS)} {rng.choice(VERBS)[0]}."
            ),
            lambda: f"{particle(self.noun(), 'gen')} {particle(self.phrase(), 'topic')} {rng.choice(DESCRIPTIONS)}.",
            lambda: (
                f"{rng.choice(CONNECTIVES)} {particle(self.noun(), 'subj')} {particle(self.phrase(), 'obj')} "
                f"{rng.choice(VERBS)[1]}, {particle(self.noun(), 'topic')} {particle(self.noun(), 'instr')} "
                f"{rng.choice(VERBS)[0]}."
            ),
            lambda: (
                f"{particle(self.phrase(), 'obj')} {rng.choice(VERBS)[2]} {particle(self.noun(), 'subj')} "
                f"{particle(self.noun(), 'loc')} {rng.choice(VERBS)[0]}."
            ),
            lambda: (
                f"{particle(self.noun(), 'topic')} {particle(self.noun(), 'comit')} "
                f"{particle(self.phrase(), 'obj')} 함께 {rng.choice(VERBS)[0]}."
            ),
            lambda: (
                f"`{rng.choice(COMMANDS)}` 명령으로 {particle(self.noun(), 'gen')} "
                f"{particle(self.noun(), 'obj')} {rng.choice(VERBS)[0]}."
            ),
            lambda: (
                f"{particle(self.noun(), 'from')} {particle(self.noun(), 'subj')} {rng.choice(ADVERBS)} "
                f"{rng.choice(DESCRIPTIONS)}."
            ),
        )
        if rng.random() < 0.015:
            return rng.choice(FIXED_SENTENCES)
        return rng.choice(templates)()

    def heading(self) -> str:
        """Heading text of words and spaces only, so its slug is simply `text.lower()` with dashes."""
        a, b = self.noun(), self.noun()
        return self.rng.choice(
            (
                f"{particle(a, 'comit')} {b}",
                f"{particle(a, 'gen')} {b}",
                f"{a} 다루기",
                f"{particle(a, 'obj')} 쓰는 이유",
                f"{a} 정리",
                f"{particle(a, 'instr')} {b} 관리하기",
                f"{particle(a, 'subj')} 동작하는 방식",
            )
        )


def words(text: str) -> int:
    return len(text.split())


def slug(heading: str) -> str:
    """MyST's default slug for a heading made of words and spaces (what `#anchor` links use)."""
    return heading.strip().lower().replace(" ", "-")


# --- code blocks and images in the post ---------------------------------------------------------


def code_block(rng: random.Random) -> list[str]:
    """A fenced block whose `#` comment lines look like headings to a naive converter."""
    name, other = rng.sample(NAMES, 2)
    version = f"1.{rng.randint(0, 9)}.{rng.randint(0, 20)}"
    comment = f"# {rng.choice(COMMENTS)}"
    blocks = {
        "bash": [
            comment,
            f"docker build -t {name}:{version} .",
            f"docker run -d --name {name} -p {rng.randint(3000, 9000)}:80 {name}:{version}",
            f"# {rng.choice(COMMENTS)}",
            f"kubectl get pods -n {other} -l app={name}",
            f"kubectl logs deploy/{name} -n {other} --tail=50",
        ],
        "yaml": [
            comment,
            "apiVersion: apps/v1",
            "kind: Deployment",
            "metadata:",
            f"  name: {name}",
            "spec:",
            f"  replicas: {rng.randint(1, 5)}",
            "  template:",
            "    spec:",
            "      containers:",
            f"        - name: {name}",
            f"          image: ghcr.io/example/{name}:{version}",
            "          # requests는 스케줄러가, limits는 cgroup이 본다",
            "          resources:",
            f"            requests: {{cpu: {rng.choice(('100m', '250m', '500m'))}, memory: 128Mi}}",
        ],
        "dockerfile": [
            "FROM python:3.12-slim",
            comment,
            "RUN useradd --create-home app",
            "WORKDIR /home/app",
            "COPY requirements.txt .",
            "RUN pip install --no-cache-dir -r requirements.txt",
            f"# {rng.choice(COMMENTS)}",
            "COPY . .",
            f'CMD ["python", "{name}.py"]',
        ],
    }
    language = rng.choice(tuple(blocks))
    return [f"```{language}", *blocks[language], "```"]


def img_tag(rng: random.Random) -> list[str]:
    """One `<img>` as the blog wrote them: double or single quotes, self-closing, centred, extra attributes."""
    src = f"../../static/image/{rng.choice(IMAGE_NAMES)}"
    alt = rng.choice(ALT_TEXTS)
    width = rng.choice((480, 600, 680, 720))
    variants = (
        [f'<img src="{src}" width="{width}">'],
        [f"<img src='{src}' height='{rng.choice((240, 300, 360))}' alt='{alt}' />"],
        [f'<img src="{src}" alt="{alt}" width="{width}"/>'],
        ['<p align="center">', f'  <img src="{src}" width="{width}" alt="{alt}">', "</p>"],
        [f'<img src="{src}" width="{width}" alt="{alt}" loading="lazy">'],
    )
    return rng.choice(variants)


# --- posts --------------------------------------------------------------------------------------


@dataclass
class Published:
    """What later posts may link to: an earlier post's file stem, title and heading slugs."""

    stem: str
    title: str
    headings: list[str] = field(default_factory=list)


def post_stem(index: int) -> str:
    return f"bench-{index:05d}"


def date_text(rng: random.Random, index: int) -> str:
    """Dates move forward with the index (new posts are newest), in the blog's four spellings."""
    date = FIRST_DATE + dt.timedelta(days=index * 3 + rng.randint(0, 2))
    return rng.choice(
        (
            f'"{date.year}.{date.month:02d}.{date.day:02d}"',
            f'"{date.year}.{date.month}.{date.day}"',
            date.isoformat(),
            f'"{date.isoformat()}"',
        )
    )


def front_matter(rng: random.Random, index: int, title: str, subtitle: str) -> list[str]:
    lines = [
        "---",
        f"id: {index}",
        f'title: "[{rng.choice(CATEGORIES)}] {title}"',
        f'subtitle: "{subtitle}"',
        f"date: {date_text(rng, index)}",
        f'thumbnail: "{rng.choice(IMAGE_NAMES)}"',
    ]
    if rng.random() < 0.4:
        rng.sample(TAG_WORDS, rng.randint(1, 3))  # drawn as before, so the rest of the post stays the same
    return [*lines, *tags_and_series(index), "---"]


TAG_POOL: tuple[str, ...] = tuple(
    dict.fromkeys([*TAG_WORDS, *(n.replace(" ", "-") for n in HANGUL_NOUNS), *(n.lower() for n, _ in LATIN_NOUNS)])
)[:100]
"""About 100 distinct tags, Korean and English, as a blog of 1,000 posts has."""
SERIES_EVERY = 5
SERIES_LENGTH = 10


def tags_and_series(index: int) -> list[str]:
    """1-3 tags for most posts (from their own random stream, so the posts' text does not change
    with them), and every fifth post in a series of ten, numbered."""
    rng = random.Random(f"tags-{index}")
    lines = []
    if rng.random() < 0.9:
        lines.append(f"tags: [{', '.join(rng.sample(TAG_POOL, rng.randint(1, 3)))}]")
    if index % SERIES_EVERY == 0:
        number = index // SERIES_EVERY - 1
        lines += [f'series: "연재 {number // SERIES_LENGTH + 1}"', f"series_order: {number % SERIES_LENGTH + 1}"]
    return lines


def heading_levels(rng: random.Random) -> list[int]:
    """2-4 headings starting at `#`, never more than one level deeper than the one before."""
    levels = [1]
    for _ in range(rng.randint(1, 3)):
        levels.append(rng.randint(1, min(levels[-1] + 1, 3)))
    return levels


def paragraph(writer: Writer, budget: int, one_per_line: bool) -> tuple[list[str], int]:
    """Sentences up to about `budget` words: one line each (as intros are) or one long line."""
    sentences: list[str] = []
    count = 0
    while count < budget:
        sentence = writer.sentence()
        sentences.append(sentence)
        count += words(sentence)
    return (sentences if one_per_line else [" ".join(sentences)]), count


def link_sentence(rng: random.Random, earlier: Published) -> str:
    """A link to an earlier post, sometimes to one of its sections, as the real posts write them."""
    if earlier.headings and rng.random() < 0.4:
        heading = rng.choice(earlier.headings)
        return f"{heading} 부분은 [앞에서 정리한 글]({earlier.stem}.md#{slug(heading)})에 자세히 적어 두었습니다."
    return f"관련된 내용은 [{earlier.title}](./{earlier.stem}.md)에서 먼저 다뤘습니다."


@dataclass
class Section:
    """One heading and what goes under it."""

    level: int
    heading: str
    extras: list[list[str]] = field(default_factory=list)


def plan_sections(writer: Writer, title: str) -> list[Section]:
    """Headings (unique in the post and different from its title), then images and code spread over them."""
    rng = writer.rng
    sections: list[Section] = []
    for level in heading_levels(rng):
        text = writer.heading()
        while text == title or any(text == s.heading for s in sections):
            text = writer.heading()
        sections.append(Section(level, text))
    extras = [img_tag(rng) for _ in range(rng.randint(0, 2))] + [code_block(rng) for _ in range(rng.randint(1, 3))]
    for extra in extras:
        rng.choice(sections).extras.append(extra)
    return sections


def subtitle_text(writer: Writer) -> str:
    a, b = writer.noun(), writer.noun()
    return writer.rng.choice(
        (
            f"{a}부터 {b}까지",
            f"{particle(a, 'obj')} 다루는 법과 {b} 정리",
            f"{particle(a, 'comit')} {b}, 그리고 {writer.noun()}",
            f"{a} 한 줄이 {particle(b, 'loc')} 남기는 것",
        )
    )


def render_post(index: int, seed: int, earlier: list[Published]) -> tuple[str, Published]:
    """The text of post `index` and what later posts may link to in it."""
    rng = random.Random(f"bench-posts:{seed}:{index}")
    writer = Writer(rng)
    title = f"{particle(writer.noun(), 'comit')} {writer.noun()} {rng.choice(('정리', '이해하기', '공부', '메모'))}"
    subtitle = subtitle_text(writer)
    sections = plan_sections(writer, title)
    target = rng.randint(1050, 1150) - words(title) - words(subtitle)
    budget = target // len(sections)
    link = link_sentence(rng, rng.choice(earlier)) if earlier and rng.random() < 0.35 else None
    lines = [*front_matter(rng, index, title, subtitle), img_tag_cover(rng), "", "#"]
    for number, section in enumerate(sections):
        last = number == len(sections) - 1
        bullets = summary(writer) if last and rng.random() < 0.5 else []
        lines += section_lines(writer, section, budget - words(section.heading) - words(" ".join(bullets)), number == 0)
        if link and last:
            lines += ["", link]
        lines += bullets
    text = "\n".join(lines).rstrip("\n") + "\n"
    return text, Published(post_stem(index), title, [s.heading for s in sections])


def img_tag_cover(rng: random.Random) -> str:
    """The cover image every real post opens with."""
    return f'<img src="../../static/image/{rng.choice(IMAGE_NAMES)}" width="600">'


def section_lines(writer: Writer, section: Section, budget: int, first: bool) -> list[str]:
    """A section in the blog's layout: `#` spacers around headings, `---` before top-level ones.

    The first section opens with the intro, one sentence per line as the real posts do;
    other paragraphs are one long line. Images and code sit between paragraphs.
    """
    rng = writer.rng
    lines: list[str] = []
    if not first:
        lines += ["#", "---", "#"] if section.level == 1 and rng.random() < 0.6 else ["#"]
    lines += [f"{'#' * section.level} {section.heading}", "" if first else "#"]
    extras = list(section.extras)
    spent = 0
    intro = first
    while spent < budget or extras:
        size = rng.randint(18, 24) if intro else rng.randint(40, 110)
        text, count = paragraph(writer, min(size, max(budget - spent, 12)), one_per_line=intro)
        lines += text
        spent += count
        intro = False
        if extras and (spent >= budget or rng.random() < 0.5):
            lines += ["", *extras.pop(0), "", "#"]
        elif spent < budget or extras:
            lines.append(rng.choice(("", "", "#")))
    return lines


def summary(writer: Writer) -> list[str]:
    """The bullet list many real posts end with (under their last heading)."""
    return ["", *(f"- {writer.sentence()}" for _ in range(writer.rng.randint(3, 4)))]


def render_posts(count: int, seed: int) -> list[tuple[str, str]]:
    """(file stem, text) of posts 1..count; each post only depends on the seed and its index."""
    earlier: list[Published] = []
    result = []
    for index in range(1, count + 1):
        text, published = render_post(index, seed, earlier)
        earlier.append(published)
        result.append((published.stem, text))
    return result


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


def generate(target: Path, count: int, seed: int = 0) -> list[Path]:
    """Write posts bench-00001.md .. into `target`/posts and the shared images into static/image."""
    write_images(target)
    return [_write(target / POSTS_DIR / f"{stem}.md", text) for stem, text in render_posts(count, seed)]


def add_post(target: Path, index: int, seed: int = 0) -> Path:
    """Write only post `index` (as `generate` would have), e.g. to measure adding one post."""
    write_images(target)
    stem, text = render_posts(index, seed)[-1]
    return _write(target / POSTS_DIR / f"{stem}.md", text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate benchmark posts in the blog's shape.")
    parser.add_argument("--posts", type=int, default=500, help="how many posts (default 500)")
    parser.add_argument("--out", type=Path, required=True, help="project root: writes OUT/posts and OUT/static/image")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    if args.posts < 1:
        parser.error("--posts must be at least 1")
    paths = generate(args.out, args.posts, args.seed)
    print(f"wrote {len(paths)} posts to {args.out / POSTS_DIR}, {len(IMAGE_NAMES)} images to {args.out / IMAGES_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
