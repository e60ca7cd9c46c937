"""Build congvan's test fixtures from corpus texts, reproducibly.

    .venv/bin/python samples/build_fixtures.py               # the small fixtures → samples/fixtures/
    .venv/bin/python samples/build_fixtures.py --scans DIR   # and the scan-like ones → DIR

Small fixtures, committed under `samples/fixtures/` (`manifest.json` says what each is made of):
- `044_header-table-numbering.docx`: a Kế hoạch as Word lays one out: the header in a borderless
  two-column table, numbered items as Word numbering ("List Number": the "1." is not in the text),
  "- " items as Word bullets;
- `s02_tcvn3.docx`: a công văn typed in the legacy TCVN3 (ABC) encoding with .VnTime/.VnTimeH
  fonts, as old Word files are: the XML holds the 8-bit codes, upper case comes from the H font;
- `044_libreoffice.pdf`: the first DOCX exported by LibreOffice (only when `soffice` exists).

Scan-like fixtures, large, generated where asked (the tests use a temporary folder): each
corpus text rendered as printed A4 pages (Liberation Serif 13 pt, Nghị định 30 margins, the
name block and quốc hiệu side by side) at 200 and 300 dpi, turned ±2°, with paper noise and
blur, a blue signature and a red round seal over the signature block; as PNG pages, a
multi-page TIFF and a PDF of JPEG pages (and `mixed_text-then-scan.pdf`: the LibreOffice page,
then scanned pages); beside each, `<name>.gt.txt`: the printed text in
reading order (rows of the two-column header left then right), the truth for CER.

Everything random comes from one seed: the same seed and Pillow version give the same bytes.
(LibreOffice stamps the time into its PDFs: that one file differs from run to run.)
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import math
import random
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import zip_longest
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
FIXTURES = SAMPLES / "fixtures"
CORPUS_TEXTS = REPO.parent / "shared" / "corpus" / "text"
SEED = 20260420

FONT_DIRS = [Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation"),
             Path("/usr/share/fonts/truetype/dejavu")]
FONT_FILES = {
    "regular": ["LiberationSerif-Regular.ttf", "DejaVuSerif.ttf"],
    "bold": ["LiberationSerif-Bold.ttf", "DejaVuSerif-Bold.ttf"],
    "italic": ["LiberationSerif-Italic.ttf", "DejaVuSerif-Italic.ttf"],
}
POINT_SIZE = 13
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}  # Nghị định 30/2020, Phụ lục I
A4_MM = (210, 297)

PAPER = (250, 249, 245)
SEAL_RED = (205, 35, 45)
SIGNATURE_BLUE = (25, 55, 165)


def source_text(stem: str) -> Path:
    """samples/<stem>*.txt, else the shared corpus's text/<stem>*.txt."""
    for folder in (SAMPLES, CORPUS_TEXTS):
        found = sorted(folder.glob(f"{stem}*.txt")) if folder.is_dir() else []
        if found:
            return found[0]
    raise FileNotFoundError(f"no corpus text {stem}*.txt in {SAMPLES} or {CORPUS_TEXTS}")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- the parts of a dispatch text

BODY_START = re.compile(
    r"^(?:Kính\s+gửi|KẾ\s+HOẠCH|QUYẾT\s+ĐỊNH|CHỈ\s+THỊ|THÔNG\s+BÁO|BÁO\s+CÁO|CÔNG\s+ĐIỆN|HƯỚNG\s+DẪN|"
    r"GIẤY\s+MỜI|NGHỊ\s+QUYẾT|TỜ\s+TRÌNH|CÔNG\s+VĂN)")
MOTTO = re.compile(r"C[ỘO]NG\s*H[ÒO]A|CH[ỦU]\s*NGH[ĨI]A|Độc\s*lập")
RULE = re.compile(r"^[-_=.]{3,}$")
DATE_LINE = re.compile(r",\s*ngày\b|^ngày\s+\S+\s+tháng")
DATE_TAIL = re.compile(r"^tháng\s+\S+\s+năm\s+\d{4}")
MOTTO_HEAD = re.compile(r"C[ỘO]NG\s*H[ÒO]A\s*X[ÃA]\s*H[ỘO]I$")
MOTTO_TAIL = re.compile(r"^CH[ỦU]\s*NGH[ĨI]A\s*VI[ỆE]T\s*NAM")
PLACE_TAIL = re.compile(r"^[^\s,]+,\s*ngày\b")
NUMBER_LINE = re.compile(r"^S[ốỐ]\s*:?")
AUTHORITY = re.compile(r"^(?:KT|TM|TL|TUQ|Q)\.\s")
HEADER_MAX_LINES = 16
MARKDOWN_EMPHASIS = re.compile(r"\*\*|__")  # a portal copy's bold marks: not printed


