"""Make a scanned page easy for Tesseract, in plain image steps run in a fixed order.

`prepare_page` runs them: resolution to ~300 dpi; coloured ink (red seal, blue signature,
handwritten number and day, initials) blanked by colour, leaving the black print under it;
grey scale; paper flattened to white; skew measured and undone; straight rules and borders
erased. Each step is a small function from image to image, testable alone; what they did is
returned beside the image (`Prepared`). Turning a page that lies on its side needs Tesseract's
OSD, so `ocr.py` does it only when a page reads badly (`turn` is the step it uses).

Measured on the rendered fixtures and the real scans F01/F13 (benchmarks/read.py): colour
suppression lowers CER on signature pages and turns handwriting junk into a blank; flattening
rescued short lines on noisy, mostly blank pages; erasing rules removed '——' junk from headers;
together they cost ~0.25 s a page and Tesseract runs faster on the cleaned page.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from PIL import Image

from pipeline.read.ocr_tables import TableGrid, find_tables

A4_LONG_IN = 11.69  # inches: the long side of an A4 sheet, for scans that state no resolution
MM_PER_IN = 25.4


@dataclass(frozen=True)
class PrepSettings:
    target_dpi: int = 300
    resample_tolerance: float = 0.15  # leave a page alone within ±15 % of the target
    max_upscale: float = 2.0
    suppress_colour: bool = True
    # HSV (Pillow's 0–255 scale): ink counts as coloured above this saturation and value ...
    min_saturation: int = 70
    min_value: int = 60
    print_value: int = 100  # tinted pixels darker than this look like print, not ink
    # ... and red, violet or blue: hue outside the yellow–green–cyan band
    keep_hues: tuple[int, int] = (18, 125)
    # a coloured mark at least this tall and wide is ink laid on the print (seal, signature,
    # a handwritten number or day, initials): Tesseract reads it as junk, so it goes; smaller
    # specks are scanner colour noise and stay
    min_mark_mm: float = 3.0
    bridge_mm: float = 2.0  # coloured pixels closer than this belong to one mark
    # a mark whose tinted pixels are mostly dark is print, not ink laid on it: black text that
    # a scanner tinted blue (F01: every letter), a dark number stamp; it is left alone
    dark_mark_share: float = 0.8
    remove_rules: bool = True
    min_rule_mm: float = 10.0  # a straight ink run this long is a rule or border, not a letter
    find_tables: bool = True  # the cell grid of ruled tables, found from the rules before they go
    flatten: bool = True
    paper_noise_sigmas: float = 4.0  # paper is anything within this many noise deviations of its level
    min_paper_margin: int = 12
    deskew: bool = True
    max_skew_deg: float = 5.0
    min_skew_deg: float = 0.15


@dataclass(frozen=True)
class Prepared:
    image: Image.Image  # grey ("L"), upright as far as skew goes, at ~target_dpi
    dpi: float
    source_dpi: float
    skew_deg: float = 0.0
    blanked: float = 0.0  # share of the page's pixels blanked as seal or signature ink
    steps: tuple[str, ...] = field(default_factory=tuple)
    tables: tuple[TableGrid, ...] = ()  # the grids of its ruled tables, in its pixels (ocr_tables)


# ---------------------------------------------------------------- resolution

def declared_dpi(image: Image.Image) -> float | None:
    """The resolution the file states, if it is one a scanner would write for a page."""
    dpi = image.info.get("dpi")
    if not dpi:
        return None
    try:
        value = float(dpi[0] if isinstance(dpi, tuple) else dpi)
    except (TypeError, ValueError):
        return None
    long_side_in = max(image.size) / value if value else 0
    # 72/96 dpi is what cameras and editors write when they know nothing: not a scan resolution
    if value < 100 or not 5 <= long_side_in <= 17:
        return None
    return value


def page_dpi(image: Image.Image) -> float:
    """Stated resolution, or the one that makes the long side an A4 sheet's."""
    return declared_dpi(image) or max(image.size) / A4_LONG_IN


def normalise_resolution(image: Image.Image, dpi: float,
                         settings: PrepSettings = PrepSettings()) -> tuple[Image.Image, float]:
    scale = settings.target_dpi / dpi
    if abs(scale - 1) <= settings.resample_tolerance:
        return image, dpi
    scale = min(scale, settings.max_upscale)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS if scale < 1 else Image.Resampling.BICUBIC), dpi * scale


