"""The digits of the header read a second time: a wrong number is worse than a blank one.

Offices write the serial number and the day in by hand after printing ("Số: 109 /QĐ-BTC",
"ngày 21 tháng 01 năm 2026"), in black or coloured ink. Tesseract reads handwritten digits as
confident wrong ones ("409", "445") and the seal/signature colour suppression erases coloured ones.
So on the first page the serial of the "Số:" line and the day, month and year of "ngày … tháng …
năm …" are each cropped and read again, alone, digits only, with several Tesseract settings:

- a value that every reading agrees with stays;
- any other value, or junk ("‹2{"), becomes a blank ("…"), which the extractor reports as a
  blank serial ("/QĐ-BTC") or a partial date ("2026");
- an empty or junk slot is read once more from the page without colour suppression, and taken
  only if every reading agrees on a plausible value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import groupby
from typing import Callable

from PIL import Image, ImageOps

from pipeline.read.tesseract import TesseractError, TesseractSettings, Word, run_many

HEADER_SHARE = 0.45  # the header lies in the top share of the first page
BLANK = "…"
# (language, page segmentation mode) of the digit-only readings that must agree
READINGS: tuple[tuple[str, int], ...] = (("vie", 7), ("eng", 7))
NUMBER_LINE = re.compile(r"(?<!\w)S[ốỐôÔóÓ]\s*[:;]\s*(?P<serial>[^/\-]*?)\s*(?=[/\-]\s*[A-ZĐ])")
DATE_LINE = re.compile(r"ngày\s*(?P<day>.*?)\s*tháng\s*(?P<month>.*?)\s*năm\s*(?P<year>\S{0,6})")
EMPTY = re.compile(r"^[\s.…_,:;\-]*$")
PLAUSIBLE: dict[str, Callable[[str], bool]] = {
    "serial": lambda v: 1 <= len(v) <= 6 and int(v) > 0,
    "day": lambda v: len(v) <= 2 and 1 <= int(v) <= 31,
    "month": lambda v: len(v) <= 2 and 1 <= int(v) <= 12,
    "year": lambda v: len(v) == 4 and 1945 <= int(v) <= 2100,
}


@dataclass(frozen=True)
class Slot:
    """One value of the header on one line of words: which characters of the line's text."""
    name: str
    line: int  # index of the line in `lines_of`
    start: int
    end: int
    text: str


def lines_of(words: list[Word]) -> list[list[int]]:
    """Indices of the words of each Tesseract line."""
    indexed = list(enumerate(words))
    return [[i for i, _ in group] for _, group in groupby(indexed, key=lambda p: (p[1].block, p[1].par, p[1].line))]


def line_text(words: list[Word], line: list[int]) -> tuple[str, list[int]]:
    """The line's text (words joined by a space) and where each word starts in it."""
    starts, text = [], ""
    for i in line:
        if text:
            text += " "
        starts.append(len(text))
        text += words[i].text
    return text, starts


def find_slots(words: list[Word], height: int) -> list[Slot]:
    """The serial of the first 'Số:' line and the day, month, year of the first date line."""
    slots: list[Slot] = []
    found = set()
    for index, line in enumerate(lines_of(words)):
        if words[line[0]].top > HEADER_SHARE * height:
            break
        text, _ = line_text(words, line)
        number = NUMBER_LINE.search(text)
        if number and "serial" not in found:
            found.add("serial")
            slots.append(Slot("serial", index, *number.span("serial"), number.group("serial")))
        date = DATE_LINE.search(text)
        if date and "day" not in found:
            found.add("day")
            slots += [Slot(name, index, *date.span(name), date.group(name)) for name in ("day", "month", "year")]
    return slots


def slot_box(words: list[Word], line: list[int], slot: Slot) -> tuple[int, int, int, int]:
    """Where the slot's characters are on the page, estimated from its words' boxes: in
    proportion to the characters where a word holds more than the slot ("99/NQ-CP"), and then
    kept clear of the neighbouring letter (a '/' read digits-only is a '7')."""
    _, starts = line_text(words, line)
    top = min(words[i].top for i in line)
    bottom = max(words[i].top + words[i].height for i in line)
    height = bottom - top

    def x_at(pos: int, inward: int) -> float:
        for i, start in zip(line, starts):
            w = words[i]
            if pos <= start + len(w.text) or i == line[-1]:
                chars = max(1, len(w.text))
                at = min(max(pos - start, 0), chars)
                if 0 < at < chars:  # inside a word: clear of the next letter
                    return w.left + at * w.width / chars + inward * 0.15 * height
                return w.left + (at / chars) * w.width - inward * 0.1 * height
        return words[line[-1]].left + words[line[-1]].width

    pad = round(0.25 * height)
    return round(x_at(slot.start, 1)), top - pad, round(x_at(slot.end, -1)), bottom + pad


def _crop(image: Image.Image, box: tuple[int, int, int, int]) -> Image.Image | None:
    """The box on the page with a white margin, or None when it holds nothing to read."""
    x0, y0, x1, y1 = box
    left, top = max(0, min(x0, x1)), max(0, min(y0, y1))
    right, bottom = min(image.width, max(x0, x1)), min(image.height, max(y0, y1))
    if right - left < 4 or bottom - top < 4:  # a slot squeezed to nothing (or off the page)
        return None
    return ImageOps.expand(image.crop((left, top, right, bottom)).convert("L"), border=30, fill=255)


