"""OCR'd pages laid out as they read: the two-column header and closing block unfolded, signature
stamps in the margin dropped; the header's handwritten digits confirmed, blanked or recovered.
Tables of Tesseract words (positions in 300-dpi pixels on a 2480×3508 page)."""
from __future__ import annotations

import pytest
from PIL import Image

from pipeline.read import ocr_header
from pipeline.read.ocr_header import BLANK, check_header_digits, find_slots
from pipeline.read.ocr_layout import layout_text
from pipeline.read.tesseract import Word

WIDTH, HEIGHT = 2480, 3508


def words(*rows: tuple[int, int, list[tuple[int, str]]]) -> list[Word]:
    """Rows of (block, top, [(left, text), …]): each text's words set 40 px a letter, 15 px apart
    (a space at 300 dpi), 50 px tall."""
    out = []
    for line, (block, top, items) in enumerate(rows, start=1):
        for left, text in items:
            for word in text.split():
                out.append(Word(block, 1, line, left, top, 40 * len(word), 50, 95.0, word))
                left += 40 * len(word) + 15
    return out


HEADER = words(
    (1, 300, [(250, "BỘ TÀI CHÍNH"), (1250, "CỘNG HÒA XÃ HỘI")]),
    (1, 380, [(1350, "Độc lập")]),
    (1, 460, [(250, "Số: 12/QĐ-BTC"), (1250, "Hà Nội, ngày 05")]),
    (2, 700, [(300, "Căn cứ Luật Ban hành văn bản quy phạm pháp luật")]),
)


def test_the_header_of_the_first_page_comes_out_left_block_then_right():
    assert layout_text(HEADER, WIDTH, HEIGHT, first_page=True).split("\n") == [
        "BỘ TÀI CHÍNH", "Số: 12/QĐ-BTC", "CỘNG HÒA XÃ HỘI", "Độc lập", "Hà Nội, ngày 05", "",
        "Căn cứ Luật Ban hành văn bản quy phạm pháp luật"]


def test_other_pages_and_unsized_pages_keep_tesseract_rows():
    rows = "BỘ TÀI CHÍNH CỘNG HÒA XÃ HỘI\nĐộc lập\nSố: 12/QĐ-BTC Hà Nội, ngày 05"
    assert layout_text(HEADER, WIDTH, HEIGHT, first_page=False).startswith(rows)
    assert layout_text(HEADER).startswith(rows)


@pytest.mark.parametrize("top,text,dropped", [
    pytest.param(40, "Ký bởi: CÔNG BÁO NƯỚC CỘNG HÒA", True, id="signed-by"),
    pytest.param(90, "_ Cơ quan: VĂN PHÒNG CHÍNH PHỦ", True, id="organ-after-a-stray-mark"),
    pytest.param(140, "x Ngày Ký: 2026-05-08 16:42:19 +07:00", True, id="signing-time"),
    pytest.param(3400, "Thời gian ký: 08.05.2026", True, id="bottom-margin"),
    pytest.param(1500, "Cơ quan: chủ trì soạn thảo", False, id="body-line-stays"),
    pytest.param(40, "CÔNG BÁO/Số 271/Ngày 12-05-2026", False, id="running-header-is-not-a-stamp"),
])
def test_signature_stamp_lines_in_the_margin_are_dropped(top, text, dropped):
    page = words((1, top, [(100, text)]))
    assert (layout_text(page, WIDTH, HEIGHT) == "") is dropped


# ---------------------------------------------------------------- the header's digits

DATE_LINE = (1, 460, [(250, "Số: 409 /QĐ-BTC"), (1250, "Hà Nội, ngày‹2{ tháng0† năm 2026")])


def test_the_slots_are_the_serial_and_the_day_month_year():
    slots = find_slots(words(DATE_LINE), HEIGHT)
    assert [(s.name, s.text) for s in slots] == [("serial", "409"), ("day", "‹2{"), ("month", "0†"),
                                                  ("year", "2026")]


def fake_readings(page_words: list[Word], table: dict[str, list[str]]):
    """read_digit_boxes answering, for each slot's box, that slot's readings in `table`."""
    line = ocr_header.lines_of(page_words)[0]
    by_box = {ocr_header.slot_box(page_words, line, slot): table[slot.name]
              for slot in find_slots(page_words, HEIGHT)}
    return lambda image, boxes, settings: [by_box[box] for box in boxes]