# ---------------------------------------------------------------- seal and signature ink

def colour_ink_mask(hsv: np.ndarray, settings: PrepSettings = PrepSettings()) -> np.ndarray:
    """True where a pixel of an HSV array is saturated red, violet or blue ink (not black, not paper)."""
    hue, sat, val = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    low, high = settings.keep_hues
    return (sat >= settings.min_saturation) & (val >= settings.min_value) & ((hue < low) | (hue > high))


def _components(cells: np.ndarray) -> list[list[tuple[int, int]]]:
    """8-connected groups of True cells (a coarse grid: a few thousand cells at most)."""
    todo = set(zip(*np.nonzero(cells)))
    groups = []
    while todo:
        stack = [todo.pop()]
        group = []
        while stack:
            r, c = stack.pop()
            group.append((r, c))
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    n = (r + dr, c + dc)
                    if n in todo:
                        todo.remove(n)
                        stack.append(n)
        groups.append(group)
    return groups


def mark_boxes(mask: np.ndarray, dpi: float, settings: PrepSettings = PrepSettings()) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1, in mask pixels) of the coloured marks at least `min_mark_mm` tall
    and wide; pixels closer than `bridge_mm` count as one mark."""
    cell = max(1, round(settings.bridge_mm * dpi / MM_PER_IN))
    rows, cols = -(-mask.shape[0] // cell), -(-mask.shape[1] // cell)
    padded = np.zeros((rows * cell, cols * cell), dtype=bool)
    padded[: mask.shape[0], : mask.shape[1]] = mask
    cells = padded.reshape(rows, cell, cols, cell).any(axis=(1, 3))
    min_cells = settings.min_mark_mm * dpi / MM_PER_IN / cell
    boxes = []
    for group in _components(cells):
        r = [p[0] for p in group]
        c = [p[1] for p in group]
        if max(r) - min(r) + 1 >= min_cells and max(c) - min(c) + 1 >= min_cells:
            # one cell of margin: the faint edges of the ink go too
            boxes.append(((min(c) - 1) * cell, (min(r) - 1) * cell, (max(c) + 2) * cell, (max(r) + 2) * cell))
    return boxes


def _is_print(hsv: np.ndarray, settings: PrepSettings) -> bool:
    """Most of the mark's tinted pixels are dark: tinted print, not coloured ink."""
    low, high = settings.keep_hues
    hue, sat, val = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    tinted = (sat >= settings.min_saturation // 2) & ((hue < low) | (hue > high))
    return bool(tinted.any()) and float((val[tinted] < settings.print_value).mean()) > settings.dark_mark_share


DETECT_REDUCTION = 4  # marks are found on a 1/4-scale copy: a seal is 35 mm, it cannot hide there


def suppress_colour_marks(image: Image.Image, dpi: float,
                          settings: PrepSettings = PrepSettings()) -> tuple[Image.Image, float]:
    """Grey page with the seal and signature ink turned to paper; black print under them stays.

    Marks are found on a reduced copy (ink thinned by averaging: half the saturation
    counts), then blanked at full resolution inside their boxes only. Returns the grey image
    and the share of the page's pixels blanked.
    """
    grey = image.convert("L")
    if image.mode not in ("RGB", "RGBA", "P", "CMYK"):
        return grey, 0.0
    rgb = image.convert("RGB")
    small = rgb.reduce(DETECT_REDUCTION)
    detect = replace(settings, min_saturation=settings.min_saturation // 2)
    boxes = mark_boxes(colour_ink_mask(np.asarray(small.convert("HSV")), detect), dpi / DETECT_REDUCTION, settings)
    if not boxes:
        return grey, 0.0
    pixels = np.asarray(grey).copy()
    blanked = 0
    for box in boxes:
        x0, y0, x1, y1 = (max(0, v * DETECT_REDUCTION) for v in box)
        x1, y1 = min(x1, rgb.width), min(y1, rgb.height)
        hsv = np.asarray(rgb.crop((x0, y0, x1, y1)).convert("HSV"))
        if _is_print(hsv, settings):
            continue
        region = pixels[y0:y1, x0:x1]
        # the coloured ink and the light tint around it; never the dark print under it
        blank = colour_ink_mask(hsv, settings) | ((hsv[..., 1] >= settings.min_saturation // 2) & (region > 110))
        region[blank] = 255
        blanked += int(blank.sum())
    return Image.fromarray(pixels, mode="L"), blanked / pixels.size


def flatten_background(grey: Image.Image, settings: PrepSettings = PrepSettings()) -> Image.Image:
    """Paper to pure white: pixels within the paper's own noise of its level become 255.

    A noisy, mostly blank page otherwise leads Tesseract's global threshold astray (a short
    line on such a page read as junk). Paper level and noise are the median and the median
    absolute deviation of a sample of the page.
    """
    pixels = np.asarray(grey)
    sample = pixels[::4, ::4].astype(np.int16)
    paper = float(np.median(sample))
    if paper < 128:  # a dark page: no paper to speak of
        return grey
    noise = 1.4826 * float(np.median(np.abs(sample - paper)))
    cut = paper - max(settings.paper_noise_sigmas * noise, settings.min_paper_margin)
    lut = [v if v < cut else 255 for v in range(256)]
    return grey.point(lut)


def _long_runs(ink: np.ndarray, length: int) -> np.ndarray:
    """True on pixels inside a run of at least `length` ink pixels along axis 1."""
    width = ink.shape[1]
    if width < length:
        return np.zeros_like(ink)
    counts = np.zeros((ink.shape[0], width + 1), dtype=np.int32)
    np.cumsum(ink, axis=1, dtype=np.int32, out=counts[:, 1:])
    starts = (counts[:, length:] - counts[:, :-length]) == length  # a full window starts at j
    started = np.zeros((ink.shape[0], starts.shape[1] + 1), dtype=np.int32)
    np.cumsum(starts, axis=1, dtype=np.int32, out=started[:, 1:])
    # pixel k is covered when a full window starts at some j in [k - length + 1, k]
    k = np.arange(width)
    hi, lo = np.minimum(k, width - length) + 1, np.maximum(0, k - length + 1)
    return (started[:, hi] - started[:, lo]) > 0


def _near_vertically(mask: np.ndarray, reach: int) -> np.ndarray:
    near = mask.copy()
    for shift in range(1, reach + 1):
        near[shift:] |= mask[:-shift]
        near[:-shift] |= mask[shift:]
    return near


@dataclass(frozen=True)
class Rules:
    """The straight ink lines of a page, found on a half-scale copy (`REDUCTION`)."""
    ink: np.ndarray     # dark pixels of the half-scale copy
    across: np.ndarray  # ... inside a long horizontal run
    down: np.ndarray    # ... inside a long vertical run


REDUCTION = 2


def find_rules(grey: Image.Image, dpi: float, settings: PrepSettings = PrepSettings()) -> Rules:
    """Runs of dark pixels at least `min_rule_mm` long, across or down, on a half-scale copy."""
    ink = np.asarray(grey.reduce(REDUCTION)) < 140
    length = max(8, round(settings.min_rule_mm * dpi / REDUCTION / MM_PER_IN))
    return Rules(ink, _long_runs(ink, length), _long_runs(ink.T, length).T)


def remove_rules(grey: Image.Image, dpi: float, settings: PrepSettings = PrepSettings(),
                 rules: Rules | None = None) -> tuple[Image.Image, bool]:
    """Erase straight ink lines (the rules under the name block and quốc hiệu, underlines, table
    borders), which Tesseract reads as '——', '_' or '|'.

    A rule is a run of dark pixels at least `min_rule_mm` long, across or down, found on a
    half-scale copy. Where a letter touches it (an underlined descender, a dot below) the
    pixels next to the letter's ink stay, so the letter keeps its shape.
    """
    rules = rules or find_rules(grey, dpi, settings)
    ink, across, down = rules.ink, rules.across, rules.down
    lines = across | down
    if not lines.any():
        return grey, False
    reach = 1  # only the line pixels that touch a letter stay: the letter keeps its outline
    letters = ink & ~lines
    keep = (across & _near_vertically(letters, reach)) | (down & _near_vertically(letters.T, reach).T)
    erase = lines & ~keep
    # and the grey fringe along the rule (not ink by the threshold, but Tesseract may see it)
    fringe = _near_vertically(across & ~keep, 1) | _near_vertically((down & ~keep).T, 1).T
    erase |= fringe & ~letters & ~keep
    full = np.repeat(np.repeat(erase, REDUCTION, axis=0), REDUCTION, axis=1)
    pixels = np.asarray(grey).copy()
    h, w = min(full.shape[0], pixels.shape[0]), min(full.shape[1], pixels.shape[1])
    pixels[:h, :w][full[:h, :w]] = 255
    return Image.fromarray(pixels, mode="L"), True


# ---------------------------------------------------------------- skew and orientation

def _ink(grey: Image.Image, width: int = 800) -> Image.Image:
    """A small binary copy (ink white on black) for measuring angles."""
    scale = width / grey.width
    small = grey.resize((width, max(1, round(grey.height * scale))), Image.Resampling.BILINEAR)
    arr = np.asarray(small)
    threshold = min(160, int(arr.mean() * 0.75))
    return Image.fromarray(((arr < threshold) * 255).astype(np.uint8), mode="L")


def _line_sharpness(ink: Image.Image, angle: float) -> float:
    rows = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST)).sum(axis=1, dtype=np.float64)
    return float(np.square(np.diff(rows)).sum())


def measure_skew(grey: Image.Image, settings: PrepSettings = PrepSettings()) -> float:
    """Degrees to rotate (counter-clockwise, Pillow's sense) to make text lines level.

    Projection profile: the angle at which the row sums of ink change most sharply, searched
    coarse (0.5°) then fine (0.1°) within ±max_skew_deg.
    """
    ink = _ink(grey)
    if not np.asarray(ink).any():
        return 0.0
    limit = settings.max_skew_deg
    coarse = np.arange(-limit, limit + 1e-9, 0.5)
    best = max(coarse, key=lambda a: _line_sharpness(ink, a))
    fine = np.arange(best - 0.4, best + 0.4 + 1e-9, 0.1)
    best = max(fine, key=lambda a: _line_sharpness(ink, a))
    return round(float(best), 2)


def deskew(grey: Image.Image, settings: PrepSettings = PrepSettings(),
           angle: float | None = None) -> tuple[Image.Image, float]:
    """The page levelled: by `angle` when given (the same page prepared twice), else as measured."""
    angle = measure_skew(grey, settings) if angle is None else angle
    if abs(angle) < settings.min_skew_deg:
        return grey, 0.0
    return grey.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255), angle


def turn(image: Image.Image, clockwise_deg: int) -> Image.Image:
    """The page turned by a multiple of 90° clockwise (as Tesseract's OSD 'Rotate' says)."""
    transpose = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180,
                 270: Image.Transpose.ROTATE_90}.get(clockwise_deg % 360)
    return image.transpose(transpose) if transpose is not None else image


