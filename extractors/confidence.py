"""How far to trust each header field, from how it was found (rules/confidence.json)."""
from __future__ import annotations

from datetime import date
from typing import Optional

from extractors.rules import load_rules
from schemas import Dispatch, Page, Task


def _number(record: Dispatch, has_header: bool) -> str:
    if record.number:
        return "blank" if record.number.startswith("/") else "printed"
    return "missing_with_header" if has_header else "missing"


def _date(record: Dispatch, has_header: bool) -> str:
    if record.issued_date:
        return "full" if len(record.issued_date) == 10 else "partial"
    return "missing_with_header" if has_header else "missing"


def _issuer(record: Dispatch, has_header: bool) -> str:
    if record.issuer:
        return "name_block"
    return "missing_with_header" if has_header else "missing"


def _signer(record: Dispatch) -> str:
    if record.signer and record.signer.name:
        return "with_title" if record.signer.title else "name_only"
    return "missing"


def field_evidence(record: Dispatch, doc_type_how: str, has_header: bool) -> dict[str, str]:
    """field → how it was found (a key of rules/confidence.json)."""
    return {
        "number": _number(record, has_header),
        "issued_date": _date(record, has_header),
        "doc_type": doc_type_how if record.doc_type else "missing",
        "issuer": _issuer(record, has_header),
        "subject": "found" if record.subject else "missing",
        "signer": _signer(record),
        "recipients": "found" if record.recipients else "missing",
    }


def field_confidence(evidence: dict[str, str], ocr_confidence: float | None = None,
                     scales: Optional[dict[str, float]] = None) -> dict[str, float]:
    """field → confidence in [0, 1]; OCR'd text scales each field by the OCR confidence of its span
    (`scales`, field → 0–1), else of the whole document."""
    table = load_rules("confidence")["fields"]
    default = min(1.0, ocr_confidence / 100) if ocr_confidence is not None else 1.0
    scales = scales or {}
    return {field: round(table[field][how] * scales.get(field, default), 3) for field, how in evidence.items()}


# ---------------------------------------------------------------- conflicts and OCR per span

def _conflict_table() -> dict:
    return load_rules("confidence").get("conflicts", {})


def task_conflicts(task: Task, issued: Optional[str], anyone_addressed: bool) -> list[str]:
    """The conflicts (keys of rules/confidence.json 'conflicts') between a task and its dispatch."""
    table, found = _conflict_table(), []
    due = task.deadline.date
    if due and issued and len(due) == len(issued) == 10:
        if due < issued:
            found.append("deadline_before_issue")
        elif int(due[:4]) - int(issued[:4]) > table["deadline_years_after_issue"].get("years", 3):
            found.append("deadline_years_after_issue")
    if not task.assignees and not anyone_addressed:
        found.append("nobody_addressed")
    return found


def field_conflicts(record: Dispatch, today: Optional[date] = None) -> dict[str, list[str]]:
    """Conflicts of header fields: field → keys of the 'conflicts' table."""
    today = today or date.today()
    found: dict[str, list[str]] = {}
    if record.issued_date and len(record.issued_date) == 10 and record.issued_date > today.isoformat():
        found.setdefault("issued_date", []).append("issued_after_reading")
    return found


def conflict_factor(names: list[str]) -> float:
    table, factor = _conflict_table(), 1.0
    for name in names:
        factor *= table[name]["factor"]
    return factor


def ocr_scale(span: Optional[tuple[int, int]], pages: list[Page], document_ocr: Optional[float]) -> float:
    """The OCR confidence (0–1) of the pages a span lies on, the lowest of them; the document's
    mean where the span or the pages' confidences are unknown; 1 for text that was not OCR'd."""
    if span is not None:
        on = [p.confidence for p in pages if p.confidence is not None and p.start < span[1] and span[0] < p.end]
        if on:
            return min(1.0, min(on) / 100)
    return min(1.0, document_ocr / 100) if document_ocr is not None else 1.0