def read_digit_boxes(image: Image.Image, boxes: list[tuple[int, int, int, int]],
                     settings: TesseractSettings) -> list[list[str]]:
    """For each box, the digits in it once per setting of READINGS ([] for an empty box); one
    Tesseract process per setting for all the boxes."""
    crops = [_crop(image, box) for box in boxes]
    valid = [c for c in crops if c is not None]
    per_setting = []
    for lang, psm in READINGS:
        try:
            texts = run_many(valid, ["-l", lang, "--psm", str(psm), "-c", "tessedit_char_whitelist=0123456789"],
                             replace(settings, lang=lang))
        except TesseractError:
            texts = [""] * len(valid)
        per_setting.append(iter([re.sub(r"\s+", "", t) for t in texts]))
    return [[next(texts) for texts in per_setting] if crop is not None else [] for crop in crops]


def read_digits(image: Image.Image, box: tuple[int, int, int, int], settings: TesseractSettings) -> list[str]:
    """The digits in the box, once per setting of READINGS."""
    return read_digit_boxes(image, [box], settings)[0]


def agreed(readings: list[str], name: str) -> str | None:
    """The value every reading gives, if plausible for the slot."""
    if not readings or len(set(readings)) != 1 or not readings[0].isdigit():
        return None
    return readings[0] if PLAUSIBLE[name](readings[0]) else None


def confirms(slot: Slot) -> bool:
    """A slot holding a plausible value, to be confirmed on the page; any other is read again
    from the page without colour suppression."""
    value = re.sub(r"\s+", "", slot.text)
    return value.isdigit() and PLAUSIBLE[slot.name](value)


def decide(slot: Slot, readings: list[str]) -> str | None:
    """The slot's new text, or None to leave it as read: a plausible value stays only if every
    reading of the page gives it; any other takes what every plain reading agrees on, else a blank."""
    if confirms(slot):
        value = re.sub(r"\s+", "", slot.text)
        return None if readings and all(r == value for r in readings) else BLANK
    recovered = agreed(readings, slot.name)
    if recovered:
        return recovered
    return None if EMPTY.match(slot.text) else BLANK


def replace_span(words: list[Word], line: list[int], start: int, end: int, new: str) -> dict[int, Word | None]:
    """Word changes that put `new` in place of characters [start, end) of the line's text
    (None: the word goes)."""
    _, starts = line_text(words, line)
    spans = [(i, s, s + len(words[i].text)) for i, s in zip(line, starts)]
    touched = [(i, s, e) for i, s, e in spans if s < end and e > start] or \
              [next(((i, s, e) for i, s, e in spans if s >= start), spans[-1])]
    first, last = touched[0], touched[-1]
    changes: dict[int, Word | None] = {}
    head = words[first[0]].text[:max(0, start - first[1])]
    if first is last:
        tail = words[first[0]].text[max(0, end - first[1]):]
        changes[first[0]] = replace(words[first[0]], text=head + new + tail)
        return changes
    changes[first[0]] = replace(words[first[0]], text=head + new)
    for i, _, _ in touched[1:-1]:
        changes[i] = None
    tail = words[last[0]].text[max(0, end - last[1]):]
    changes[last[0]] = replace(words[last[0]], text=tail) if tail else None
    return changes


def check_header_digits(words: list[Word], page: Image.Image, plain: Callable[[], Image.Image],
                        settings: TesseractSettings = TesseractSettings()) -> tuple[list[Word], list[str]]:
    """The words with the header's serial and date digits confirmed, blanked or recovered, and
    what was done. `page` is the image the words were read from; `plain()` the same page
    without colour suppression, made only if needed."""
    lines = lines_of(words)
    changes: dict[int, Word | None] = {}
    notes = []
    slots = find_slots(words, page.height)
    boxes = {id(slot): slot_box(words, lines[slot.line], slot) for slot in slots}
    readings: dict[int, list[str]] = {}
    for source, group in ((lambda: page, [s for s in slots if confirms(s)]),
                          (plain, [s for s in slots if not confirms(s)])):
        if group:  # the plain page is made only when a slot needs it
            found = read_digit_boxes(source(), [boxes[id(s)] for s in group], settings)
            readings.update((id(s), r) for s, r in zip(group, found))
    # right to left within a line: an earlier slot's characters keep their places
    for slot in sorted(slots, key=lambda s: (s.line, -s.start)):
        new = decide(slot, readings[id(slot)])
        if new is None:
            continue
        current = [changes.get(i, words[i]) for i in lines[slot.line]]
        kept = [i for i, w in zip(lines[slot.line], current) if w is not None]
        view = {i: changes.get(i, words[i]) for i in kept}
        patched = [view[i] for i in kept]
        local = replace_span(patched, list(range(len(kept))), slot.start, slot.end, new)
        for j, word in local.items():
            changes[kept[j]] = word
        notes.append(f"handwritten or unclear {slot.name} {slot.text.strip() or '(blank)'!r} read as {new!r}")
    out = [changes.get(i, w) for i, w in enumerate(words)]
    return [w for w in out if w is not None], notes
