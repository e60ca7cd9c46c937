"""samples/build_fixtures.py: the fixtures are what they claim to be, and the same seed gives
the same bytes. Scans are rendered at low resolution here: no OCR in this file."""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "samples"))
import build_fixtures as fx  # noqa: E402

FIXTURES = REPO / "samples" / "fixtures"
FROM_TCVN3 = {code: letter for letter, code in fx.TO_TCVN3.items()}


def case(name: str, *values):
    return pytest.param(*values, id=name)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- the parts of a dispatch

@pytest.mark.parametrize("stem, left, right, signature", [
    case("portal copy, wrapped header", "048",
         ["UBND THÀNH PHỐ HÀ", "NỘI", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "-------", "Số: 5095/SGDĐT-CTTTHSSV"],
         ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "---------------",
          "Hà Nội, ngày 03 tháng 12 năm 2025"],
         ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Quang Tuấn"]),
    case("DOCX text, one line each", "044",
         ["SỞ GDĐT TỈNH ĐỒNG THÁP", "TRƯỜNG THPT CAO LÃNH 2", "Số: 58/KH-THPTCL2"],
         ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
          "Đồng Tháp, ngày 15 tháng 4 năm 2026"],
         ["PHÓ HIỆU TRƯỞNG", "Trần Thanh Vũ"]),
    case("no name block, markdown bold", "s02",
         ["Số: /SGDDĐT-CTTT"], ["Khánh Hòa, ngày tháng 6 năm 2019"],
         ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Lê Đình Thuần"]),
])
def test_split_parts(stem, left, right, signature):
    parts = fx.split_parts(fx.source_text(stem).read_text(encoding="utf-8"))
    assert parts.left[: len(left)] == left
    assert parts.right == right
    assert parts.signature == signature


@pytest.mark.parametrize("text, runs", [
    case("lower case", "các đơn vị", [("c¸c ®¬n vÞ", ".VnTime")]),
    case("encoded capital", "Đề nghị", [("§Ò nghÞ", ".VnTime")]),
    case("capital with a tone: H font", "Ủy ban", [("ñ", ".VnTimeH"), ("y ban", ".VnTime")]),
    case("upper-case word: H font", "SỞ GD", [("së", ".VnTimeH"), (" GD", ".VnTime")]),
])
def test_tcvn3_runs(text, runs):
    assert fx.tcvn3_runs(text) == runs


# ---------------------------------------------------------------- committed small fixtures

def test_manifest_matches_the_committed_files():
    manifest = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))
    assert {"044_header-table-numbering.docx", "s02_tcvn3.docx"} <= set(manifest)
    for name, entry in manifest.items():
        assert (FIXTURES / name).is_file(), name
        if name.endswith(".docx"):  # LibreOffice stamps the time into PDFs: those are not byte-stable
            assert sha256(FIXTURES / name) == entry["sha256"], name
    assert sum((FIXTURES / name).stat().st_size for name in manifest) < 400_000


def test_small_fixtures_rebuild_to_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(fx, "export_pdf", lambda docx, pdf: False)  # LibreOffice: not byte-stable, slow
    made = fx.build_small(tmp_path)
    for name in ("044_header-table-numbering.docx", "s02_tcvn3.docx"):
        assert made[name]["sha256"] == sha256(FIXTURES / name), f"{name}: rebuilt bytes differ from the committed file"


def test_docx_has_a_header_table_and_word_numbering():
    import docx

    document = docx.Document(str(FIXTURES / "044_header-table-numbering.docx"))
    header = document.tables[0]
    assert header.rows[0].cells[0].text == "SỞ GDĐT TỈNH ĐỒNG THÁP"
    assert header.rows[0].cells[1].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    numbered = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert numbered[0].startswith("Phân tích đề thi tốt nghiệp")  # "1." is Word's, not in the text
    assert bullets and not any(b.startswith("-") for b in bullets)


def test_tcvn3_docx_decodes_back_to_the_corpus_text():
    import docx

    document = docx.Document(str(FIXTURES / "s02_tcvn3.docx"))
    fonts = {run.font.name for p in document.paragraphs for run in p.runs}
    assert fonts == {".VnTime", ".VnTimeH"}
    decoded = [
        "".join("".join(FROM_TCVN3.get(ch, ch) for ch in run.text) if run.font.name == ".VnTime"
                else "".join(FROM_TCVN3.get(ch, ch) for ch in run.text).upper() for run in p.runs)
        for p in document.paragraphs]
    assert "Lê Đình Thuần" in decoded
    assert any(line.startswith("Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh Khánh Hòa") for line in decoded)
    assert not any("Đ" in run.text or "ư" in run.text for p in document.paragraphs for run in p.runs)


