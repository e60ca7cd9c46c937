"""Each field and task carries a confidence from the evidence that found it."""
from __future__ import annotations

import pytest

from extractors.confidence import field_confidence
from pipeline.extract import extract_text
from schemas import Source

HEADER = (
    "UBND TỈNH KHÁNH HÒA\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\nSố: 2094/SGDĐT-HSSV\nKhánh Hòa, ngày 04 tháng 9 năm 2018\n"
    "V/v đẩy mạnh phong trào toàn dân bảo vệ ANTQ\nKính gửi: Các phòng giáo dục và đào tạo.\n"
)

TASK_CASES = [
    pytest.param("1. Các trường cần xây dựng kế hoạch phòng cháy chữa cháy.", "item_directive", id="item-directive"),
    pytest.param("1. Tổ chức tập huấn cho giáo viên cốt cán.", "item_action", id="item-action"),
    pytest.param("Đề nghị các phòng giáo dục và đào tạo triển khai thực hiện nghiêm túc.", "sentence_directive",
                 id="sentence-directive"),
    pytest.param("Tăng cường kiểm tra công tác an ninh trật tự trong nhà trường.", "sentence_imperative",
                 id="sentence-imperative"),
    pytest.param("Thủ trưởng các đơn vị tổ chức sơ kết, tổng kết công tác xây dựng mô hình.", "sentence_subject",
                 id="sentence-subject"),
]


@pytest.mark.parametrize("body, evidence", TASK_CASES)
def test_task_evidence_and_confidence(body, evidence):
    tasks = extract_text(HEADER + body + "\n").tasks
    assert [t.evidence for t in tasks] == [evidence]
    assert 0 < tasks[0].confidence <= 1


def test_a_printed_header_is_trusted_and_a_missing_issuer_is_not():
    full = extract_text(HEADER + "Đề nghị các phòng triển khai thực hiện.\n").confidence
    assert full["number"] >= 0.9 and full["issued_date"] >= 0.9 and full["issuer"] >= 0.9
    no_issuer = extract_text(HEADER.split("\n", 2)[2] + "Đề nghị các phòng triển khai thực hiện.\n").confidence
    assert no_issuer["issuer"] < 0.5


def test_ocr_confidence_scales_fields_and_tasks():
    text = HEADER + "Đề nghị các phòng giáo dục và đào tạo triển khai thực hiện nghiêm túc.\n"
    clean = extract_text(text)
    scanned = extract_text(text, Source(ocr=True, ocr_confidence=60.0))
    assert scanned.confidence["number"] == pytest.approx(clean.confidence["number"] * 0.6, abs=1e-3)
    assert scanned.tasks[0].confidence == pytest.approx(clean.tasks[0].confidence * 0.6, abs=1e-3)


def test_field_confidence_reads_the_table():
    assert field_confidence({"number": "blank"}) == {"number": 0.8}
