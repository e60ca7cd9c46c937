"""Schedule tables of plans: each row of a "Tiến độ thực hiện" table is a task, due when its time
cell says, assigned to the units of its unit cells. Rows as every reader emits them (cells joined
by " | ": PDF text layer, DOCX, OCR), run through `extract_text`; the last test reads a DOCX.

Each row of the table below gives a table and the schedule tasks expected from it, as
(content cell, due date, assignees). Tables whose header names no time column (procedures,
beneficiaries, schools: corpus 021/023/031/106, F02) give none.
"""
from __future__ import annotations

import pytest

from pipeline.extract import extract_file, extract_text

KH_HEADER = (
    "BỘ CÔNG THƯƠNG\nTRƯỜNG ĐẠI HỌC CÔNG THƯƠNG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\nSố: 753/KH-DCT\nThành phố Hồ Chí Minh, ngày 23 tháng 6 năm 2026\n\n"
    "KẾ HOẠCH\nKhảo sát, xác định chỉ số hài lòng đối với dịch vụ giáo dục công năm 2026\n\n"
    "1. Mục đích\nĐánh giá khách quan chất lượng dịch vụ giáo dục công của Nhà trường.\n"
    "6. Tiến độ thực hiện\n"
)
KH_TAIL = (
    "7. Tổ chức thực hiện\nĐề nghị các đơn vị liên quan phối hợp triển khai thực hiện nghiêm túc, hiệu quả.\n"
    "Nơi nhận:\n- BGH (b/c);\n- Lưu: VT, QLCL.\nHIỆU TRƯỞNG\nThái Doãn Thanh\n"
)


def kh(*rows: str) -> str:
    return KH_HEADER + "\n".join(rows) + "\n" + KH_TAIL


def case(name: str, text: str, expected: list[tuple[str, str | None, list[str]]]):
    return pytest.param(text, expected, id=name)


F13_HEADER = "TT | Nội dung công việc | Thời gian thực hiện | Đơn vị chủ trì/phối hợp"

CASES = [
    case("F13-text-layer", kh(
        F13_HEADER,
        "1 | Ban hành kế hoạch; rà soát danh sách sinh viên thuộc 05 khoa được chọn | Trước ngày 27/6/2026 | "
        "Phòng Đào tạo; Trung tâm QLCL",
        "2 | Chọn mẫu ngẫu nhiên, chuẩn bị tài khoản/đường dẫn và hướng dẫn khảo sát | Trước ngày 30/6/2026 | "
        "Trung tâm QLCL; các khoa",
        "3 | Triển khai khảo sát trực tuyến; theo dõi, đôn đốc sinh viên thực hiện | 29/6/2026 - 09/7/2026 | "
        "Trung tâm QLCL; các khoa; cố vấn học tập và cán bộ phụ trách lớp"), [
        ("Ban hành kế hoạch; rà soát danh sách sinh viên thuộc 05 khoa được chọn", "2026-06-27",
         ["Phòng Đào tạo", "Trung tâm QLCL"]),
        ("Chọn mẫu ngẫu nhiên, chuẩn bị tài khoản/đường dẫn và hướng dẫn khảo sát", "2026-06-30",
         ["Trung tâm QLCL", "các khoa"]),
        ("Triển khai khảo sát trực tuyến; theo dõi, đôn đốc sinh viên thực hiện", "2026-07-09",
         ["Trung tâm QLCL", "các khoa", "cố vấn học tập và cán bộ phụ trách lớp"])]),
    case("F13-ocr-number-cell-unread-and-header-repeated-over-a-page", kh(
        F13_HEADER,
        "| Ban hành kế hoạch; rà soát danh sách sinh viên | Trước ngày 27/6/2026 | Phòng Đào tạo",
        "",
        F13_HEADER,
        "Ạ | Tổng hợp dữ liệu, hoàn thiện báo cáo kết quả khảo sát | 10/7/2026- 13/7/2026 | "
        "Trung tâm QLCL; các đơn vị liên quan",
        "5. | Trình lãnh đạo Trường xem xét và gửi báo cáo theo yêu cầu của Bộ Giáo dục và Đào tạo | "
        "Trước ngày 15/7/2026 | Trung tâm QLCL"), [
        ("Ban hành kế hoạch; rà soát danh sách sinh viên", "2026-06-27", ["Phòng Đào tạo"]),
        ("Tổng hợp dữ liệu, hoàn thiện báo cáo kết quả khảo sát", "2026-07-13",
         ["Trung tâm QLCL", "các đơn vị liên quan"]),
        ("Trình lãnh đạo Trường xem xét và gửi báo cáo theo yêu cầu của Bộ Giáo dục và Đào tạo", "2026-07-15",
         ["Trung tâm QLCL"])]),
    case("month-lead-and-partner-columns-group-heading-row", kh(
        "STT | Nội dung | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành",
        "I | Giai đoạn chuẩn bị | | |",
        "1 | Xây dựng bộ công cụ khảo sát | Phòng Khảo thí | Các khoa | Tháng 7/2026",
        "2 | Tập huấn cán bộ phụ trách khảo sát | Phòng Tổ chức cán bộ | | Từ ngày 03/8 đến ngày 07/8/2026"), [
        ("Xây dựng bộ công cụ khảo sát", "2026-07", ["Phòng Khảo thí", "Các khoa"]),
        ("Tập huấn cán bộ phụ trách khảo sát", "2026-08-07", ["Phòng Tổ chức cán bộ"])]),
    case("docx-cell-with-a-list-of-units-and-no-date", kh(
        "TT | Nhiệm vụ | Cơ quan thực hiện | Thời hạn",
        "1 | Cập nhật dữ liệu học sinh lên hệ thống | - Phòng GDĐT các huyện - Các trường THPT | Thường xuyên",
        "2 | Báo cáo kết quả thực hiện về Sở | Các trường THPT | Chậm nhất ngày 20/12/2026"), [
        ("Cập nhật dữ liệu học sinh lên hệ thống", None, ["Phòng GDĐT các huyện", "Các trường THPT"]),
        ("Báo cáo kết quả thực hiện về Sở", "2026-12-20", ["Các trường THPT"])]),
    case("procedures-list-is-no-schedule-021-106", kh(
        "STT | Mã số TTHC | Tên thủ tục hành chính | Lĩnh vực | Cơ quan thực hiện",
        "1 | 1.010093 | Đăng ký hoạt động ứng phó thiên tai | Phòng, chống thiên tai | Bộ Nông nghiệp và Môi trường"),
        []),
    case("beneficiaries-list-is-no-schedule-031", kh(
        "STT | Đối tượng | Mức trợ giúp áp dụng (đồng/tháng)",
        "1 | Trẻ em mồ côi cả cha và mẹ, trẻ em bị bỏ rơi | 180.000"), []),
    case("schools-list-is-no-schedule-F02", kh(
        "TT | Tên đơn vị | Cấp học",
        "1 | Trường TH Nguyễn Thị Tốt, xã Vĩnh Hựu | Tiểu học"), []),
]


