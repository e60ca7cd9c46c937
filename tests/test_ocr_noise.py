"""Header facts survive the usual OCR noise of scanned dispatches (F01, F13 of corpus-files)."""
from __future__ import annotations

import pytest

from pipeline.extract import extract_text

CASES = [
    pytest.param("BỘ GIÁO DỤC VÀ ĐÀO TẠO\nSô1§4ØBGDĐT-GDPT\nHà Nội, ngày 10 tháng 4 năm 2026\n",
                 "/BGDĐT-GDPT", "Bộ Giáo dục và Đào tạo", id="F01-digits-overprinted"),
    pytest.param("TRƯỜNG ĐẠI HỌC CÔNG THƯƠNG\nSố: .../KH-DCT\nThành phố Hồ Chí Minh, ngày tháng 6 năm 2026\n",
                 "/KH-DCT", "Trường Đại học Công Thương", id="F13-number-left-for-hand"),
    pytest.param("BỘ TÀI CHÍNH\nTỔNG CỤC THUẾ\nSô: 4222/TCT-PC\nHà Nội, ngày 09 tháng 11 năm 2023\n",
                 "4222/TCT-PC", "Tổng cục Thuế", id="so-read-as-so-with-circumflex"),
]


@pytest.mark.parametrize("header, number, issuer", CASES)
def test_header_under_ocr_noise(header, number, issuer):
    record = extract_text(header + "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nKính gửi: Các đơn vị.\n")
    assert record.number == number
    assert record.issuer.lower() == issuer.lower()


def test_signature_fragments_and_ocr_purpose_in_noi_nhan():
    text = ("Kính gửi: Các Sở Giáo dục và Đào tạo.\nĐề nghị các Sở báo cáo trước ngày 20/4/2026./.\n"
            "Nơi nhận: TL. BỘ TRƯỞNG\n- Như trên;\n_Ti\n- Bộ trưởng (đê báo cáo);\nỘTRƯỞNG\n- Lưu: VT, GDPT.\n")
    cc = [(r.name, r.purpose) for r in extract_text(text).recipients if r.role == "cc"]
    assert cc == [("Bộ trưởng", "đê báo cáo")]
