"""The source text cut into segments, each marked with the extracted spans that cover it, so the
review page can highlight every span and map a selection back to document offsets."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str                 # field, task, recipient, reference
    label: str                # what the officer sees on hover
    target: Optional[str] = None  # the id of the record row it belongs to (e.g. "task-12")


@dataclass(frozen=True)
class Segment:
    start: int
    text: str
    kinds: tuple[str, ...]
    title: str
    target: Optional[str]


def marks_of(record: dict, tasks: Iterable) -> list[Mark]:
    """Marks for the header fields' spans, recipients, references and the stored task rows."""
    marks = [Mark(s[0], s[1], "field", name) for name, s in (record.get("spans") or {}).items() if s]
    marks += [Mark(r["span"][0], r["span"][1], "recipient", f"{r.get('role')}: {r.get('name')}")
              for r in record.get("recipients") or [] if r.get("span")]
    marks += [Mark(r["span"][0], r["span"][1], "reference",
                   " ".join(filter(None, [r.get("doc_type"), r.get("number")])))
              for r in record.get("references") or [] if r.get("span")]
    marks += [Mark(t.span_start, t.span_end, "task" if t.status != "rejected" else "rejected",
                   f"task {t.position + 1} ({t.status})", f"task-{t.id}") for t in tasks]
    return marks


def segments(text: str, marks: list[Mark]) -> list[Segment]:
    """Consecutive pieces of `text`; each carries the kinds of the marks covering it, and the label
    and target of the innermost one."""
    valid = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    cuts = sorted({0, len(text), *(m.start for m in valid), *(m.end for m in valid)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        covering = sorted((m for m in valid if m.start <= a and b <= m.end), key=lambda m: m.end - m.start)
        kinds = tuple(dict.fromkeys(m.kind for m in covering))
        inner = covering[0] if covering else None
        out.append(Segment(a, text[a:b], kinds, inner.label if inner else "", inner.target if inner else None))
    return out
