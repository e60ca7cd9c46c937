"""A sentence with two duties and two due dates gives two tasks; one with a single date stays whole."""
from __future__ import annotations

import pytest

from pipeline.extract import extract_text

CASES = [
    pytest.param(
        "1. Các Sở GDĐT tổ chức khảo sát trực tuyến theo mẫu tại Phụ lục (trước ngày 20/4/2026) và gửi "
        "Báo cáo kết quả về Bộ GDĐT trước ngày 25/4/2026.",
        [("2026-04-20", "tổ chức khảo sát"), ("2026-04-25", "gửi Báo cáo kết quả")], id="F01-survey-then-report"),
    pytest.param(
        "2. Các đơn vị hoàn thành việc rà soát trước ngày 15/5/2026; gửi danh sách về Sở trước ngày 20/5/2026.",
        [("2026-05-15", "hoàn thành việc rà soát"), ("2026-05-20", "gửi danh sách")], id="semicolon-two-dates"),
    pytest.param(
        "3. Các trường rà soát, tổng hợp và báo cáo kết quả về Phòng trước ngày 30/4/2026.",
        [("2026-04-30", "rà soát, tổng hợp")], id="one-date-stays-whole"),
    pytest.param(
        "4. Các trường hoàn thành chương trình học kỳ I trước ngày 18/01/2026 và học kỳ II trước ngày 31/5/2026.",
        [("2026-01-18", "học kỳ II")], id="no-action-after-va-stays-whole"),
]


@pytest.mark.parametrize("item, expected", CASES)
def test_two_due_dates_split_a_task(item, expected):
    tasks = extract_text("Kính gửi: Các trường.\n" + item + "\n").tasks
    got = [(t.deadline.date, t.text) for t in tasks]
    assert len(got) == len(expected), got
    for (date, text), (want_date, fragment) in zip(got, expected):
        if want_date:
            assert date == want_date
        assert fragment in text
