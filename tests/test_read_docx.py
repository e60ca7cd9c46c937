"""The DOCX reader on documents made here with python-docx: reading order, tables, list numbers Word
keeps out of the text, text boxes, headers and footers, legacy fonts, page breaks, and bad input."""
from __future__ import annotations

import io
import re
import struct
import time
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from pipeline.read import ReadError, read
from pipeline.read import docx_tabs

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
W_NS = nsdecls("w")


def case(name: str, *values):
    return pytest.param(*values, id=name)


def save(document, path: Path) -> Path:
    document.save(path)
    return path


def lines(path: Path) -> list[str]:
    return read(path).text.split("\n")


def header_table(document, rows: list[tuple[list[str], list[str]]]) -> None:
    table = document.add_table(rows=len(rows), cols=2)
    for row, (left, right) in zip(table.rows, rows):
        for cell, texts in zip(row.cells, (left, right)):
            cell.paragraphs[0].text = texts[0]
            for text in texts[1:]:
                cell.add_paragraph(text)


def add_numbering(document, levels: list[tuple[str, str]], start: int = 1) -> str:
    """A list definition with (numFmt, lvlText) per level; returns its numId."""
    numbering = document.part.numbering_part.element
    ids = [int(n.get(qn("w:abstractNumId"))) for n in numbering.findall(qn("w:abstractNum"))]
    abstract_id = max(ids, default=0) + 1
    num_ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    num_id = max(num_ids, default=0) + 1
    lvls = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
                   f'<w:lvlText w:val="{text}"/></w:lvl>' for i, (fmt, text) in enumerate(levels))
    abstract = parse_xml(f'<w:abstractNum {W_NS} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>')
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {W_NS} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'))
    return str(num_id)


def numbered(document, text: str, num_id: str, level: int = 0):
    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {W_NS}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return paragraph


# ---------------------------------------------------------------- reading order

def test_header_table_then_body_then_closing_table(tmp_path):
    document = docx.Document()
    header_table(document, [
        (["UBND TỈNH ĐỒNG THÁP", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"],
         ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]),
        (["Số: 123/SGDĐT-GDPT", "V/v kiểm tra giáo dục STEM"], ["Đồng Tháp, ngày 15 tháng 4 năm 2026"]),
    ])
    document.add_paragraph("Kính gửi: Các trường trung học phổ thông")
    document.add_paragraph("Sở GDĐT đề nghị các trường báo cáo trước ngày 20/4/2026./.")
    header_table(document, [(["Nơi nhận:", "- Như trên;", "- Lưu: VT."], ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "Nguyễn Văn An"])])
    assert lines(save(document, tmp_path / "cv.docx")) == [
        "UBND TỈNH ĐỒNG THÁP", "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Số: 123/SGDĐT-GDPT", "V/v kiểm tra giáo dục STEM", "Đồng Tháp, ngày 15 tháng 4 năm 2026",
        "Kính gửi: Các trường trung học phổ thông",
        "Sở GDĐT đề nghị các trường báo cáo trước ngày 20/4/2026./.",
        "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An",
    ]


