"""Run every extractor over a segmented dispatch and assemble the CONTRACT record."""
from __future__ import annotations

from pathlib import Path

from extractors.confidence import field_confidence, field_evidence
from extractors.metadata import doc_type, issued, issuer, marks, number, subject
from extractors.recipients import extract_recipients
from extractors.references import extract_references
from extractors.signer import extract_signer
from extractors.tasks import extract_tasks
from pipeline.nlp import words_of
from pipeline.normalize import NormText, normalize
from pipeline.segment import SegmentedDoc, segment
from schemas import Dispatch, Document, Source


def _span(norm: NormText, span: tuple[int, int] | None) -> tuple[int, int] | None:
    return norm.to_original(*span) if span else None


def extract_segmented(doc: SegmentedDoc, source: Source | None = None) -> Dispatch:
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
    evidence = field_evidence(record, type_f.how or "missing", has_header)
    ocr = record.source.ocr_confidence
    if ocr is not None:  # a misread word misleads every rule alike
        record.tasks = [t.model_copy(update={"confidence": round((t.confidence or 0) * min(1.0, ocr / 100), 3)})
                        for t in record.tasks]
    return record.model_copy(update={"confidence": field_confidence(evidence, ocr)})


def extract_text(text: str, source: Source | None = None) -> Dispatch:
    """The CONTRACT record of a dispatch given its text."""
    return extract_segmented(segment(normalize(text)), source)


def extract_document(document: Document) -> Dispatch:
    """The CONTRACT record of a read document (spans index `document.text`)."""
    return extract_text(document.text, document.source)


def extract_file(path: Path | str) -> Dispatch:
    """Read any supported file and extract its record; `ReadError` when it cannot be read."""
    from pipeline.read import read

    return extract_document(read(path))
