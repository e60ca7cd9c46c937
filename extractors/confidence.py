"""How far to trust each header field, from how it was found (rules/confidence.json)."""
from __future__ import annotations

from extractors.rules import load_rules
from schemas import Dispatch


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


def field_confidence(evidence: dict[str, str], ocr_confidence: float | None = None) -> dict[str, float]:
    """field → confidence in [0, 1]; an OCR'd text scales every field by its OCR confidence."""
    table = load_rules("confidence")["fields"]
    scale = min(1.0, ocr_confidence / 100) if ocr_confidence is not None else 1.0
    return {field: round(table[field][how] * scale, 3) for field, how in evidence.items()}