def test_rows_of_three_cells_or_more_are_one_line(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for row, values in zip(table.rows, [("TT", "Tên đơn vị", "Cấp học"), ("1", "Trường THCS An Thạnh", "THCS"),
                                        ("", "", "")]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    assert lines(save(document, tmp_path / "t.docx")) == ["TT | Tên đơn vị | Cấp học", "1 | Trường THCS An Thạnh | THCS"]


def test_tab_laid_header_is_unfolded_like_a_table(tmp_path):
    document = docx.Document()
    for text in ["UBND TỈNH ĐỒNG THÁP\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "SỞ GIÁO DỤC VÀ ĐÀO TẠO\t\tĐộc lập - Tự do - Hạnh phúc",
                 "Số: 123/SGDĐT\t\tĐồng Tháp, ngày 15 tháng 4 năm 2026",
                 "Kính gửi: Các trường", "\tNội dung thứ nhất của công văn.",
                 "\t\tKT. GIÁM ĐỐC", "Nơi nhận:\t\tPHÓ GIÁM ĐỐC", "- Như trên;", "- Lưu: VT.\t\tNguyễn Văn An"]:
        document.add_paragraph(text)
    assert lines(save(document, tmp_path / "tabs.docx")) == [
        "UBND TỈNH ĐỒNG THÁP", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Số: 123/SGDĐT",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Đồng Tháp, ngày 15 tháng 4 năm 2026",
        "Kính gửi: Các trường", "Nội dung thứ nhất của công văn.",
        "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An",
    ]


def test_tabs_in_the_body_are_left_alone(tmp_path):
    document = docx.Document()
    for text in ["Thời gian:\t14 giờ ngày 28/4/2026", "Địa điểm:\tPhòng họp số 2", "Đề nghị các đơn vị đến đúng giờ."]:
        document.add_paragraph(text)
    assert lines(save(document, tmp_path / "body-tabs.docx")) == [
        "Thời gian: 14 giờ ngày 28/4/2026", "Địa điểm: Phòng họp số 2", "Đề nghị các đơn vị đến đúng giờ."]


# ---------------------------------------------------------------- list numbers

def test_style_lists_get_their_numbers_and_bullets(tmp_path):
    document = docx.Document()
    document.add_paragraph("Phòng Giáo dục Phổ thông chủ trì.", style="List Number")
    document.add_paragraph("Văn phòng Sở phối hợp.", style="List Number")
    document.add_paragraph("Chuẩn bị hồ sơ.", style="List Bullet")
    assert lines(save(document, tmp_path / "lists.docx")) == [
        "1. Phòng Giáo dục Phổ thông chủ trì.", "2. Văn phòng Sở phối hợp.", "- Chuẩn bị hồ sơ."]


def test_multilevel_numbers_restart_below_and_continue_above(tmp_path):
    document = docx.Document()
    num = add_numbering(document, [("upperRoman", "%1."), ("decimal", "%2."), ("lowerLetter", "%3)")])
    numbered(document, "MỤC ĐÍCH, YÊU CẦU", num, 0)
    numbered(document, "Mục đích", num, 1)
    numbered(document, "Nâng cao chất lượng", num, 2)
    numbered(document, "Tăng cường phối hợp", num, 2)
    numbered(document, "Yêu cầu", num, 1)
    numbered(document, "TỔ CHỨC THỰC HIỆN", num, 0)
    numbered(document, "Phòng Giáo dục Phổ thông", num, 1)
    document.add_paragraph("Đoạn văn không đánh số.")
    assert lines(save(document, tmp_path / "levels.docx")) == [
        "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "a) Nâng cao chất lượng", "b) Tăng cường phối hợp", "2. Yêu cầu",
        "II. TỔ CHỨC THỰC HIỆN", "1. Phòng Giáo dục Phổ thông", "Đoạn văn không đánh số."]


@pytest.mark.parametrize("fmt,text,expected", [
    case("legal", "decimal", "%1.%2.", ["1.1. Một", "1.2. Hai"]),
    case("zero-padded", "decimalZero", "%2.", ["01. Một", "02. Hai"]),
    case("dash-bullet", "bullet", "–", ["- Một", "- Hai"]),
    case("plus-bullet", "bullet", "+", ["+ Một", "+ Hai"]),
    case("symbol-bullet", "bullet", "\uf0b7", ["- Một", "- Hai"]),
])
def test_number_formats(tmp_path, fmt, text, expected):
    document = docx.Document()
    num = add_numbering(document, [("decimal", "%1."), (fmt, text)])
    numbered(document, "Một", num, 1)
    numbered(document, "Hai", num, 1)
    assert lines(save(document, tmp_path / "fmt.docx")) == expected


def test_a_numbered_empty_paragraph_prints_nothing(tmp_path):
    document = docx.Document()
    num = add_numbering(document, [("decimal", "%1.")])
    numbered(document, "", num)
    numbered(document, "Nội dung", num)
    assert lines(save(document, tmp_path / "empty-item.docx")) == ["2. Nội dung"]


# ---------------------------------------------------------------- text boxes, headers, hidden text

TEXT_BOX = (
    '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" {w}>'
    '<mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent>'
    '<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>'
    '<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>'
    '<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>'
    '</mc:AlternateContent>'
)


