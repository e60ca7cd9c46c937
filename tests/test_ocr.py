"""OCR of scanned images and PDF pages: page steps on drawn images (no Tesseract), then a few
real Tesseract runs on pages rendered by samples/build_fixtures.py, then bad input.

Tesseract runs are kept to a handful of small pages; the measurements over whole documents
(CER, evaluation scores, speed) are in benchmarks/read.py.
"""
from __future__ import annotations

import struct
import sys
import time
import unicodedata
import zlib
from pathlib import Path

import numpy as np
import psutil
import pytest
from PIL import Image, ImageDraw, ImageFont
from rapidfuzz.distance import Levenshtein

from pipeline.read import ReadError, read
from pipeline.read.ocr import (
    OcrSettings,
    PageText,
    document_from_pages,
    layout_text,
    make_searchable_pdf,
    mean_confidence,
    ocr_page,
    ocr_pdf_pages,
    read_image,
)
from pipeline.read.preprocess import (
    declared_dpi,
    measure_skew,
    normalise_resolution,
    page_dpi,
    prepare_page,
    remove_rules,
    suppress_colour_marks,
    turn,
)
from pipeline.read.tesseract import TesseractSettings, Word, available, parse_tsv

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "samples"))
import build_fixtures as fx  # noqa: E402

needs_tesseract = pytest.mark.skipif(not available(), reason="tesseract is not installed")

SHORT_DISPATCH = """SỞ GIÁO DỤC VÀ ĐÀO TẠO
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 2094/SGDĐT-HSSV
Khánh Hòa, ngày 04 tháng 9 năm 2018
Kính gửi: Các phòng giáo dục và đào tạo
Đề nghị các đơn vị báo cáo kết quả về Sở trước ngày 20/4/2026.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Lê Đình Thuần
"""


def case(name: str, *values):
    return pytest.param(*values, id=name)


def cer(text: str, truth: str) -> float:
    """Character error rate over the words in any order: the reader unfolds the two-column
    header (left block, then right), the truth is printed row by row."""
    def norm(t: str) -> str:
        return " ".join(sorted(unicodedata.normalize("NFC", t).split()))
    return Levenshtein.distance(norm(text), norm(truth)) / max(1, len(norm(truth)))


def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(fx.font_path("regular")), size)