@pytest.mark.parametrize("readings,expected", [
    pytest.param({"serial": ["409", "409"], "year": ["2026", "2026"]},
                 "Số: 409 /QĐ-BTC Hà Nội, ngày… tháng… năm 2026", id="agreed-digits-stay-junk-goes"),
    pytest.param({"serial": ["403", "108"], "year": ["2026", "2026"]},
                 "Số: … /QĐ-BTC Hà Nội, ngày… tháng… năm 2026", id="disputed-serial-is-blanked"),
    pytest.param({"serial": ["409", "409"], "year": ["2026", "2028"]},
                 "Số: 409 /QĐ-BTC Hà Nội, ngày… tháng… năm …", id="disputed-year-is-blanked"),
])
def test_header_digits_are_kept_only_when_every_reading_agrees(monkeypatch, readings, expected):
    page_words = words(DATE_LINE)
    table = {**readings, "day": ["21", "2"], "month": ["", ""]}  # junk re-read from the page: no agreement
    monkeypatch.setattr(ocr_header, "read_digit_boxes", fake_readings(page_words, table))
    page = Image.new("L", (WIDTH, HEIGHT), 255)
    out, notes = check_header_digits(page_words, page, lambda: page)
    assert " ".join(w.text for w in out) == expected
    assert len(notes) == expected.count(BLANK)


@pytest.mark.parametrize("readings,expected", [
    pytest.param(["753", "753"], "Số:753 /KH-DCT", id="recovered-when-readings-agree"),
    pytest.param(["753", "1753"], "Số:... /KH-DCT", id="left-blank-when-they-differ"),
    pytest.param(["", ""], "Số:... /KH-DCT", id="left-blank-when-nothing-read"),
])
def test_an_empty_serial_is_read_again_from_the_page_with_its_colour(monkeypatch, readings, expected):
    plain_pages = []
    monkeypatch.setattr(ocr_header, "read_digit_boxes",
                        lambda image, boxes, settings: plain_pages.append(image) or [readings for _ in boxes])
    page, plain = Image.new("L", (WIDTH, HEIGHT), 255), Image.new("L", (WIDTH, HEIGHT), 250)
    line = words((1, 460, [(250, "Số:..."), (520, "/KH-DCT")]))
    out, _ = check_header_digits(line, page, lambda: plain)
    assert " ".join(w.text for w in out) == expected
    assert plain_pages == [plain]


def test_a_recovered_month_must_be_a_month(monkeypatch):
    line = words((1, 460, [(1250, "Hà Nội, ngày 05 tháng ... năm 2026")]))
    monkeypatch.setattr(ocr_header, "read_digit_boxes", fake_readings(line, {
        "day": ["05", "05"], "month": ["13", "13"], "year": ["2026", "2026"]}))
    page = Image.new("L", (WIDTH, HEIGHT), 255)
    out, notes = check_header_digits(line, page, lambda: page)
    assert " ".join(w.text for w in out) == "Hà Nội, ngày 05 tháng ... năm 2026"
    assert notes == []


@pytest.mark.parametrize("box, expected", [
    pytest.param((50, 10, 40, 30), ["7", "7"], id="right-left-of-left"),
    pytest.param((10, 30, 40, 10), ["7", "7"], id="bottom-above-top"),
    pytest.param((500, 10, 600, 30), [], id="off-the-page"),
    pytest.param((-20, -20, 2, 2), [], id="a-corner-sliver"),
])
def test_a_slot_box_estimated_inside_out_or_off_the_page_reads_safely(monkeypatch, box, expected):
    """The box is estimated from word widths: it can come out inverted or outside the page on a
    skewed scan; that is no reason to fail the page (it was: PIL 'right is less than left')."""
    monkeypatch.setattr(ocr_header, "run_many", lambda crops, args, settings: ["7" for _ in crops])
    readings = ocr_header.read_digits(Image.new("L", (100, 100), 255), box, ocr_header.TesseractSettings())
    assert readings == expected


def test_the_boxes_of_a_page_are_read_in_one_tesseract_run_per_setting():
    """Reading each slot alone loaded the language model 8 times on a first page (0.5-0.9 s)."""
    from PIL import ImageDraw, ImageFont

    page = Image.new("L", (600, 120), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 36)
    draw.text((20, 30), "409", fill=0, font=font)
    draw.text((320, 30), "2026", fill=0, font=font)
    boxes = [(10, 20, 120, 90), (0, 0, 2, 2), (310, 20, 460, 90)]
    assert ocr_header.read_digit_boxes(page, boxes, ocr_header.TesseractSettings()) == \
        [["409", "409"], [], ["2026", "2026"]]
