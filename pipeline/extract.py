"""Run every extractor over a segmented dispatch and assemble the CONTRACT record."""
from __future__ import annotations

from pathlib import Path

from extractors.confidence import (
    conflict_factor,
    field_confidence,
    field_conflicts,
    field_evidence,
    ocr_scale,
    task_conflicts,
)
from extractors.metadata import doc_type, issued, issuer, marks, number, subject
from extractors.recipients import extract_recipients
from extractors.references import extract_references
from extractors.signer import extract_signer
from extractors.tasks import extract_tasks
from pipeline.nlp import words_of
from pipeline.normalize import NormText, normalize
from pipeline.segment import SegmentedDoc, segment
from schemas import Dispatch, Document, Page, Source


def _span(norm: NormText, span: tuple[int, int] | None) -> tuple[int, int] | None:
    return norm.to_original(*span) if span else None


def extract_segmented(doc: SegmentedDoc, source: Source | None = None, pages: list[Page] | None = None) -> Dispatch:
    num = number(doc)
    date_f, place_f = issued(doc)
    type_f = doc_type(doc, num.value)
    subj = subject(doc)
    iss, parent = issuer(doc)
    urgency, secrecy = marks(doc)
    recipients = extract_recipients(doc)
    recipients = [r.model_copy(update={"span": _span(doc.norm, r.span)}) for r in recipients]
    refs = [r.model_copy(update={"span": _span(doc.norm, r.span)})
            for r in extract_references(doc, num.value, date_f.value)]
    signer = extract_signer(doc)
    if signer and signer.span:
        signer = signer.model_copy(update={"span": _span(doc.norm, signer.span)})
    addressees = [r.name for r in recipients if r.role == "to"]
    body = doc.part("body")
    words = words_of(doc.text, body.start, body.end) if body else None
    tasks = extract_tasks(doc, date_f.value, addressees, iss.value, words)
    fields = {"number": num, "issued_date": date_f, "place": place_f, "doc_type": type_f, "subject": subj,
              "issuer": iss, "parent_issuer": parent, "urgency": urgency, "secrecy": secrecy}
    record = Dispatch(
        source=source or Source(),
        doc_type=type_f.value, number=num.value, issued_date=date_f.value, place=place_f.value,
        issuer=iss.value, parent_issuer=parent.value, subject=subj.value,
        urgency=urgency.value, secrecy=secrecy.value, signer=signer,
        recipients=recipients, references=refs, tasks=tasks,
        spans={k: _span(doc.norm, f.span) for k, f in fields.items() if f.span},
    )
    has_header = bool(doc.part("national") or doc.part("number"))
    return _with_confidence(record, field_evidence(record, type_f.how or "missing", has_header), pages or [])


def _field_span(record: Dispatch, field: str) -> tuple[int, int] | None:
    if field == "signer":
        return record.signer.span if record.signer else None
    if field == "recipients":
        return next((r.span for r in record.recipients if r.span), None)
    return record.spans.get(field)


def _with_confidence(record: Dispatch, evidence: dict[str, str], pages: list[Page]) -> Dispatch:
    """Confidence from the rule that found each value, times the OCR confidence of the page its
    span lies on (a misread word misleads every rule alike), times the factor of each conflict
    between the value and the rest of the record."""
    ocr = record.source.ocr_confidence
    anyone = any(r.role == "to" for r in record.recipients)
    tasks = []
    for task in record.tasks:
        conflicts = task_conflicts(task, record.issued_date, anyone)
        value = (task.confidence or 0) * ocr_scale(task.span, pages, ocr) * conflict_factor(conflicts)
        tasks.append(task.model_copy(update={"confidence": round(value, 3), "conflicts": conflicts}))
    conflicts = field_conflicts(record)
    scales = {f: ocr_scale(_field_span(record, f), pages, ocr) * conflict_factor(conflicts.get(f, []))
              for f in evidence}
    return record.model_copy(update={"tasks": tasks, "conflicts": conflicts,
                                     "confidence": field_confidence(evidence, ocr, scales)})


def extract_text(text: str, source: Source | None = None, pages: list[Page] | None = None) -> Dispatch:
    """The CONTRACT record of a dispatch given its text (and where its pages lie in it)."""
    return extract_segmented(segment(normalize(text)), source, pages)


def extract_document(document: Document) -> Dispatch:
    """The CONTRACT record of a read document (spans index `document.text`)."""
    return extract_text(document.text, document.source, document.pages)


def extract_file(path: Path | str) -> Dispatch:
    """Read any supported file and extract its record; `ReadError` when it cannot be read."""
    from pipeline.read import read

    return extract_document(read(path))
