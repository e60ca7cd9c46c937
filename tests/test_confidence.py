"""Each field and task carries a confidence from the evidence that found it."""
from __future__ import annotations

import pytest

from extractors.confidence import field_confidence
from extractors.rules import load_rules
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


# ---------------------------------------------------------------- conflicts between parts

NO_ADDRESSEE = HEADER.replace("Kính gửi: Các phòng giáo dục và đào tạo.\n", "")

CONFLICT_CASES = [
    pytest.param(HEADER, "Các phòng báo cáo kết quả về Sở trước ngày 30/9/2018.", [], id="deadline-after-issue"),
    pytest.param(HEADER, "Các phòng báo cáo kết quả về Sở trước ngày 30/8/2018.", ["deadline_before_issue"],
                 id="deadline-before-issue"),
    pytest.param(HEADER, "Các phòng hoàn thành việc xây dựng mô hình trước ngày 31/12/2025.",
                 ["deadline_years_after_issue"], id="deadline-seven-years-on"),
    pytest.param(NO_ADDRESSEE, "1. Tăng cường kiểm tra công tác an ninh trật tự trong nhà trường.",
                 ["nobody_addressed"], id="nobody-addressed"),
    pytest.param(HEADER, "1. Tăng cường kiểm tra công tác an ninh trật tự trong nhà trường.", [],
                 id="addressed-by-kinh-gui"),
]


@pytest.mark.parametrize("header, body, conflicts", CONFLICT_CASES)
def test_a_task_whose_parts_disagree_is_trusted_less(header, body, conflicts):
    from extractors.confidence import conflict_factor

    [task] = extract_text(header + body + "\n").tasks
    assert task.conflicts == conflicts
    base = load_rules("tasks")["confidence"][task.evidence]
    assert task.confidence == pytest.approx(base * conflict_factor(conflicts), abs=1e-3)
    assert (task.confidence < base) == bool(conflicts)


def test_an_issue_date_after_the_reading_day_is_a_conflict():
    future = HEADER.replace("ngày 04 tháng 9 năm 2018", "ngày 04 tháng 9 năm 2099")
    record = extract_text(future + "Đề nghị các phòng triển khai thực hiện.\n")
    assert record.conflicts == {"issued_date": ["issued_after_reading"]}
    assert record.confidence["issued_date"] < extract_text(HEADER).confidence["issued_date"]


def test_ocr_confidence_is_that_of_the_page_a_span_lies_on():
    from schemas import Document, Page

    body = "Đề nghị các phòng giáo dục và đào tạo triển khai thực hiện nghiêm túc.\n"
    text = HEADER + body + body.replace("triển khai", "tổ chức")
    cut = len(HEADER) + len(body)
    pages = [Page(number=1, start=0, end=cut, ocr=True, confidence=95.0),
             Page(number=2, start=cut, end=len(text), ocr=True, confidence=50.0)]
    document = Document(text=text, pages=pages, source=Source(ocr=True, ocr_confidence=72.5))
    from pipeline.extract import extract_document

    record = extract_document(document)
    clean = extract_text(text)
    first, second = record.tasks
    assert first.confidence == pytest.approx(clean.tasks[0].confidence * 0.95, abs=1e-3)
    assert second.confidence == pytest.approx(clean.tasks[1].confidence * 0.50, abs=1e-3)
    assert record.confidence["number"] == pytest.approx(clean.confidence["number"] * 0.95, abs=1e-3)