def text_page(lines: list[str], size=(1200, 700), font_px=40) -> Image.Image:
    page = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(lines):
        draw.text((60, 60 + i * font_px * 3 // 2), line, fill="black", font=font(font_px))
    return page


# ---------------------------------------------------------------- Tesseract's TSV and the page text

TSV = """level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t
5\t1\t1\t1\t1\t1\t10\t10\t20\t10\t96.5\tSố:
5\t1\t1\t1\t1\t2\t40\t10\t20\t10\t90.0\t12/KH
5\t1\t1\t1\t2\t1\t10\t30\t20\t10\t80.0\tV/v
5\t1\t2\t1\t1\t1\t10\t60\t20\t10\t70.0\tKính
5\t1\t2\t1\t1\t2\t40\t60\t20\t10\t-1\t \n"""


def test_tsv_words_in_reading_order_blank_words_dropped():
    words = parse_tsv(TSV)
    assert [w.text for w in words] == ["Số:", "12/KH", "V/v", "Kính"]
    assert (words[3].block, words[3].par, words[3].line) == (2, 1, 1)


def test_layout_keeps_lines_and_separates_paragraphs():
    assert layout_text(parse_tsv(TSV)) == "Số: 12/KH\nV/v\n\nKính"


def test_mean_confidence_ignores_minus_one_and_is_none_without_words():
    assert mean_confidence(parse_tsv(TSV)) == pytest.approx((96.5 + 90 + 80 + 70) / 4, abs=0.01)
    assert mean_confidence([]) is None
    assert mean_confidence([Word(1, 1, 1, 0, 0, 1, 1, -1.0, "x")]) is None


def test_document_from_pages_maps_pages_and_flags_review():
    pages = [PageText("Trang một", 92.0, 100), PageText("", None, 0), PageText("Trang ba", 40.0, 100)]
    doc = document_from_pages(pages, "image/tiff", OcrSettings(review_below=70))
    assert doc.text == "Trang một\n\n\n\nTrang ba"
    for page, expected in zip(doc.pages, ["Trang một", "", "Trang ba"]):
        assert doc.text[page.start:page.end] == expected and page.ocr
    assert [p.confidence for p in doc.pages] == [92.0, None, 40.0]
    assert doc.source.ocr and doc.source.pages == 3
    assert doc.source.ocr_confidence == pytest.approx(66.0)  # weighted by words; the empty page counts for nothing
    assert doc.source.needs_review
    assert doc.warnings == ["page 2: OCR found no text", "page 3: OCR confidence 40 < 70"]


@pytest.mark.parametrize("confidence, threshold, flagged", [
    case("above the bar", 85.0, 70, False),
    case("below the bar", 65.0, 70, True),
    case("bar raised", 85.0, 90, True),
])
def test_review_threshold_is_configurable(confidence, threshold, flagged):
    doc = document_from_pages([PageText("x", confidence, 10)], "image/png", OcrSettings(review_below=threshold))
    assert doc.source.needs_review is flagged


def test_nothing_read_needs_review():
    assert document_from_pages([PageText("", None, 0)], "image/png").source.needs_review


# ---------------------------------------------------------------- page steps, no Tesseract

@pytest.mark.parametrize("size, expected", [
    case("scanner 300 dpi", (300, 300), 300.0),
    case("camera says 72", (72, 72), None),
    case("no statement", None, None),
    case("implausible page size", (1200, 1200), None),
])
def test_declared_dpi_trusts_only_scanner_values(size, expected):
    image = Image.new("L", (2480, 3508), 255)
    if size:
        image.info["dpi"] = size
    assert declared_dpi(image) == expected


def test_resolution_is_brought_to_300_dpi():
    image = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi, stated nowhere
    assert page_dpi(image) == pytest.approx(200, abs=1)
    out, dpi = normalise_resolution(image, 200)
    assert out.size == (2481, 3508) and dpi == pytest.approx(300)
    same, dpi = normalise_resolution(Image.new("L", (2480, 3508)), 310)
    assert same.size == (2480, 3508) and dpi == 310  # within tolerance: left alone


def title_block() -> Image.Image:
    return text_page(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], size=(900, 400))


def seal_over_text() -> Image.Image:
    page = title_block()
    draw = ImageDraw.Draw(page)
    draw.ellipse([100, 20, 420, 340], outline=(205, 35, 45), width=14)  # a 27 mm seal at 300 dpi
    draw.line([(450, 300), (800, 250)], fill=(25, 55, 165), width=8)  # a signature stroke
    draw.rectangle([700, 40, 703, 43], fill=(205, 35, 45))  # a 4-pixel coloured speck: noise
    return page


def test_seal_and_signature_ink_are_blanked_black_print_stays():
    page = seal_over_text()
    grey, share = suppress_colour_marks(page, 300)
    pixels = np.asarray(grey)
    assert share > 0
    assert pixels[20:30, 255:265].min() > 200  # the seal's ring, top
    assert pixels[280:300, 600:640].min() > 200  # the signature stroke
    assert pixels[41, 701] < 150  # the speck is not a mark
    # print not painted over (the drawing is opaque; real ink multiplies) stays as it was
    black = (np.asarray(title_block().convert("L")) < 100) & (np.asarray(page).max(axis=2) < 100)
    assert (pixels[black] < 100).mean() > 0.99


def test_print_a_scanner_tinted_blue_is_kept():
    """F01's scanner gives black print a blue cast (hue ~150, value ~25): that is not ink to blank."""
    page = Image.new("RGB", (900, 400), "white")
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(["Số: 1849/BGDĐT-GDPT", "Kính gửi: Các Sở Giáo dục"]):
        draw.text((60, 60 + i * 80), line, fill=(22, 24, 58), font=font(56))
    grey, share = suppress_colour_marks(page, 300)
    assert share == 0
    assert (np.asarray(grey) < 100).sum() == (np.asarray(page.convert("L")) < 100).sum()


def test_a_grey_page_has_no_colour_to_suppress():
    grey, share = suppress_colour_marks(Image.new("L", (300, 300), 255), 300)
    assert share == 0 and grey.mode == "L"


@pytest.mark.parametrize("angle", [2.0, -2.0, 0.0, 3.5])
def test_skew_is_measured_within_a_fifth_of_a_degree(angle):
    page = text_page([f"Dòng chữ số {i} của công văn hành chính nhà nước" for i in range(12)],
                     size=(1600, 1600), font_px=36).convert("L")
    skewed = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    assert measure_skew(skewed) == pytest.approx(-angle, abs=0.2)


def test_rules_go_letters_stay():
    page = text_page(["Độc lập - Tự do - Hạnh phúc"], size=(1200, 300)).convert("L")
    draw = ImageDraw.Draw(page)
    draw.line([(60, 200), (900, 200)], fill=0, width=4)  # a rule under the quốc hiệu
    cleaned, erased = remove_rules(page, 300)
    pixels = np.asarray(cleaned)
    assert erased and pixels[196:205, 100:900].min() > 200
    assert (pixels[40:140] < 128).sum() >= 0.95 * (np.asarray(page)[40:140] < 128).sum()


def test_turn_follows_osd_clockwise_sense():
    image = Image.new("L", (20, 10))
    assert turn(image, 90).size == (10, 20) and turn(image, 0) is image
    marked = Image.new("L", (2, 1))
    marked.putpixel((0, 0), 255)  # left end
    assert turn(marked, 90).getpixel((0, 0)) == 255  # clockwise: the left end goes to the top


def test_prepare_page_lists_what_it_did():
    page = seal_over_text().resize((600, 267))  # stated nowhere: taken as an A4 long side → upscaled
    prepared = prepare_page(page, 200)
    assert prepared.image.mode == "L" and prepared.dpi == pytest.approx(300)
    assert prepared.steps[0].startswith("resampled 200→300")
    assert any(step.startswith("blanked coloured ink") for step in prepared.steps)


# ---------------------------------------------------------------- bad input: bounded, clear

def png_header(width: int, height: int) -> bytes:
    """A PNG that claims a size (no pixel data worth decoding): what a bomb looks like."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("width, height", [
    case("101 megapixels", 10_050, 10_050),
    case("400 megapixels", 20_000, 20_000),
])
def test_image_over_100_megapixels_is_refused_before_decoding(tmp_path, width, height):
    path = tmp_path / "bomb.png"
    path.write_bytes(png_header(width, height))
    rss = psutil.Process().memory_info().rss
    start = time.perf_counter()
    with pytest.raises(ReadError, match="megapixel"):
        read(path)
    assert time.perf_counter() - start < 2
    assert psutil.Process().memory_info().rss - rss < 50_000_000


def test_tiff_page_over_the_limit_is_refused(tmp_path):
    settings = OcrSettings(max_pixels=40_000)
    frames = [Image.new("L", (100, 100), 255), Image.new("L", (300, 300), 255)]
    path = tmp_path / "two.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    with pytest.raises(ReadError, match="page 2 is 300×300"):
        read_image(path, path.read_bytes(), settings)


def test_pdf_page_over_the_limit_is_refused(tmp_path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(72 * 40, 72 * 40)  # 40 × 40 inches: 144 megapixels at 300 dpi
    path = tmp_path / "poster.pdf"
    pdf.save(str(path))
    with pytest.raises(ReadError, match="page 1 at 300 dpi is 12000×12000"):
        ocr_pdf_pages(path, [1])
    with pytest.raises(ReadError, match="page 3 asked for OCR, but the PDF has 1 pages"):
        ocr_pdf_pages(path, [3])


@pytest.mark.parametrize("data, reason", [
    case("truncated PNG", png_header(100, 100)[:20], "not a readable image"),
    case("garbage after JPEG magic", b"\xff\xd8\xff" + b"\x00" * 50, "not a readable image"),
])
def test_damaged_images_are_refused_with_a_reason(tmp_path, data, reason):
    path = tmp_path / "bad.img"
    path.write_bytes(data)
    with pytest.raises(ReadError, match=reason):
        read(path)


def hanging_tesseract(tmp_path: Path) -> str:
    script = tmp_path / "tesseract"
    script.write_text("#!/bin/sh\nsleep 30\n")
    script.chmod(0o755)
    return str(script)


def test_a_hanging_tesseract_is_killed_at_the_time_limit(tmp_path):
    settings = OcrSettings(tesseract=TesseractSettings(command=hanging_tesseract(tmp_path), timeout_s=1))
    path = tmp_path / "page.png"
    text_page(["Kính gửi"]).save(path)
    start = time.perf_counter()
    with pytest.raises(ReadError, match=r"page 1: Tesseract did not finish within 1 s"):
        read_image(path, path.read_bytes(), settings)
    assert time.perf_counter() - start < 5
    assert not psutil.Process().children(recursive=True)  # killed, not left running


def test_a_failing_tesseract_gives_its_last_words(tmp_path):
    script = tmp_path / "tesseract"
    script.write_text("#!/bin/sh\necho 'Error: broken traineddata' >&2\nexit 1\n")
    script.chmod(0o755)
    settings = OcrSettings(tesseract=TesseractSettings(command=str(script)))
    path = tmp_path / "page.png"
    text_page(["Kính gửi"]).save(path)
    with pytest.raises(ReadError, match="Tesseract failed: Error: broken traineddata"):
        read_image(path, path.read_bytes(), settings)


@needs_tesseract
def test_real_tesseract_on_a_pathological_page_stops_in_time_and_the_next_page_still_reads(tmp_path):
    noise = Image.fromarray((np.random.default_rng(7).random((2400, 2400)) > 0.5).astype(np.uint8) * 255)
    bad, good = tmp_path / "noise.png", tmp_path / "good.png"
    noise.save(bad, dpi=(300, 300))
    text_page(["Kính gửi: Các phòng giáo dục"]).save(good, dpi=(300, 300))
    settings = OcrSettings(tesseract=TesseractSettings(timeout_s=0.3))
    start = time.perf_counter()
    with pytest.raises(ReadError, match="did not finish within 0.3 s"):
        read_image(bad, bad.read_bytes(), settings)
    assert time.perf_counter() - start < 5
    assert not psutil.Process().children(recursive=True)
    assert "Kính gửi" in read(good).text


# ---------------------------------------------------------------- real OCR, a few small pages

@pytest.fixture(scope="module")
def short_scan():
    return fx.render_scan(SHORT_DISPATCH, fx.ScanStyle(dpi=300))


@needs_tesseract
def test_scanned_png_reads_with_confidence_and_low_cer(tmp_path, short_scan):
    path = tmp_path / "scan.png"
    fx.save_png(short_scan.pages[0], path, 300)
    doc = read(path)
    assert doc.source.media_type == "image/png" and doc.source.ocr and doc.source.pages == 1
    assert doc.source.ocr_confidence > 85 and not doc.source.needs_review
    assert doc.pages[0].confidence == doc.source.ocr_confidence
    assert cer(doc.text, short_scan.truth) < 0.03
    for expected in ("Số: 2094/SGDĐT-HSSV", "ngày 04 tháng 9 năm 2018", "trước ngày 20/4/2026", "Lê Đình Thuần"):
        assert expected in doc.text


@needs_tesseract
def test_multipage_tiff_and_200_dpi_jpeg(tmp_path):
    scan = fx.render_scan(SHORT_DISPATCH, fx.ScanStyle(dpi=200, seal=False))
    half = [page.crop((0, 0, page.width, page.height // 3)) for page in scan.pages]
    tif = tmp_path / "two.tif"
    fx.save_tiff([half[0], half[0]], tif, 200)
    doc = read(tif)
    assert doc.source.pages == 2 and len(doc.pages) == 2
    first, second = (doc.text[p.start:p.end] for p in doc.pages)
    assert "2094/SGDĐT-HSSV" in first and "2094/SGDĐT-HSSV" in second
    jpeg = tmp_path / "page.jpg"
    half[0].save(jpeg, quality=80, dpi=(200, 200))
    assert "Kính gửi: Các phòng giáo dục và đào tạo" in read(jpeg).text


@needs_tesseract
def test_pdf_pages_in_the_order_asked(tmp_path, short_scan):
    top = short_scan.pages[0].crop((0, 0, 2480, 1100))
    other = text_page(["Hạn báo cáo: trước ngày 20/4/2026."], size=(2480, 600))
    path = tmp_path / "scan.pdf"
    fx.save_pdf([top, other], path, 300)
    (second, c2), (first, c1) = ocr_pdf_pages(path, [2, 1])
    assert "Số: 2094/SGDĐT-HSSV" in first and "trước ngày 20/4/2026" in second
    assert c1 > 80 and c2 > 80


@needs_tesseract
def test_a_page_on_its_side_is_turned_upright(short_scan):
    top = short_scan.pages[0].crop((0, 0, 2480, 1300))
    page = ocr_page(top.rotate(90, expand=True), 300)
    assert page.steps[0] == "turned 90° clockwise"
    assert "Kính gửi" in page.text and page.confidence > 80


@needs_tesseract
def test_a_page_of_noise_reads_with_low_confidence_and_is_flagged(tmp_path):
    rng = np.random.default_rng(3)
    blotches = Image.fromarray((rng.random((60, 80)) > 0.5).astype(np.uint8) * 255).resize((800, 600))
    path = tmp_path / "blotches.png"
    blotches.save(path, dpi=(300, 300))
    doc = read(path)
    assert doc.source.needs_review
    assert doc.warnings


@needs_tesseract
def test_searchable_pdfa_copy(tmp_path):
    pytest.importorskip("ocrmypdf")
    import pypdfium2 as pdfium

    scan = fx.render_scan("Kính gửi: Các phòng giáo dục và đào tạo\nĐề nghị báo cáo trước ngày 20/4/2026.",
                          fx.ScanStyle(dpi=200, seal=False))
    src, dst = tmp_path / "scan.pdf", tmp_path / "archive.pdf"
    fx.save_pdf([scan.pages[0].crop((0, 0, 1654, 600))], src, 200)
    make_searchable_pdf(src, dst)
    with pdfium.PdfDocument(str(dst)) as pdf:
        text = pdf[0].get_textpage().get_text_range()
    assert "Kính gửi" in text
    assert b"<pdfaid:part>2</pdfaid:part>" in dst.read_bytes()
