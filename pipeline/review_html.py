"""A standalone HTML page showing where each extracted value of a dispatch comes from.

`write_html(path, record, out)` renders the original text of `path` with displaCy's span
style: every span of the record (scalar fields, signer, recipients, references, tasks and their
deadlines) is underlined and labelled; overlapping spans (a deadline inside a task) stack.
The page is self-contained: no scripts, fonts or styles are fetched.
"""
from __future__ import annotations

import html
import re
import warnings
from pathlib import Path
from typing import Iterator

from pipeline.nlp import doc_from_spans
from schemas import Dispatch

SPANS_KEY = "review"

# record.spans keys -> labels; a key not listed is shown upper-cased.
FIELD_LABELS = {
    "number": "NUMBER", "issued_date": "DATE", "place": "PLACE", "doc_type": "DOC_TYPE",
    "subject": "SUBJECT", "issuer": "ISSUER", "parent_issuer": "PARENT_ISSUER",
    "urgency": "URGENCY", "secrecy": "SECRECY",
}
COLORS = {
    "NUMBER": "#e4572e", "DATE": "#f3a712", "PLACE": "#a8c686", "DOC_TYPE": "#669bbc",
    "SUBJECT": "#29335c", "ISSUER": "#7b2d26", "PARENT_ISSUER": "#c08497", "URGENCY": "#d62828",
    "SECRECY": "#6a040f", "SIGNER": "#2a9d8f", "TO": "#3a86ff", "CC": "#8ecae6",
    "REFERENCE": "#8338ec", "TASK": "#06d6a0", "DEADLINE": "#ef476f",
}
_NONSPACE = re.compile(r"\S+")


def labelled_spans(record: Dispatch) -> Iterator[tuple[str, tuple[int, int]]]:
    """(label, [start, end)) for every span the record carries, in the original text."""
    for key, span in record.spans.items():
        yield FIELD_LABELS.get(key, key.upper()), span
    if record.signer and record.signer.span:
        yield "SIGNER", record.signer.span
    for recipient in record.recipients:
        if recipient.span:
            yield ("TO" if recipient.role == "to" else "CC"), recipient.span
    for reference in record.references:
        if reference.span:
            yield "REFERENCE", reference.span
    for task in record.tasks:
        yield "TASK", task.span
        if task.deadline.span:
            yield "DEADLINE", task.deadline.span


def _trim(text: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """The span clamped to the text and stripped of outer white space; None if nothing is left."""
    start, end = max(0, span[0]), min(len(text), span[1])
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def review_doc(text: str, record: Dispatch):
    """A Doc of `text` cut at white space and at every span edge, the spans in doc.spans[SPANS_KEY]."""
    spans = [(label, s) for label, raw in labelled_spans(record) if (s := _trim(text, raw))]
    edges = sorted({edge for _, s in spans for edge in s})
    words = []
    for m in _NONSPACE.finditer(text):
        cuts = [e for e in edges if m.start() < e < m.end()]
        bounds = [m.start(), *cuts, m.end()]
        words.extend(zip(bounds, bounds[1:]))
    doc = doc_from_spans(text, words)
    found = (doc.char_span(s, e, label=label) for label, (s, e) in spans)
    doc.spans[SPANS_KEY] = [span for span in found if span is not None]
    return doc


def render_html(text: str, record: Dispatch, title: str) -> str:
    """The complete page: heading, then the text with its labelled spans."""
    from spacy import displacy

    doc = review_doc(text, record)
    with warnings.catch_warnings():  # a record without spans still shows its text
        warnings.simplefilter("ignore")
        parsed = displacy.parse_spans(doc, {"spans_key": SPANS_KEY})
    marker = next(c for c in "\ue000\ue001\ue002\ufdd0" if c not in text)
    parsed["tokens"] = [marker * t.count("\n") if t.isspace() and "\n" in t else t for t in parsed["tokens"]]
    parsed["title"] = html.escape(title)
    page = displacy.render([parsed], style="span", manual=True, page=True,
                           options={"spans_key": SPANS_KEY, "colors": COLORS})
    page = page.replace(marker, "<br>")
    return page.replace("<title>displaCy</title>", f"<title>{html.escape(title)}</title>", 1)


def write_html(path: Path, record: Dispatch, out: Path, text: str | None = None) -> None:
    """Write the review page of `record` for the text file at `path` (or for `text`, if given)."""
    path = Path(path)
    if text is None:
        text = path.read_bytes().decode("utf-8-sig")
    Path(out).write_text(render_html(text, record, path.name), encoding="utf-8")