def schedule_tasks(record) -> list[tuple[str, str | None, list[str]]]:
    return [(t.text, t.deadline.date, t.assignees) for t in record.tasks if t.evidence == "schedule_row"]


@pytest.mark.parametrize("text,expected", CASES)
def test_schedule_rows_become_tasks(text, expected):
    assert schedule_tasks(extract_text(text)) == expected


def test_rows_are_not_read_again_as_sentences_and_prose_tasks_stay():
    record = extract_text(CASES[0].values[0])
    texts = [t.text for t in record.tasks]
    assert not any("|" in text for text in texts)
    assert texts[0] == "Đánh giá khách quan chất lượng dịch vụ giáo dục công của Nhà trường."


def test_recurring_time_cell():
    text = kh("TT | Nội dung công việc | Thời gian | Đơn vị thực hiện",
              "1 | Tổng hợp tình hình tham gia khảo sát | Hằng tháng | Trung tâm QLCL")
    [task] = [t for t in extract_text(text).tasks if t.evidence == "schedule_row"]
    assert (task.deadline.date, task.deadline.recurrence) == (None, "monthly")


def test_the_deadline_span_points_at_the_time_cell():
    text = CASES[0].values[0]
    task = next(t for t in extract_text(text).tasks if t.evidence == "schedule_row")
    start, end = task.deadline.span
    assert text[start:end] == "Trước ngày 27/6/2026"
    assert text[task.span[0]:task.span[1]] == task.text


def test_a_docx_schedule_table(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in KH_HEADER.strip().split("\n"):
        document.add_paragraph(line)
    rows = [("TT", "Nội dung công việc", "Thời gian thực hiện", "Đơn vị chủ trì"),
            ("1", "Ban hành kế hoạch khảo sát", "Trước ngày 27/6/2026", "Phòng Đào tạo"),
            ("2", "Triển khai khảo sát trực tuyến", "29/6/2026 - 09/7/2026", "Các khoa; cố vấn học tập")]
    table = document.add_table(rows=len(rows), cols=4)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for line in KH_TAIL.strip().split("\n"):
        document.add_paragraph(line)
    path = tmp_path / "ke-hoach.docx"
    document.save(path)
    assert schedule_tasks(extract_file(path)) == [
        ("Ban hành kế hoạch khảo sát", "2026-06-27", ["Phòng Đào tạo"]),
        ("Triển khai khảo sát trực tuyến", "2026-07-09", ["Các khoa", "cố vấn học tập"])]
