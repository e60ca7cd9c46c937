"""Plain-text dispatches: decoded, legacy encodings converted, offsets into the text read."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.extract import extract_file
from pipeline.read import read

TABLES = json.loads((Path(__file__).resolve().parents[1] / "pipeline/read/legacy_fonts.json").read_text("utf-8"))


def to_tcvn3(text: str) -> str:
    """What a .VnTime document pasted as text looks like: each letter replaced by its TCVN3 code."""
    inverse = {uni: code for code, uni in TABLES["tcvn3"]["map"].items() if len(uni) == 1}
    return "".join(inverse.get(ch, ch) for ch in text)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_text_in_each_unicode_encoding_reads_the_same(tmp_path, encoding):
    text = "Kính gửi: Các trường THCS.\nĐề nghị các trường báo cáo trước ngày 20/4/2026./.\n"
    path = tmp_path / f"cv-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    assert read(path).text == text


# Sentence case whose capitals TCVN3's .VnTime has (ASCII and Ă Â Ê Ô Ơ Ư Đ)
DISPATCH = (
    "Kính gửi: Các trường Tiểu học trên địa bàn huyện.\n"
    "Thực hiện Công văn số 125/SGDĐT-GDTH ngày 05/9/2025 của Sở Giáo dục và Đào tạo, Phòng Giáo dục "
    "và Đào tạo đề nghị các trường thực hiện một số nội dung sau:\n"
    "1. Tổ chức rà soát danh sách học sinh và báo cáo về Phòng trước ngày 20/9/2025.\n"
    "2. Định kỳ hằng tháng cập nhật số liệu lên hệ thống./.\n"
)


def test_tcvn3_text_is_converted_and_extracted(tmp_path):
    path = tmp_path / "cv-tcvn3.txt"
    path.write_text(to_tcvn3(DISPATCH), encoding="utf-8")
    assert path.read_text("utf-8") != DISPATCH
    document = read(path)
    assert any("TCVN3" in w.upper() for w in document.warnings)
    assert document.text == DISPATCH
    record = extract_file(path)
    assert [r.number for r in record.references] == ["125/SGDĐT-GDTH"]
    assert [(t.deadline.date, t.deadline.recurrence) for t in record.tasks] == [("2025-09-20", None), (None, "monthly")]