@dataclass
class Parts:
    left: list[str] = field(default_factory=list)   # name block, number, V/v: the left column
    right: list[str] = field(default_factory=list)  # quốc hiệu, place and date: the right column
    body: list[str] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)


def _header_end(lines: list[str]) -> int:
    for i, line in enumerate(lines[:HEADER_MAX_LINES]):
        if BODY_START.match(line):
            return i
    return 0


def _is_right(lines: list[str], i: int, previous_right: bool) -> bool:
    line = lines[i]
    if MOTTO.search(line) or DATE_LINE.search(line):
        return True
    if previous_right and (RULE.match(line) or DATE_TAIL.match(line)):
        return True
    return i + 1 < len(lines) and bool(PLACE_TAIL.match(lines[i + 1]))


def _signature_start(lines: list[str]) -> int | None:
    """Where the closing signature block begins: authority or title lines, then a name."""
    if not lines or len(lines[-1]) > 40 or not lines[-1][:1].isupper() or lines[-1].isupper():
        return None
    for i in range(len(lines) - 2, max(len(lines) - 5, -1), -1):
        if AUTHORITY.match(lines[i]):
            return i
    if len(lines) >= 2 and lines[-2].isupper() and len(lines[-2]) <= 40:
        return len(lines) - 2
    return None


def _join_date(lines: list[str]) -> list[str]:
    """The quốc hiệu, and a place and date, are each printed on one line: join the pieces a
    portal copy wrapped."""
    joined: list[str] = []
    for line in lines:
        if joined and MOTTO_TAIL.match(line) and MOTTO_HEAD.search(joined[-1]):
            joined[-1] = f"{joined[-1]} {line}"
        elif joined and (DATE_TAIL.match(line) and "ngày" in joined[-1] and "năm" not in joined[-1]
                       or PLACE_TAIL.match(line) and not joined[-1].endswith((".", ";", ":"))
                       and not joined[-1].isupper()):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