def test_libreoffice_pdf_has_the_header_in_its_text_layer():
    path = FIXTURES / "044_libreoffice.pdf"
    if not path.exists():
        pytest.skip("built without LibreOffice")
    import pypdfium2 as pdfium

    with pdfium.PdfDocument(str(path)) as pdf:
        text = pdf[0].get_textpage().get_text_range()
    assert "Số: 58/KH-THPTCL2" in text and "KẾ HOẠCH" in text


# ---------------------------------------------------------------- scans

SMALL_SCAN = fx.ScanStyle(dpi=100)


def test_scan_is_reproducible_from_its_seed():
    text = fx.source_text("048").read_text(encoding="utf-8")
    first, again = fx.render_scan(text, SMALL_SCAN, seed=5), fx.render_scan(text, SMALL_SCAN, seed=5)
    other = fx.render_scan(text, SMALL_SCAN, seed=6)
    assert [p.tobytes() for p in first.pages] == [p.tobytes() for p in again.pages]
    assert first.pages[0].tobytes() != other.pages[0].tobytes()
    assert first.truth == other.truth


def test_scan_looks_like_a_scan():
    text = fx.source_text("048").read_text(encoding="utf-8")
    scan = fx.render_scan(text, fx.ScanStyle(dpi=100))
    assert len(scan.pages) == 2 and scan.pages[0].size == (827, 1169)
    last = scan.pages[-1]
    r, g, b = (np.asarray(last)[..., i].astype(int) for i in range(3))
    reds = int(((r > 150) & (g < 110) & (b < 110)).sum())
    blues = int(((b > 120) & (r < 90)).sum())
    assert reds > 500 and blues > 50  # the seal and the signature
    lines = scan.truth.splitlines()
    assert lines[0] == "UBND THÀNH PHỐ HÀ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"  # header rows, left then right
    assert "Số: 5095/SGDĐT-CTTTHSSV Hà Nội, ngày 03 tháng 12 năm 2025" in lines
    assert "-------" not in scan.truth  # rules are drawn, not printed as dashes
    assert lines[-1] == "Nguyễn Quang Tuấn"


def test_build_scans_writes_every_format_with_its_truth(tmp_path):
    made = fx.build_scans(tmp_path, stems=("s02",), styles={"100dpi": SMALL_SCAN})
    entry = made["s02_100dpi"]
    assert entry["pages"] == 2
    assert sorted(entry["files"]) == ["s02_100dpi.pdf", "s02_100dpi.tif", "s02_100dpi_p1.png", "s02_100dpi_p2.png"]
    assert Image.open(tmp_path / "s02_100dpi.tif").n_frames == 2
    assert Image.open(tmp_path / "s02_100dpi_p1.png").info["dpi"][0] == pytest.approx(100, abs=0.5)
    import pypdfium2 as pdfium

    with pdfium.PdfDocument(str(tmp_path / "s02_100dpi.pdf")) as pdf:
        assert len(pdf) == 2 and not pdf[0].get_textpage().get_text_range().strip()
    assert (tmp_path / "s02_100dpi.gt.txt").read_text(encoding="utf-8").startswith("Số: /SGDDĐT-CTTT")
    assert json.loads((tmp_path / "scans.json").read_text(encoding="utf-8")) == made
    if (FIXTURES / "044_libreoffice.pdf").exists():
        with pdfium.PdfDocument(str(tmp_path / "mixed_text-then-scan.pdf")) as pdf:
            texts = [pdf[i].get_textpage().get_text_range().strip() for i in range(len(pdf))]
        assert len(texts) == 3 and "KẾ HOẠCH" in texts[0] and texts[1:] == ["", ""]


def test_cli_builds_small_fixtures(tmp_path, monkeypatch):
    monkeypatch.setattr(fx, "export_pdf", lambda docx, pdf: False)  # LibreOffice's own test: the committed PDF
    assert fx.main(["--out", str(tmp_path)]) == 0
    assert (tmp_path / "manifest.json").is_file() and (tmp_path / "s02_tcvn3.docx").is_file()