# ---------------------------------------------------------------- all steps

def prepare_page(image: Image.Image, dpi: float | None = None,
                 settings: PrepSettings = PrepSettings(), skew: float | None = None) -> Prepared:
    """Resolution, colour marks, grey, skew: the page as Tesseract should see it. `skew`, when
    given, is used instead of measuring (a second preparation keeps the first one's geometry)."""
    source_dpi = dpi or page_dpi(image)
    steps = []
    image, dpi = normalise_resolution(image, source_dpi, settings)
    if dpi != source_dpi:
        steps.append(f"resampled {source_dpi:.0f}→{dpi:.0f} dpi")
    blanked = 0.0
    if settings.suppress_colour:
        grey, blanked = suppress_colour_marks(image, dpi, settings)
        if blanked >= 0.0001:
            steps.append(f"blanked coloured ink: seal, signature, handwriting ({blanked:.2%} of the page)")
    else:
        grey = image.convert("L")
    if settings.flatten:
        grey = flatten_background(grey, settings)
    angle = 0.0
    if settings.deskew:
        grey, angle = deskew(grey, settings, skew)
        if angle:
            steps.append(f"deskewed {angle:+.2f}°")
    tables: tuple[TableGrid, ...] = ()
    if settings.remove_rules:  # after deskew: a rule is straight across only once the page is level
        rules = find_rules(grey, dpi, settings)
        tables = find_tables(grey, rules.across, REDUCTION, dpi) if settings.find_tables else ()
        grey, erased = remove_rules(grey, dpi, settings, rules)
        if erased:
            steps.append("erased rules and borders")
        if tables:
            steps.append(f"ruled tables: {len(tables)}")
    return Prepared(grey, dpi, source_dpi, angle, blanked, tuple(steps), tables)
