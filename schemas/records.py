"""The CONTRACT record (../shared/CONTRACT.md §1) as pydantic v2 models.

Keys may be added, none renamed or dropped. Spans are `[start, end)` offsets into
the extracted text of the document.
"""
from __future__ import annotations

from enum import StrEnum
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator

Span = tuple[int, int]


class Recurrence(StrEnum):
    daily = "daily"
    weekly = "weekly"
    monthly = "monthly"
    quarterly = "quarterly"
    semiannual = "semiannual"
    yearly = "yearly"


class Role(StrEnum):
    to = "to"
    cc = "cc"


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class Source(_Record):
    path: Optional[str] = None
    sha256: Optional[str] = None
    media_type: str = "text/plain"
    pages: Optional[int] = None
    ocr: bool = False
    ocr_confidence: Optional[float] = Field(None, description="Mean OCR word confidence (0-100) of OCR'd pages")
    needs_review: bool = Field(False, description="Read with low confidence: an officer should check it")


class Page(_Record):
    """Where one page of the source lies in the extracted text."""
    number: int
    start: int
    end: int
    ocr: bool = False
    confidence: Optional[float] = None


class Document(_Record):
    """What a reader returns: the extracted text, where each page lies in it, and the source."""
    text: str
    source: Source
    pages: list[Page] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class Signer(_Record):
    name: Optional[str] = None
    title: Optional[str] = None
    authority: Optional[str] = Field(None, description="KT./TL./TM./Q./TUQ. line, e.g. 'KT. Giám đốc'")
    span: Optional[Span] = None


class Recipient(_Record):
    name: str
    role: Role
    purpose: Optional[str] = None
    span: Optional[Span] = None


class Reference(_Record):
    doc_type: str
    number: Optional[str] = None
    date: Optional[str] = Field(None, description="ISO 8601, partial allowed: 2019-06, 2019")
    issuer: Optional[str] = None
    title: Optional[str] = None
    span: Optional[Span] = None


class Deadline(_Record):
    date: Optional[str] = None
    recurrence: Optional[Recurrence] = None
    text: Optional[str] = None
    span: Optional[Span] = None


class Task(_Record):
    text: str
    action: Optional[str] = None
    assignees: list[str] = Field(default_factory=list)
    report_to: Optional[str] = None
    deadline: Deadline = Field(default_factory=Deadline)
    span: Span
    evidence: Optional[str] = Field(None, description="The rule that made this text a task")
    confidence: Optional[float] = Field(None, description="How far to trust it (0-1), from the evidence")
    conflicts: list[str] = Field(default_factory=list,
                                 description="Where its parts disagree (rules/confidence.json 'conflicts')")


class Dispatch(_Record):
    source: Source = Field(default_factory=Source)
    doc_type: Optional[str] = None
    number: Optional[str] = None
    issued_date: Optional[str] = None
    place: Optional[str] = None
    issuer: Optional[str] = None
    parent_issuer: Optional[str] = None
    subject: Optional[str] = None
    urgency: Optional[str] = None
    secrecy: Optional[str] = None
    signer: Optional[Signer] = None
    recipients: list[Recipient] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    spans: dict[str, Span] = Field(
        default_factory=dict, description="Source span of each scalar field (number, issued_date, …)"
    )
    confidence: dict[str, float] = Field(
        default_factory=dict, description="How far to trust each header field (0-1), from how it was found"
    )
    conflicts: dict[str, list[str]] = Field(
        default_factory=dict, description="Header fields whose parts disagree, and how (lowers their confidence)"
    )

    @field_validator("issued_date")
    @classmethod
    def _iso(cls, v: Optional[str]) -> Optional[str]:
        if v is not None and not (len(v) in (4, 7, 10) and v[:4].isdigit()):
            raise ValueError(f"not an ISO date: {v!r}")
        return v

    def contract_json(self) -> dict:
        """The CONTRACT object: spans as lists, every key present."""
        return self.model_dump(mode="json")


def json_schema() -> dict:
    return Dispatch.model_json_schema()
