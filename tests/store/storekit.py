"""Helpers for the store tests: hand-made CONTRACT records, their text, paths of the samples."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import pytest

import schemas

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
REGISTRY_CSV = SAMPLES / "registry" / "khanh-hoa.csv"


def case(name: str, *values, **kwargs):
    return pytest.param(*values, id=name, **kwargs)


def dispatch(number: Optional[str] = "512/PGDĐT-THCS", *, issued: Optional[str] = "2018-10-05",
             issuer: Optional[str] = "Phòng Giáo dục và Đào tạo", parent: Optional[str] = "UBND huyện Diên Khánh",
             place: Optional[str] = "Diên Khánh", subject: str = "báo cáo công tác đảm bảo an ninh trật tự",
             to: tuple[str, ...] = ("Hiệu trưởng các trường Tiểu học, THCS trên địa bàn huyện",),
             tasks: tuple = (), refs: tuple = (), doc_type: str = "Công văn") -> schemas.Dispatch:
    """A CONTRACT record. `tasks`: (text, assignees, due date, recurrence) tuples; `refs`: (doc type,
    number, date) tuples. Spans are made up (consecutive), which the store does not check."""
    made_tasks = [schemas.Task(text=t[0], assignees=list(t[1]), span=(100 * i, 100 * i + len(t[0])),
                               deadline=schemas.Deadline(date=t[2] if len(t) > 2 else None,
                                                         recurrence=t[3] if len(t) > 3 else None))
                  for i, t in enumerate(tasks)]
    made_refs = [schemas.Reference(doc_type=r[0], number=r[1], date=r[2] if len(r) > 2 else None) for r in refs]
    return schemas.Dispatch(
        doc_type=doc_type, number=number, issued_date=issued, issuer=issuer, parent_issuer=parent, place=place,
        subject=subject, recipients=[schemas.Recipient(name=n, role="to") for n in to],
        references=made_refs, tasks=made_tasks)


def dispatch_text(record: schemas.Dispatch) -> str:
    """Some text to stand for a record (its tasks, one a line), to store or to write as a file."""
    lines = [f"Số: {record.number or ''}", f"V/v {record.subject or ''}"]
    lines += [f"Kính gửi: {r.name}" for r in record.recipients] + [t.text for t in record.tasks]
    return "\n".join(lines) + "\n"
