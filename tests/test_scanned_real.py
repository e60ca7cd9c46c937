"""Real scanned dispatches from ../shared/corpus-files, field by field against what the page prints
(checked by eye on the rendered pages; SOURCES.tsv describes each file):

- F10, F11, F12: Công báo editions whose body pages are scans, with the gazette's signature stamp
  drawn over the top margin; F10 and F12 have their serial number and day written in by hand,
  F10 its month and year too; the Công báo edition prints no Nơi nhận.
- F13: a scanned plan whose serial number (753) and day (23) are handwritten in blue ink, with a
  red seal over the signature.

Handwritten digits are not readable by Tesseract: the rule is that what is read is right and what
cannot be read is left blank ("/NQ-CP", "2026"), never a wrong number. Each file is read once
for the module (about 5 s a file). Skipped where the corpus files are absent.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.evaluate import similar
from pipeline.extract import extract_file
from pipeline.read.tesseract import available

FILES = Path(__file__).resolve().parents[1].parent / "shared" / "corpus-files"

pytestmark = [
    pytest.mark.skipif(not FILES.is_dir(), reason=f"real corpus files not found at {FILES}"),
    pytest.mark.skipif(not available(), reason="tesseract is not installed"),
]

# what the first page prints
TRUTH = {
    "F10": {"doc_type": "Quyết định", "number": "109/QĐ-BTC", "issued_date": "2026-01-21",
            "issuer": "Bộ Tài chính", "recipients": []},
    "F11": {"doc_type": "Nghị quyết", "number": "99/NQ-CP", "issued_date": "2026-04-06",
            "issuer": "Chính phủ", "recipients": []},
    "F12": {"doc_type": "Nghị quyết", "number": "115/NQ-CP", "issued_date": "2026-04-29",
            "issuer": "Chính phủ", "recipients": []},
    "F13": {"doc_type": "Kế hoạch", "number": "753/KH-DCT", "issued_date": "2026-06-23",
            "issuer": "Trường Đại học Công Thương Thành phố Hồ Chí Minh",
            "recipients": [("BGH", "b/c"), ("ĐT, CTSV và 05 khoa được chọn", "t/h")]},
}
# printed and typed, so read exactly; the others are handwritten, so at best blank
EXACT = {("F11", "number"), ("F11", "issued_date")}
# due dates the documents print (F13: §3.4 and the schedule table of §6)
DUE_DATES = {"F10": set(), "F11": set(), "F12": set(),
             "F13": {"2026-06-27", "2026-06-30", "2026-07-09", "2026-07-13", "2026-07-15"}}


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    out = {}
    for stem in TRUTH:
        found = sorted(FILES.glob(f"{stem}_*.pdf"))
        if not found:
            pytest.skip(f"{stem} not in {FILES}")
        out[stem] = extract_file(found[0]).contract_json()
    return out


def fold(text: str) -> str:
    """Đ read as D is an OCR slip of one stroke, not a wrong number."""
    return text.replace("Đ", "D")


@pytest.mark.parametrize("stem", TRUTH)
def test_type_and_issuer(records, stem):
    record, truth = records[stem], TRUTH[stem]
    assert record["doc_type"] == truth["doc_type"]
    assert similar(record["issuer"] or "", truth["issuer"]) >= 0.85, record["issuer"]


# what may stand for a value the scan does not let us read: a blank serial, a partial date
PARTIAL = {
    "number": lambda got, truth: fold(got or "") in (fold(truth), fold(truth[truth.index("/"):])),
    "issued_date": lambda got, truth: got is None or truth.startswith(got),
}


@pytest.mark.parametrize("field", PARTIAL)
@pytest.mark.parametrize("stem", TRUTH)
def test_number_and_date_are_right_or_blank_never_wrong(records, stem, field):
    got, truth = records[stem][field], TRUTH[stem][field]
    if (stem, field) in EXACT:
        assert got == truth
    else:
        assert PARTIAL[field](got, truth), got


def test_what_the_handwriting_leaves_is_kept(records):
    assert [records[s]["issued_date"] for s in ("F12", "F13")] == ["2026", "2026-06"]


@pytest.mark.parametrize("stem", TRUTH)
def test_recipients_and_no_stamp_or_tick_read_as_one(records, stem):
    got = [(r["name"], r.get("purpose")) for r in records[stem]["recipients"]]
    truth = TRUTH[stem]["recipients"]
    # a comma list in one Nơi nhận line may come out as one entry or as its parts
    assert " ".join(name for name, _ in got).replace(",", "") == " ".join(n for n, _ in truth).replace(",", "")
    assert {p for _, p in got} == {p for _, p in truth}
    assert records[stem]["parent_issuer"] is None or "Cơ quan" not in records[stem]["parent_issuer"]


@pytest.mark.parametrize("stem", TRUTH)
def test_deadlines_are_dates_the_document_prints(records, stem):
    found = {t["deadline"]["date"] for t in records[stem]["tasks"] if t["deadline"]["date"]}
    assert found <= DUE_DATES[stem]
    if stem == "F13":
        assert "2026-07-15" in found


def test_the_scanned_schedule_table_gives_one_task_a_row(records):
    """F13 §6 "Tiến độ thực hiện": a ruled table over pages 3–4, read row by row (ocr_tables)."""
    rows = [(t["deadline"]["date"], t["assignees"][0]) for t in records["F13"]["tasks"]
            if t.get("evidence") == "schedule_row"]
    assert rows == [("2026-06-27", "Phòng Đào tạo"), ("2026-06-30", "Trung tâm QLCL"),
                    ("2026-07-09", "Trung tâm QLCL"), ("2026-07-13", "Trung tâm QLCL"),
                    ("2026-07-15", "Trung tâm QLCL")]