def split_parts(text: str) -> Parts:
    lines = [MARKDOWN_EMPHASIS.sub("", line).strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    parts = Parts()
    end = _header_end(lines)
    lines = _join_date(lines[:end]) + lines[end:]
    end = _header_end(lines)
    previous = False
    for i in range(end):
        previous = _is_right(lines[:end], i, previous)
        (parts.right if previous else parts.left).append(lines[i])
    rest = lines[end:]
    start = _signature_start(rest)
    parts.body, parts.signature = (rest, []) if start is None else (rest[:start], rest[start:])
    return parts


# ---------------------------------------------------------------- layout (in pixels, at a dpi)

def font_path(style: str) -> Path:
    for folder in FONT_DIRS:
        for name in FONT_FILES[style]:
            if (folder / name).is_file():
                return folder / name
    raise FileNotFoundError(f"no {style} serif font with Vietnamese letters: apt-get install fonts-liberation2")


@dataclass(frozen=True)
class Item:
    text: str
    style: str        # regular, bold, italic
    x0: int           # the box the text sits in, left and right edge
    x1: int
    align: str = "left"


@dataclass
class Row:
    items: list[Item]
    height: int
    signature_gap: bool = False  # the space above the signer's name, where the signature goes


class Layout:
    def __init__(self, dpi: int):
        self.dpi = dpi
        self.px = lambda mm: round(mm * dpi / 25.4)
        self.fonts = {s: ImageFont.truetype(str(font_path(s)), round(POINT_SIZE * dpi / 72)) for s in FONT_FILES}
        # the header is set a point smaller (Nghị định 30: name block and quốc hiệu 12–13 pt)
        self.fonts |= {"header-" + s: ImageFont.truetype(str(font_path(s)), round((POINT_SIZE - 1) * dpi / 72))
                       for s in FONT_FILES}
        self.width, self.height = self.px(A4_MM[0]), self.px(A4_MM[1])
        self.left, self.right = self.px(MARGINS_MM["left"]), self.width - self.px(MARGINS_MM["right"])
        self.line_height = round(POINT_SIZE * dpi / 72 * 1.35)

    def wrap(self, text: str, style: str, width: int) -> list[str]:
        font, lines, current = self.fonts[style], [], ""
        for word in text.split():
            trial = f"{current} {word}".strip()
            if current and font.getlength(trial) > width:
                lines.append(current)
                current = word
            else:
                current = trial
        return lines + [current] if current else lines

    def header_rows(self, parts: Parts) -> list[Row]:
        mid = self.left + round((self.right - self.left) * 0.44)

        def column(lines: list[str], x0: int, x1: int) -> tuple[list[Item], list[Item]]:
            split = next((i for i, line in enumerate(lines) if NUMBER_LINE.match(line) or DATE_LINE.search(line)),
                         len(lines))
            out = []
            for half in (lines[:split], lines[split:]):
                items = []
                for line in half:
                    if RULE.match(line):  # printed as a drawn rule, not as dashes
                        items.append(Item("", "rule", x0, x1, "center"))
                        continue
                    style = "header-" + ("italic" if DATE_LINE.search(line) or DATE_TAIL.match(line) else (
                        "bold" if line.isupper() or MOTTO.search(line) else "regular"))
                    items += [Item(w, style, x0, x1, "center") for w in self.wrap(line, style, x1 - x0)]
                out.append(items)
            return out[0], out[1]

        left_top, left_bottom = column(parts.left, self.left - self.px(12), mid - self.px(2))
        right_top, right_bottom = column(parts.right, mid + self.px(2), self.width - self.px(10))
        rows = []
        for top in (zip_longest(left_top, right_top), zip_longest(left_bottom, right_bottom)):
            rows += [Row([i for i in pair if i], self.line_height) for pair in top]
        return rows + [Row([], self.line_height // 2)] if rows else rows

    def body_rows(self, lines: list[str]) -> list[Row]:
        rows = []
        for line in lines:
            centred = line.isupper() and len(line) < 40 and not re.match(r"^[IVX\d]+\.", line)
            style = "bold" if centred else "regular"
            for piece in self.wrap(line, style, self.right - self.left):
                rows.append(Row([Item(piece, style, self.left, self.right, "center" if centred else "left")],
                                self.line_height))
        return rows

    def signature_rows(self, lines: list[str]) -> list[Row]:
        x0 = self.left + (self.right - self.left) // 2
        rows = [Row([], self.line_height // 2)]
        for i, line in enumerate(lines):
            if i == len(lines) - 1:
                rows.append(Row([], self.px(24), signature_gap=True))
            style = "regular" if i == len(lines) - 1 and not line.isupper() else "bold"
            rows += [Row([Item(piece, style, x0, self.right, "center")], self.line_height)
                     for piece in self.wrap(line, style, self.right - x0)]
        if not lines:
            rows.append(Row([], self.px(34), signature_gap=True))
        return rows

    def paginate(self, rows: list[Row]) -> list[list[Row]]:
        usable = self.height - self.px(MARGINS_MM["top"]) - self.px(MARGINS_MM["bottom"])
        pages, page, used = [], [], 0
        for row in rows:
            if page and used + row.height > usable:
                pages.append(page)
                page, used = [], 0
            page.append(row)
            used += row.height
        return pages + [page] if page else pages


# ---------------------------------------------------------------- drawing one page

def _multiply(page: np.ndarray, ink: Image.Image, colour: tuple[int, int, int]) -> None:
    """Lay coloured ink over the page as ink does: black print under it stays black."""
    alpha = np.asarray(ink, dtype=np.float32)[..., None] / 255
    tint = np.array(colour, dtype=np.float32) / 255
    page *= 1 - alpha * (1 - tint)


def draw_seal(size: int, rng: random.Random, font_file: Path, issuer: str) -> Image.Image:
    """An L-mode ink mask of a round seal: two rings, the issuer around them, a star inside."""
    ink = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(ink)
    c, r = size / 2, size / 2 - 2
    w = max(2, size // 90)
    d.ellipse([c - r, c - r, c + r, c + r], outline=235, width=w * 2)
    d.ellipse([c - r * 0.7, c - r * 0.7, c + r * 0.7, c + r * 0.7], outline=235, width=w)
    spikes = [(r * (0.22 if k % 2 == 0 else 0.09), k * math.pi / 5) for k in range(10)]
    star = [(c + rho * math.sin(phi), c - rho * math.cos(phi)) for rho, phi in spikes]
    d.polygon(star, fill=235)
    letters = issuer.upper()[:34]
    font = ImageFont.truetype(str(font_file), max(8, round(r * 0.17)))
    for k, ch in enumerate(letters):
        angle = -150 + 300 * k / max(1, len(letters) - 1)
        tile = Image.new("L", (round(r * 0.3), round(r * 0.3)), 0)
        ImageDraw.Draw(tile).text((tile.width / 2, tile.height / 2), ch, fill=235, font=font, anchor="mm")
        tile = tile.rotate(-angle, resample=Image.Resampling.BICUBIC)
        x = c + r * 0.85 * math.sin(math.radians(angle)) - tile.width / 2
        y = c - r * 0.85 * math.cos(math.radians(angle)) - tile.height / 2
        ink.paste(tile, (round(x), round(y)), tile)
    # uneven stamping: some of the ink did not take
    speckle = np.random.default_rng(rng.randrange(2**32)).random((size, size))
    holes = Image.fromarray(np.where(speckle > 0.3, 255, 140).astype(np.uint8), "L")
    return Image.composite(ink, Image.new("L", ink.size, 0), holes).filter(ImageFilter.GaussianBlur(size / 400))


def draw_signature(width: int, height: int, rng: random.Random) -> Image.Image:
    """An L-mode ink mask of a handwritten signature: a few looping pen strokes."""
    ink = Image.new("L", (width, height), 0)
    d = ImageDraw.Draw(ink)
    pen = max(2, width // 140)
    for stroke in range(3):
        x, y = width * (0.05 + 0.1 * stroke), height * rng.uniform(0.3, 0.7)
        points = []
        for _ in range(28):
            x += width * rng.uniform(0.01, 0.05)
            y = min(height * 0.95, max(height * 0.05, y + height * rng.uniform(-0.35, 0.35)))
            points.append((x, y))
        d.line(points, fill=230, width=pen, joint="curve")
    return ink.filter(ImageFilter.GaussianBlur(pen / 3))


@dataclass(frozen=True)
class ScanStyle:
    dpi: int = 300
    skew_deg: float = 2.0      # the sign alternates page by page
    noise: float = 9.0         # grey levels, standard deviation
    blur: float = 0.7          # pixels at 300 dpi
    seal: bool = True          # a red seal and a blue signature over the signature block
    speckles: float = 0.00015  # share of pixels turned to dark dots


def draw_page(layout: Layout, rows: list[Row], style: ScanStyle, rng: random.Random,
              issuer: str, page_index: int) -> Image.Image:
    page = Image.new("RGB", (layout.width, layout.height), PAPER)
    d = ImageDraw.Draw(page)
    y = layout.px(MARGINS_MM["top"])
    gaps = []
    for row in rows:
        if row.signature_gap:
            gaps.append(y)
        for item in row.items:
            if item.style == "rule":
                middle, half = (item.x0 + item.x1) / 2, (item.x1 - item.x0) / 5
                d.line([(middle - half, y + row.height // 3), (middle + half, y + row.height // 3)],
                       fill=(20, 20, 20), width=max(1, layout.px(0.3)))
                continue
            font = layout.fonts[item.style]
            width = font.getlength(item.text)
            x = item.x0 if item.align == "left" else item.x0 + (item.x1 - item.x0 - width) / 2
            d.text((x, y), item.text, fill=(20, 20, 20), font=font)
        y += row.height
    array = np.asarray(page, dtype=np.float32).copy()
    if style.seal and gaps:
        _stamp(array, layout, gaps[-1], rng, issuer)
    return _age(array, style, rng, page_index)


def _stamp(array: np.ndarray, layout: Layout, gap_top: int, rng: random.Random, issuer: str) -> None:
    x_mid = layout.left + (layout.right - layout.left) * 3 // 4
    sig_w, sig_h = layout.px(42), layout.px(20)
    signature = draw_signature(sig_w, sig_h, rng)
    sx, sy = x_mid - sig_w // 2 + layout.px(6), gap_top + layout.px(2)
    _paste_ink(array, signature, sx, sy, SIGNATURE_BLUE)
    size = layout.px(36)
    seal = draw_seal(size, rng, font_path("bold"), issuer)
    cx, cy = x_mid - layout.px(16), gap_top + layout.px(4)  # over the title's left half, as stamped
    _paste_ink(array, seal, cx - size // 2, cy - size // 2, SEAL_RED)


def _paste_ink(array: np.ndarray, ink: Image.Image, x: int, y: int, colour: tuple[int, int, int]) -> None:
    h, w = array.shape[:2]
    x0, y0, x1, y1 = max(0, x), max(0, y), min(w, x + ink.width), min(h, y + ink.height)
    if x1 <= x0 or y1 <= y0:
        return
    crop = ink.crop((x0 - x, y0 - y, x1 - x, y1 - y))
    region = array[y0:y1, x0:x1]
    _multiply(region, crop, colour)


def _age(array: np.ndarray, style: ScanStyle, rng: random.Random, page_index: int) -> Image.Image:
    """Blur, noise, speckles and the turn of a sheet fed askew: what a scanner adds."""
    np_rng = np.random.default_rng(rng.randrange(2**32))
    image = Image.fromarray(np.clip(array, 0, 255).astype(np.uint8), "RGB")
    if style.blur:
        image = image.filter(ImageFilter.GaussianBlur(style.blur * style.dpi / 300))
    array = np.asarray(image, dtype=np.float32).copy()
    if style.noise:
        array += (np_rng.standard_normal(array.shape[:2], dtype=np.float32) * style.noise)[..., None]
    if style.speckles:
        spots = np_rng.random(array.shape[:2]) < style.speckles
        array[spots] = np_rng.uniform(30, 120, (int(spots.sum()), 1))
    image = Image.fromarray(np.clip(array, 0, 255).astype(np.uint8), "RGB")
    if style.skew_deg:
        angle = style.skew_deg if page_index % 2 == 0 else -style.skew_deg
        image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=PAPER)
    return image


# ---------------------------------------------------------------- a text as scanned pages

@dataclass
class Scan:
    pages: list[Image.Image]
    page_truths: list[str]  # the printed text of each page in reading order, lines as printed

    @property
    def truth(self) -> str:
        return "\n".join(self.page_truths)


def rows_truth(rows: list[Row]) -> list[str]:
    lines = [" ".join(item.text for item in row.items if item.text) for row in rows]
    return [line for line in lines if line]


def render_scan(text: str, style: ScanStyle = ScanStyle(), seed: int = SEED) -> Scan:
    """`text` printed on A4 pages and scanned as `style` says."""
    rng = random.Random(seed)
    layout = Layout(style.dpi)
    parts = split_parts(text)
    rows = layout.header_rows(parts) + layout.body_rows(parts.body) + layout.signature_rows(parts.signature)
    issuer = next((line for line in parts.left if line.isupper()), "CƠ QUAN BAN HÀNH")
    pages = layout.paginate(rows)
    images = [draw_page(layout, page, style, rng, issuer, i) for i, page in enumerate(pages)]
    return Scan(images, ["\n".join(rows_truth(page)) for page in pages])


def save_png(image: Image.Image, path: Path, dpi: int) -> None:
    # a copy: Pillow keeps the PNG encoder's settings on a saved image, which breaks a later
    # multi-page TIFF that appends it
    image.copy().save(path, format="PNG", dpi=(dpi, dpi), compress_level=6)


def save_tiff(images: list[Image.Image], path: Path, dpi: int) -> None:
    images[0].save(path, format="TIFF", save_all=True, append_images=images[1:], dpi=(dpi, dpi),
                   compression="tiff_deflate")


def save_pdf(images: list[Image.Image], path: Path, dpi: int) -> None:
    """A scanner's PDF: one JPEG image per page, no text layer."""
    jpegs = []
    for image in images:
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=85, dpi=(dpi, dpi))
        jpegs.append(Image.open(io.BytesIO(buffer.getvalue())))
    jpegs[0].save(path, format="PDF", save_all=True, append_images=jpegs[1:], resolution=float(dpi))


# ---------------------------------------------------------------- Word files

TCVN3_LOWER = ("àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ",
               "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\xadõøö÷ùúýûüþ")
TCVN3_UPPER = ("ĂÂĐÊÔƠƯ", "¡¢§£¤¥¦")  # the only capitals TCVN3 encodes; the rest need the .VnTimeH font
assert all(len(a) == len(b) for a, b in (TCVN3_LOWER, TCVN3_UPPER))
TO_TCVN3 = {**dict(zip(*TCVN3_LOWER)), **dict(zip(*TCVN3_UPPER))}


def tcvn3_runs(text: str) -> list[tuple[str, str]]:
    """(TCVN3 text, font) runs: .VnTime, or .VnTimeH (its lower-case codes drawn as capitals)
    for capitals TCVN3 cannot encode and for whole upper-case words."""
    runs: list[tuple[str, str]] = []
    for token in re.split(r"(\s+)", text):
        needs_h = any(ch.isupper() and ch not in TO_TCVN3 and ch.lower() in TO_TCVN3 for ch in token)
        if needs_h and token.isupper():
            chars = [(TO_TCVN3.get(ch.lower(), ch.lower()), ".VnTimeH") for ch in token]
        else:
            chars = [((TO_TCVN3.get(ch.lower(), ch), ".VnTimeH") if ch.isupper() and ch not in TO_TCVN3
                      and ch.lower() in TO_TCVN3 else (TO_TCVN3.get(ch, ch), ".VnTime")) for ch in token]
        for code, font in chars:
            if runs and runs[-1][1] == font:
                runs[-1] = (runs[-1][0] + code, font)
            else:
                runs.append((code, font))
    return runs


def _borderless(table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _set_font(run, name: str) -> None:
    from docx.oxml.ns import qn

    run.font.name = name
    run.element.rPr.rFonts.set(qn("w:eastAsia"), name)
    run.element.rPr.rFonts.set(qn("w:cs"), name)


def _add_text(paragraph, text: str, tcvn3: bool, bold: bool = False, size: int = POINT_SIZE) -> None:
    from docx.shared import Pt

    for chunk, font in tcvn3_runs(text) if tcvn3 else [(text, "Times New Roman")]:
        run = paragraph.add_run(chunk)
        run.bold = bold
        run.font.size = Pt(size)
        _set_font(run, font)


NUMBERED = re.compile(r"^\d+\.\s+(?=\S)")
BULLET = re.compile(r"^[-–+]\s+(?=\S)")


def build_docx(text: str, path: Path, tcvn3: bool = False) -> None:
    """A dispatch as Word lays it out: header table, then paragraphs with Word numbering."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    document = docx.Document()
    parts = split_parts(text)
    table = document.add_table(rows=0, cols=2)
    table.autofit = False
    _borderless(table)
    for left, right in zip_longest(parts.left, parts.right):
        cells = table.add_row().cells
        for cell, line, width in zip(cells, (left, right), (Cm(7), Cm(9.5))):
            cell.width = width
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if line:
                _add_text(paragraph, line, tcvn3, bold=line.isupper() or bool(MOTTO.search(line)), size=POINT_SIZE - 1)
    for line in parts.body + parts.signature:
        numbered, bullet = NUMBERED.match(line), BULLET.match(line)
        style = "List Number" if numbered else "List Bullet" if bullet else None
        paragraph = document.add_paragraph(style=style)
        body = line[(numbered or bullet).end():] if (numbered or bullet) else line
        _add_text(paragraph, body, tcvn3, bold=line.isupper() and len(line) < 60)
    for column, width in zip(table.columns, (Cm(7), Cm(9.5))):
        column.width = width
    core = document.core_properties
    core.author, core.title = "congvan fixtures", path.stem
    core.created = core.modified = core.last_printed = datetime(2026, 1, 1, tzinfo=timezone.utc)
    core.revision = 1
    document.save(str(path))
    _fix_zip_times(path)


def _fix_zip_times(path: Path) -> None:
    """Rewrite a DOCX with fixed member times and order, so the same input gives the same bytes."""
    import zipfile

    with zipfile.ZipFile(path) as src:
        members = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data)


def export_pdf(docx_path: Path, pdf_path: Path) -> bool:
    """LibreOffice's PDF of a DOCX; False when LibreOffice is not installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return False
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp, "profile").as_uri()
        subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", tmp, str(docx_path)], check=True, capture_output=True, timeout=180)
        shutil.move(Path(tmp, docx_path.stem + ".pdf"), pdf_path)
    return True


# ---------------------------------------------------------------- the sets

SMALL = {  # file → (corpus stem, what it is)
    "044_header-table-numbering.docx": ("044", "DOCX: header table, Word numbering and bullets"),
    "s02_tcvn3.docx": ("s02", "DOCX in TCVN3 (ABC) bytes with .VnTime / .VnTimeH fonts"),
    "044_libreoffice.pdf": ("044", "PDF exported by LibreOffice from 044_header-table-numbering.docx"),
}
SCAN_STEMS = ("s02", "048", "044", "051")
SCAN_STYLES = {
    "300dpi": ScanStyle(dpi=300),
    "200dpi": ScanStyle(dpi=200),
}


def build_small(out: Path = FIXTURES) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    made = {}
    for name, (stem, what) in SMALL.items():
        path, source = out / name, source_text(stem)
        if name.endswith(".docx"):
            build_docx(source.read_text(encoding="utf-8"), path, tcvn3="tcvn3" in name)
        elif not export_pdf(out / "044_header-table-numbering.docx", path):
            print(f"skipped {name}: LibreOffice (soffice) is not installed", file=sys.stderr)
            continue
        made[name] = {"source": source.name, "what": what, "sha256": sha256(path)}
    (out / "manifest.json").write_text(json.dumps(made, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return made


def build_scans(out: Path, stems=SCAN_STEMS, styles=None, seed: int = SEED, formats=("png", "tif", "pdf")) -> dict:
    """Scan-like fixtures of each corpus text in each style: `<stem>_<style>` + .png/.tif/.pdf/.gt.txt."""
    out.mkdir(parents=True, exist_ok=True)
    made = {}
    for stem in stems:
        source = source_text(stem)
        for label, style in (styles or SCAN_STYLES).items():
            scan = render_scan(source.read_text(encoding="utf-8"), style, seed)
            base = out / f"{stem}_{label}"
            files = []
            if "png" in formats:
                for i, image in enumerate(scan.pages, start=1):
                    save_png(image, base.with_name(f"{base.name}_p{i}.png"), style.dpi)
                    files.append(f"{base.name}_p{i}.png")
            if "tif" in formats:
                save_tiff(scan.pages, base.with_suffix(".tif"), style.dpi)
                files.append(base.name + ".tif")
            if "pdf" in formats:
                save_pdf(scan.pages, base.with_suffix(".pdf"), style.dpi)
                files.append(base.name + ".pdf")
            base.with_suffix(".gt.txt").write_text(scan.truth + "\n", encoding="utf-8")
            made[base.name] = {"source": source.name, "pages": len(scan.pages), "dpi": style.dpi,
                               "files": files, "truth": base.name + ".gt.txt"}
    text_pdf, scan_pdf = FIXTURES / "044_libreoffice.pdf", out / f"{stems[0]}_{next(iter(styles or SCAN_STYLES))}.pdf"
    if "pdf" in formats and text_pdf.exists() and scan_pdf.exists():
        build_mixed_pdf(text_pdf, scan_pdf, out / "mixed_text-then-scan.pdf")
        made["mixed_text-then-scan"] = {"source": f"{text_pdf.name} page 1 + {scan_pdf.name}",
                                        "files": ["mixed_text-then-scan.pdf"]}
    (out / "scans.json").write_text(json.dumps(made, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return made


def build_mixed_pdf(text_pdf: Path, scan_pdf: Path, out: Path) -> Path:
    """A mixed PDF, as offices send them: the first page of `text_pdf` (a text layer), then
    every page of `scan_pdf` (images only): the PDF reader must decide page by page."""
    import pypdfium2 as pdfium

    mixed = pdfium.PdfDocument.new()
    with pdfium.PdfDocument(str(text_pdf)) as text, pdfium.PdfDocument(str(scan_pdf)) as scan:
        mixed.import_pages(text, [0])
        mixed.import_pages(scan)
        mixed.save(str(out))
    mixed.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=FIXTURES, help="folder for the small fixtures")
    parser.add_argument("--scans", type=Path, help="also build the scan-like fixtures into this folder")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    for name, entry in build_small(args.out).items():
        print(f"{args.out / name}  ({entry['what']})")
    if args.scans:
        for name, entry in build_scans(args.scans, seed=args.seed).items():
            print(f"{args.scans / name}: {entry['pages']} pages at {entry['dpi']} dpi")
    return 0


if __name__ == "__main__":
    sys.exit(main())
