"""The PDF reader on PDFs made here (pypdfium2 with a Unicode TrueType font, or written by hand):
layout of the two-column blocks, page furniture, the page map, OCR hand-over, and bad input."""
from __future__ import annotations

import ctypes
import hashlib
import sys
import time
import types
from pathlib import Path

import pytest

from pipeline.read import ReadError, read
from pipeline.read import pdf_page

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FONTS = [Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
         Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
         Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf")]
FONT = next((f for f in FONTS if f.exists()), None)
needs_font = pytest.mark.skipif(FONT is None, reason="no Vietnamese TrueType font (fonts-dejavu-core)")
A4 = (595.0, 842.0)

# (x, top, text, size) per item, one list per page
HEADER = [
    (60, 50, "UBND TỈNH ĐỒNG THÁP", 11), (300, 50, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 11),
    (60, 65, "SỞ GIÁO DỤC VÀ ĐÀO TẠO", 11), (330, 65, "Độc lập - Tự do - Hạnh phúc", 11),
    (80, 90, "Số: 123/SGDĐT-GDPT", 11), (320, 90, "Đồng Tháp, ngày 15 tháng 4 năm 2026", 11),
    (60, 105, "V/v kiểm tra giáo dục STEM", 11),
    (200, 140, "Kính gửi: Các trường trung học phổ thông", 12),
]
BODY = [(70, 170 + 16 * i, f"Dòng nội dung thứ {i + 1} của công văn, viết đủ dài để trải hết chiều ngang trang.", 11)
        for i in range(5)]
TAIL = [
    (70, 300, "Nơi nhận:", 10), (360, 300, "KT. GIÁM ĐỐC", 11),
    (70, 313, "- Như trên;", 10), (360, 315, "PHÓ GIÁM ĐỐC", 11),
    (70, 326, "- Lưu: VT, GDPT.", 10),
    (360, 370, "Nguyễn Văn An", 11),
]


def case(name: str, *values):
    return pytest.param(*values, id=name)


# ---------------------------------------------------------------- making PDFs

def make_pdf(path: Path, pages: list[list[tuple]], size=A4, images: dict[int, float] | None = None,
             rules: dict[int, list[tuple]] | None = None) -> Path:
    """A PDF with each text item placed at (x, top) in the font FONT; `images` puts a grey image
    covering that share of the page on the given (0-based) pages, `rules` draws lines
    (x0, top, x1, bottom) on them."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument.new()
    data = FONT.read_bytes()
    buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
    font = raw.FPDFText_LoadFont(document.raw, buffer, len(data), raw.FPDF_FONT_TRUETYPE, True)
    for index, items in enumerate(pages):
        page = document.new_page(*size)
        for x, top, text, points in items:
            obj = raw.FPDFPageObj_CreateTextObj(document.raw, font, points)
            utf16 = (text + "\0").encode("utf-16-le")
            raw.FPDFText_SetText(obj, (ctypes.c_ushort * (len(utf16) // 2)).from_buffer_copy(utf16))
            raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, size[1] - top - points)
            raw.FPDFPage_InsertObject(page.raw, obj)
        if images and index in images:
            _add_image(document, page, size, images[index])
        for x0, top, x1, bottom in (rules or {}).get(index, []):
            line = raw.FPDFPageObj_CreateNewPath(x0, size[1] - top)
            raw.FPDFPath_LineTo(line, x1, size[1] - bottom)
            raw.FPDFPath_SetDrawMode(line, raw.FPDF_FILLMODE_NONE, True)
            raw.FPDFPage_InsertObject(page.raw, line)
        page.gen_content()
    document.save(path)
    raw.FPDFFont_Close(font)
    return path


def _add_image(document, page, size, share: float) -> None:
    import pypdfium2 as pdfium
    from PIL import Image

    image = pdfium.PdfImage.new(document)
    image.set_bitmap(pdfium.PdfBitmap.from_pil(Image.new("RGB", (100, 100), (200, 200, 200))))
    width, height = size[0] * share ** 0.5, size[1] * share ** 0.5
    image.set_matrix(pdfium.PdfMatrix().scale(width, height).translate(20, 20))
    page.insert_obj(image)


PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def rc4(key: bytes, data: bytes) -> bytes:
    s, j = list(range(256)), 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    i = j = 0
    out = bytearray()
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def pdf_file(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF from numbered object bodies (1, 2, …), with a correct cross-reference table."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def encrypted_pdf(user_password: str, owner_password: str = "owner") -> bytes:
    """A one-page PDF under the standard security handler (RC4, 40 bits, revision 2)."""
    def pad(password: str) -> bytes:
        return (password.encode("latin-1") + PAD)[:32]
    owner = rc4(hashlib.md5(pad(owner_password)).digest()[:5], pad(user_password))
    permissions, file_id = -44, b"congvan-test-id!"
    key = hashlib.md5(pad(user_password) + owner + permissions.to_bytes(4, "little", signed=True)
                      + file_id).digest()[:5]
    user = rc4(key, PAD)
    content = b"BT /F1 24 Tf 72 700 Td (Secret dispatch text) Tj ET"
    stream = rc4(hashlib.md5(key + (4).to_bytes(3, "little") + (0).to_bytes(2, "little")).digest()[:10], content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (owner.hex().encode(), user.hex().encode(),
                                                                     permissions),
    ]
    return pdf_file(objects, b"/Encrypt 6 0 R /ID [<%s> <%s>] " % (file_id.hex().encode(), file_id.hex().encode()))


def many_pages(path: Path, count: int) -> Path:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    for _ in range(count):
        document.new_page(*A4)
    document.save(path)
    return path


# ---------------------------------------------------------------- layout

@needs_font
def test_two_column_header_comes_out_left_block_then_right_block(tmp_path):
    document = read(make_pdf(tmp_path / "cv.pdf", [HEADER + BODY]))
    lines = document.text.split("\n")
    assert lines[:8] == [
        "UBND TỈNH ĐỒNG THÁP", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Số: 123/SGDĐT-GDPT", "V/v kiểm tra giáo dục STEM",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Đồng Tháp, ngày 15 tháng 4 năm 2026",
        "Kính gửi: Các trường trung học phổ thông",
    ]
    assert lines[8].startswith("Dòng nội dung thứ 1 ")


@needs_font
def test_noi_nhan_then_the_signature_block(tmp_path):
    document = read(make_pdf(tmp_path / "cv.pdf", [HEADER + BODY + TAIL]))
    tail = document.text.split("\n")[-6:]
    assert tail == ["Nơi nhận:", "- Như trên;", "- Lưu: VT, GDPT.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"]


@needs_font
def test_a_page_without_columns_keeps_its_lines(tmp_path):
    items = [(70, 100 + 20 * i, f"Đoạn {i}: một dòng văn bản trải ngang giữa trang in.", 12) for i in range(4)]
    document = read(make_pdf(tmp_path / "plain.pdf", [items]))
    assert document.text.split("\n") == [f"Đoạn {i}: một dòng văn bản trải ngang giữa trang in." for i in range(4)]


@needs_font
def test_page_furniture_is_dropped_and_every_offset_has_its_page(tmp_path):
    pages = []
    for n in range(1, 5):
        furniture = [(200, 30, f"CÔNG BÁO/Số 281/Ngày 21-05-2026 {98 + n}", 10), (290, 800, str(n), 10)]
        body = [(70, 100 + 20 * i, f"Trang {n} dòng {i} của quyết định, đủ dài để chiếm hết dòng.", 12)
                for i in range(3)]
        pages.append(furniture + body)
    document = read(make_pdf(tmp_path / "gazette.pdf", pages))
    assert "CÔNG BÁO" not in document.text
    assert not any(line.strip().isdigit() for line in document.text.split("\n"))
    assert [p.number for p in document.pages] == [1, 2, 3, 4]
    assert document.pages[0].start == 0 and document.pages[-1].end == len(document.text)
    for before, after in zip(document.pages, document.pages[1:]):
        assert before.end == after.start
    for page in document.pages:
        assert f"Trang {page.number} dòng 0" in document.text[page.start:page.end]
    assert document.source.pages == 4 and not document.source.ocr


@needs_font
def test_a_line_repeated_in_the_top_margin_of_most_pages_is_a_running_header(tmp_path):
    pages = [[(150, 25, "Sở Giáo dục và Đào tạo tỉnh Đồng Tháp - Kế hoạch STEM", 9),
              (70, 120, f"Nội dung trang {n} của kế hoạch, dòng đủ dài để chiếm ngang trang.", 12)]
             for n in range(1, 4)]
    document = read(make_pdf(tmp_path / "running.pdf", pages))
    assert "Kế hoạch STEM" not in document.text
    assert document.text.count("Nội dung trang") == 3


@needs_font
def test_ruled_table_rows_come_out_one_line_each(tmp_path):
    cells = [
        (80, 104, "TT", 10), (130, 104, "Tên đơn vị", 10), (330, 104, "Cấp học", 10),
        (80, 124, "1", 10), (130, 124, "Trường THCS An Thạnh", 10), (330, 124, "Trung học cơ sở", 10),
        (80, 144, "2", 10), (130, 144, "Trường THPT Tân Hồng", 10), (330, 144, "Trung học phổ thông", 10),
    ]
    rules = [(75, top, 480, top) for top in (100, 120, 140, 160)] + [(x, 100, x, 160) for x in (75, 125, 325, 480)]
    text = read(make_pdf(tmp_path / "table.pdf", [cells], rules={0: rules})).text
    assert text.split("\n") == ["TT | Tên đơn vị | Cấp học", "1 | Trường THCS An Thạnh | Trung học cơ sở",
                                "2 | Trường THPT Tân Hồng | Trung học phổ thông"]


@pytest.mark.parametrize("fonts,expected", [
    case("tcvn3", [".VnTime"] * 4, "Cộng"),
    case("tcvn3-upper-font", ["BCDEEE+.VnTimeH"] * 4, "CỘNG"),
    case("unicode-font", ["TimesNewRomanPSMT"] * 4, "Céng"),
    case("mixed-run", ["TimesNewRomanPSMT", ".VnTime", ".VnTime", ".VnTime"], "Cộng"),
])
def test_words_in_legacy_fonts_are_converted_by_their_font(fonts, expected):
    chars = [{"text": t, "fontname": f} for t, f in zip("Céng", fonts)]
    assert pdf_page.word_text(chars) == expected


@needs_font
def test_tcvn3_letters_under_a_unicode_font_name_are_found_by_their_statistics(tmp_path):
    items = [(70, 100, "Së Gi¸o dôc vµ §µo t¹o tØnh §ång Th¸p", 12),
             (70, 120, "§Ò nghÞ c¸c tr\u00adêng b¸o c¸o tr\u00adíc ngµy 20 th¸ng 4 n¨m 2026", 12)]
    document = read(make_pdf(tmp_path / "old-font.pdf", [items]))
    assert document.text.split("\n") == ["Sở Giáo dục và Đào tạo tỉnh Đồng Tháp",
                                          "Đề nghị các trường báo cáo trước ngày 20 tháng 4 năm 2026"]
    assert any("TCVN3" in w for w in document.warnings)


# ---------------------------------------------------------------- OCR hand-over

def fake_ocr(monkeypatch, calls: list) -> None:
    module = types.ModuleType("pipeline.read.ocr")

    def ocr_pdf_pages(path, page_numbers):
        calls.append(list(page_numbers))
        return [(f"Văn bản quét trang {n}\nĐề nghị các trường báo cáo.", 91.0) for n in page_numbers]
    module.ocr_pdf_pages = ocr_pdf_pages
    monkeypatch.setitem(sys.modules, "pipeline.read.ocr", module)


@needs_font
def test_scanned_pages_of_a_mixed_pdf_go_to_ocr_page_by_page(tmp_path, monkeypatch):
    calls: list = []
    fake_ocr(monkeypatch, calls)
    gazette = [(200, 30, "CÔNG BÁO/Số 88/Ngày 06-02-2026 101", 10)]
    path = make_pdf(tmp_path / "mixed.pdf", [HEADER + BODY, gazette, gazette + [(360, 700, "KT. BỘ TRƯỞNG", 11)]],
                    images={1: 0.8, 2: 0.5})
    document = read(path)
    assert calls == [[2, 3]]
    assert [(p.number, p.ocr, p.confidence) for p in document.pages] == [(1, False, None), (2, True, 91.0),
                                                                          (3, True, 91.0)]
    page2 = document.pages[1]
    assert document.text[page2.start:page2.end].startswith("Văn bản quét trang 2")
    assert document.source.ocr and document.source.ocr_confidence == 91.0
    assert not document.source.needs_review


@needs_font
def test_without_the_ocr_module_a_scan_is_refused_clearly(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pipeline.read.ocr", None)  # import fails
    path = make_pdf(tmp_path / "scan.pdf", [[]], images={0: 1.0})
    with pytest.raises(ReadError, match="scanned pages need OCR, which is not available"):
        read(path)


@needs_font
def test_a_small_logo_does_not_make_a_text_page_a_scan(tmp_path, monkeypatch):
    calls: list = []
    fake_ocr(monkeypatch, calls)
    read(make_pdf(tmp_path / "logo.pdf", [HEADER + BODY + TAIL], images={0: 0.03}))
    assert calls == []


# ---------------------------------------------------------------- bad input

def test_encrypted_pdf_is_refused(tmp_path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(encrypted_pdf(user_password="mật khẩu".encode("utf-8").decode("latin-1")))
    with pytest.raises(ReadError, match="encrypted PDF"):
        read(path)


def test_pdf_with_only_an_owner_password_is_read(tmp_path):
    path = tmp_path / "permissions.pdf"
    path.write_bytes(encrypted_pdf(user_password=""))
    assert "Secret dispatch text" in read(path).text


def test_two_thousand_pages_are_refused_before_parsing(tmp_path):
    path = many_pages(tmp_path / "long.pdf", 2000)
    started = time.monotonic()
    with pytest.raises(ReadError, match="too many pages .*2000 > 500"):
        read(path)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("keep", [case("half", 0.5), case("header-only", 0.02)])
def test_truncated_pdf_is_refused(tmp_path, keep):
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"]
    data = pdf_file(objects)
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[:max(9, int(len(data) * keep))])
    with pytest.raises(ReadError, match="damaged or truncated PDF"):
        read(path)


def test_a_pdf_of_blank_pages_has_no_text(tmp_path):
    with pytest.raises(ReadError, match="no text"):
        read(many_pages(tmp_path / "blank.pdf", 2))


@needs_font
def test_the_type_comes_from_the_bytes_not_the_name(tmp_path):
    path = make_pdf(tmp_path / "cv.pdf", [HEADER + BODY])
    renamed = path.rename(tmp_path / "cong-van.docx")
    document = read(renamed)
    assert document.source.media_type == "application/pdf"
    assert document.text.startswith("UBND TỈNH ĐỒNG THÁP")


def test_empty_file_named_pdf(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(ReadError, match="empty file"):
        read(path)


# ---------------------------------------------------------------- real files

@pytest.mark.parametrize("name,first_lines", [
    case("signed-kh", "F04_", ["SỞ GDĐT TỈNH ĐỒNG THÁP", "TRƯỜNG THPT CAO LÃNH 2", "Số: 58/KH-THPTCL2",
                               "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                               "Đồng Tháp, ngày 15 tháng 4 năm 2026", "KẾ HOẠCH"]),
    case("cong-bao", "F08_", ["THỦ TƯỚNG CHÍNH PHỦ", "______________", "Số: 798/QĐ-TTg",
                              "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]),
    case("stray-space-in-number", "F07_", ["THỦ TƯỚNG CHÍNH PHỦ", "__________", "Số: 21/CT-TTg"]),
])
def test_real_signed_and_gazette_pdfs(name, first_lines):
    found = sorted((SHARED / "corpus-files").glob(f"{name}*.pdf")) if (SHARED / "corpus-files").is_dir() else []
    if not found:
        pytest.skip("shared corpus files not beside the checkout")
    document = read(found[0])
    assert document.text.split("\n")[:len(first_lines)] == first_lines
    assert "CÔNG BÁO/" not in document.text
    assert document.pages[-1].end == len(document.text)


def test_a_signed_pdf_cut_short_is_read_with_a_warning(tmp_path):
    found = sorted((SHARED / "corpus-files").glob("F04_*.pdf")) if (SHARED / "corpus-files").is_dir() else []
    if not found:
        pytest.skip("shared corpus files not beside the checkout")
    data = found[0].read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[:int(len(data) * 0.8)])  # the signature's incremental update is lost
    document = read(path)
    assert document.text.startswith("SỞ GDĐT TỈNH ĐỒNG THÁP")
    assert any("truncated" in w for w in document.warnings)
