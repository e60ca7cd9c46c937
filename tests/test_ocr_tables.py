"""Ruled tables on scanned pages: the grid found from the page's rules, the rows laid out from
Tesseract's words as "cell | cell | cell" lines (as the text-layer reader emits them). Pages are
drawn at 300 dpi; the last test runs Tesseract on one."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.read.ocr import ocr_page
from pipeline.read.ocr_layout import layout_text
from pipeline.read.preprocess import prepare_page
from pipeline.read.tesseract import Word, available

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "samples"))
import build_fixtures as fx  # noqa: E402

WIDTH, HEIGHT = 2480, 3508
COLUMNS = (200, 320, 1100, 1700, 2300)  # TT | Nội dung | Thời gian | Đơn vị
ROWS = (1000, 1130, 1260, 1390)


def page_with_table(columns=COLUMNS, rows=ROWS, faint_border: bool = True, span_header: bool = False,
                    cells: list[list[str]] | None = None) -> Image.Image:
    """A page with a ruled table; its right border faint and broken, as scanned lines are."""
    page = Image.new("L", (WIDTH, HEIGHT), 255)
    draw = ImageDraw.Draw(page)
    draw.line([(100, 600), (900, 600)], fill=0, width=3)  # an underline elsewhere: no table
    for y in rows:
        draw.line([(columns[0], y), (columns[-1], y)], fill=0, width=3)
    for i, x in enumerate(columns):
        top = rows[1] if span_header and i == 2 else rows[0]
        if faint_border and i == len(columns) - 1:
            for y in range(rows[0], rows[-1], 40):  # dashes, grey
                draw.line([(x, y), (x, y + 30)], fill=150, width=2)
        else:
            draw.line([(x, top), (x, rows[-1])], fill=0, width=3)
    font = ImageFont.truetype(str(fx.font_path("regular")), 36)
    for r, row in enumerate(cells or []):
        for c, text in enumerate(row):
            draw.text((columns[c] + 20, rows[r] + 35), text, fill=0, font=font)
    return page


def test_the_grid_of_a_ruled_table_is_found_faint_border_and_all():
    [table] = prepare_page(page_with_table(), 300).tables
    assert len(table.rows) == 3
    for row, (top, bottom) in zip(table.rows, zip(ROWS, ROWS[1:])):
        assert abs(row.top - top) <= 3 and abs(row.bottom - bottom) <= 3
        assert len(row.edges) == len(COLUMNS)
        assert all(abs(a - b) <= 4 for a, b in zip(row.edges, COLUMNS))


def test_a_header_cell_over_two_columns_is_one_cell():
    table = prepare_page(page_with_table(span_header=True), 300).tables[0]
    assert [len(row.edges) - 1 for row in table.rows] == [3, 4, 4]


@pytest.mark.parametrize("drawn", [
    pytest.param(dict(columns=(200, 2300)), id="a-framed-box-has-one-column"),
    pytest.param(dict(rows=(1000, 1130)), id="one-row"),
])
def test_no_table_without_two_rows_of_two_cells(drawn):
    assert prepare_page(page_with_table(faint_border=False, **drawn), 300).tables == ()


def test_a_page_without_rules_finds_no_table_and_reads_as_before():
    assert prepare_page(Image.new("L", (WIDTH, HEIGHT), 255), 300).tables == ()


def words_in(cells: dict[tuple[int, int], str], line_of_row: int = 10) -> list[Word]:
    """Tesseract's words for the table's cells, read as it does: one line across each row."""
    out = []
    for (r, c), text in cells.items():
        left = COLUMNS[c] + 20
        for word in text.split():
            out.append(Word(2, 1, line_of_row + r, left, ROWS[r] + 35, 20 * len(word), 45, 95.0, word))
            left += 20 * len(word) + 15
    return out


def test_rows_come_out_cell_by_cell_and_rule_remains_go():
    table = prepare_page(page_with_table(), 300).tables
    words = [Word(1, 1, 1, 200, 800, 40, 45, 96.0, "6."), Word(1, 1, 1, 260, 800, 80, 45, 96.0, "Tiến")]
    words += words_in({(0, 0): "TT", (0, 1): "Nội dung công việc", (0, 2): "Thời gian", (0, 3): "Đơn vị",
                       (1, 0): "1", (1, 1): "Ban hành kế hoạch", (1, 2): "Trước ngày 27/6/2026", (1, 3): "Phòng Đào tạo",
                       (2, 1): "Triển khai khảo sát", (2, 2): "29/6/2026 - 09/7/2026", (2, 3): "Các khoa"})
    words += [Word(2, 1, 11, 1098, 1140, 4, 40, 80.0, "|"),       # a cell edge read as a bar
              Word(2, 1, 11, 500, 1255, 300, 5, 30.0, "jm.."),    # a rule read as a flat word
              Word(2, 1, 12, 150, 1300, 180, 45, 20.0, "_—_-hạ")]  # marks glued to a word
    text = layout_text(words, WIDTH, HEIGHT, tables=table)
    assert text.split("\n") == [
        "6. Tiến", "",
        "TT | Nội dung công việc | Thời gian | Đơn vị",
        "1 | Ban hành kế hoạch | Trước ngày 27/6/2026 | Phòng Đào tạo",
        "hạ | Triển khai khảo sát | 29/6/2026 - 09/7/2026 | Các khoa"]


@pytest.mark.skipif(not available(), reason="tesseract is not installed")
def test_a_scanned_schedule_table_reads_row_by_row():
    cells = [["TT", "Nội dung công việc", "Thời gian", "Đơn vị"],
             ["1", "Ban hành kế hoạch", "Trước ngày 27/6/2026", "Phòng Đào tạo"],
             ["2", "Triển khai khảo sát", "Tháng 7/2026", "Các khoa"]]
    page = page_with_table(faint_border=False, cells=cells).convert("RGB")
    lines = [line for line in ocr_page(page, 300).text.split("\n") if "|" in line]
    assert len(lines) == 3
    assert lines[1].endswith("Ban hành kế hoạch | Trước ngày 27/6/2026 | Phòng Đào tạo")
    assert lines[2].endswith("Triển khai khảo sát | Tháng 7/2026 | Các khoa")
