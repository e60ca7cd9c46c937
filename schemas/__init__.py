"""Typed records of congvan: the CONTRACT dispatch and its parts."""
from schemas.records import (
    Deadline,
    Dispatch,
    Document,
    Page,
    Recipient,
    Recurrence,
    Reference,
    Role,
    Signer,
    Source,
    Span,
    Task,
    json_schema,
)

__all__ = [
    "Deadline", "Dispatch", "Document", "Page", "Recipient", "Recurrence", "Reference", "Role",
    "Signer", "Source", "Span", "Task", "json_schema",
]