def test_text_box_text_is_read_once(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph()
    run = paragraph.add_run()
    run._r.append(parse_xml(TEXT_BOX.format(w=W_NS, text="DỰ THẢO")))
    paragraph.add_run("Kế hoạch tổ chức hội nghị")
    assert lines(save(document, tmp_path / "box.docx")) == ["DỰ THẢO", "Kế hoạch tổ chức hội nghị"]


def test_header_text_kept_page_numbers_and_gazette_headers_dropped(tmp_path):
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "MẬT"
    section.header.add_paragraph("CÔNG BÁO/Số 281/Ngày 21-05-2026")
    section.footer.paragraphs[0].text = "2"
    section.footer.add_paragraph("Tài liệu lưu hành nội bộ")
    document.add_paragraph("Nội dung chính của văn bản.")
    assert lines(save(document, tmp_path / "hf.docx")) == ["MẬT", "Nội dung chính của văn bản.",
                                                         "Tài liệu lưu hành nội bộ"]


def test_hidden_and_deleted_text_is_left_out_inserted_text_kept(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph("Hạn báo cáo: ")
    hidden = paragraph.add_run("ghi chú ẩn ")
    hidden.font.hidden = True
    paragraph._p.append(parse_xml(f'<w:del {W_NS} w:id="1" w:author="a"><w:r><w:delText>15/4</w:delText></w:r></w:del>'))
    paragraph._p.append(parse_xml(f'<w:ins {W_NS} w:id="2" w:author="a"><w:r><w:t>20/4/2026</w:t></w:r></w:ins>'))
    assert lines(save(document, tmp_path / "tracked.docx")) == ["Hạn báo cáo: 20/4/2026"]


def test_page_breaks_give_the_page_map(tmp_path):
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.add_paragraph("Trang một.")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("Trang hai.")
    result = read(save(document, tmp_path / "pages.docx"))
    assert result.text == "Trang một.\nTrang hai."
    assert [(p.number, result.text[p.start:p.end].strip()) for p in result.pages] == [(1, "Trang một."),
                                                                                      (2, "Trang hai.")]
    assert result.pages[-1].end == len(result.text)


def test_decomposed_accents_come_out_composed(tmp_path):
    document = docx.Document()
    document.add_paragraph("Ke\u0300m theo Quye\u0302\u0301t đi\u0323nh")
    assert lines(save(document, tmp_path / "nfd.docx")) == ["Kèm theo Quyết định"]


# ---------------------------------------------------------------- legacy fonts

def test_runs_in_tcvn3_fonts_are_converted_by_font(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph()
    run = paragraph.add_run("céng hoµ x· héi chñ nghÜa viÖt nam")
    run.font.name = ".VnTimeH"
    run = document.add_paragraph().add_run("§éc lËp - Tù do - H¹nh phóc")
    run.font.name = ".VnTime"
    document.add_paragraph("Unicode: Céng").runs[0].font.name = "Times New Roman"
    assert lines(save(document, tmp_path / "tcvn3.docx")) == [
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Unicode: Céng"]


def test_a_legacy_font_in_the_style_counts(tmp_path):
    document = docx.Document()
    document.styles["Normal"].font.name = "VNI-Times"
    document.add_paragraph("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam")
    assert lines(save(document, tmp_path / "vni.docx")) == ["Cộng hòa xã hội chủ nghĩa Việt Nam"]


def test_legacy_text_without_its_font_name_is_found_by_its_letters(tmp_path):
    document = docx.Document()
    for text in ["Së Gi¸o dôc vµ §µo t¹o", "KÝnh göi: c¸c tr\u00adêng trung häc c¬ së",
                 "§Ò nghÞ c¸c ®¬n vÞ b¸o c¸o tr\u00adíc ngµy 20 th¸ng 4 n¨m 2026"]:
        document.add_paragraph(text)
    result = read(save(document, tmp_path / "lost-font.docx"))
    assert result.text.split("\n") == ["Sở Giáo dục và Đào tạo", "Kính gửi: các trường trung học cơ sở",
                                       "Đề nghị các đơn vị báo cáo trước ngày 20 tháng 4 năm 2026"]
    assert any("TCVN3" in w for w in result.warnings)


# ---------------------------------------------------------------- bad input

def zip_with(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_members() -> dict[str, bytes]:
    valid = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Nội dung.")
    document.save(valid)
    archive = zipfile.ZipFile(valid)
    return {i.filename: archive.read(i) for i in archive.infolist()}


@pytest.mark.parametrize("member,padding", [
    case("huge-member", "word/media/padding.bin", b"\0" * 30_000_000),   # compresses about 1000:1
    case("xml-bomb", "word/document.xml", b" " * 5_000_000),
])
def test_zip_bomb_is_refused_from_its_directory(tmp_path, member, padding):
    members = docx_members()
    members[member] = members.get(member, b"") + padding
    path = tmp_path / "bomb.docx"
    path.write_bytes(zip_with(members))
    started = time.monotonic()
    with pytest.raises(ReadError, match="zip bomb"):
        read(path)
    assert time.monotonic() - started < 3


def test_a_blank_image_that_compresses_well_is_no_bomb(tmp_path):
    members = docx_members()
    members["word/media/blank.bmp"] = b"BM" + b"\xff" * 3_000_000
    path = tmp_path / "scan.docx"
    path.write_bytes(zip_with(members))
    assert read(path).text == "Nội dung."


def forge_size(data: bytes, member: str, size: int) -> bytes:
    """The ZIP with `member`'s uncompressed size in the central directory claimed to be `size`."""
    data = bytearray(data)
    entry = data.find(b"PK\x01\x02")
    while entry >= 0:
        name_length = struct.unpack_from("<H", data, entry + 28)[0]
        if data[entry + 46:entry + 46 + name_length].decode() == member:
            struct.pack_into("<I", data, entry + 24, size)
            return bytes(data)
        entry = data.find(b"PK\x01\x02", entry + 46)
    raise AssertionError(f"{member} not in the archive")


@pytest.mark.parametrize("member,size,message", [
    case("media-too-large", "docProps/app.xml", 300_000_000, r"would decompress to 30\d MB"),
    case("xml-too-large", "word/document.xml", 60_000_000, r"6\d MB of XML to parse"),
])
def test_declared_sizes_beyond_the_limits_are_refused(tmp_path, member, size, message):
    valid = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Nội dung.")
    document.save(valid)
    path = tmp_path / "forged.docx"
    path.write_bytes(forge_size(valid.getvalue(), member, size))
    with pytest.raises(ReadError, match=message):
        read(path)


def test_damaged_docx_is_refused(tmp_path):
    valid = io.BytesIO()
    docx.Document().save(valid)
    path = tmp_path / "cut.docx"
    path.write_bytes(valid.getvalue()[:2000])
    with pytest.raises(ReadError):
        read(path)


def test_a_zip_that_is_no_word_document_is_refused(tmp_path):
    path = tmp_path / "archive.docx"
    path.write_bytes(zip_with({"readme.txt": b"hello"}))
    with pytest.raises(ReadError, match="not a format congvan reads"):
        read(path)


def test_a_docx_named_pdf_is_read_as_docx(tmp_path):
    document = docx.Document()
    document.add_paragraph("Kế hoạch số 58/KH-THPTCL2")
    path = save(document, tmp_path / "ke-hoach.pdf")
    result = read(path)
    assert result.source.media_type.endswith("wordprocessingml.document")
    assert result.text == "Kế hoạch số 58/KH-THPTCL2"


def test_an_empty_word_document_is_refused(tmp_path):
    with pytest.raises(ReadError, match="no text"):
        read(save(docx.Document(), tmp_path / "empty.docx"))


# ---------------------------------------------------------------- real files

def _flat(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", line).strip() for line in text.split("\n") if line.strip()]


@pytest.mark.parametrize("file,text", [case("kh-58", "F05_", "044_"), case("qd-494-long-tables", "F15_", "106_")])
def test_real_docx_reads_like_its_corpus_text(file, text):
    files = sorted((SHARED / "corpus-files").glob(f"{file}*.docx")) if (SHARED / "corpus-files").is_dir() else []
    texts = sorted((SHARED / "corpus" / "text").glob(f"{text}*.txt")) if (SHARED / "corpus").is_dir() else []
    if not files or not texts:
        pytest.skip("shared corpus files not beside the checkout")
    expected = [line for line in _flat(texts[0].read_text(encoding="utf-8"))
                if line.replace("|", "").strip()]  # the corpus keeps rows of empty cells
    assert _flat(read(files[0]).text) == expected


def test_unfold_tabs_needs_the_national_motto_on_the_right():
    blocks = ["Thời gian:\t14 giờ", "Địa điểm:\tHội trường", "Nội dung họp."]
    assert docx_tabs.unfold_tabs(blocks) == blocks
