"""A readable Rich rendering of one extracted dispatch."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from schemas import Dispatch


def _deadline(task) -> str:
    d = task.deadline
    parts = [p for p in (d.date, d.recurrence) if p]
    return " / ".join(parts) or "—"


def print_dispatch(console: Console, record: Dispatch) -> None:
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold cyan")
    head.add_column()
    signer = record.signer
    rows = [
        ("File", record.source.path), ("Loại", record.doc_type), ("Số", record.number),
        ("Ngày", record.issued_date), ("Nơi ban hành", record.place),
        ("Cơ quan", " / ".join(x for x in (record.parent_issuer, record.issuer) if x)),
        ("Trích yếu", record.subject),
        ("Người ký", signer and " — ".join(x for x in (signer.authority, signer.title, signer.name) if x)),
        ("Kính gửi", "; ".join(r.name for r in record.recipients if r.role == "to")),
        ("Nơi nhận", "; ".join(r.name for r in record.recipients if r.role == "cc")),
        ("Căn cứ", "; ".join(r.number or r.title or "" for r in record.references)),
    ]
    for label, value in rows:
        if value:
            head.add_row(label, str(value))
    console.print(head)
    tasks = Table(title=f"{len(record.tasks)} nhiệm vụ", show_lines=True, expand=True)
    tasks.add_column("#", justify="right", width=3)
    tasks.add_column("Nhiệm vụ", ratio=5)
    tasks.add_column("Đơn vị thực hiện", ratio=2)
    tasks.add_column("Hạn", ratio=1)
    tasks.add_column("Báo cáo về", ratio=1)
    for i, task in enumerate(record.tasks, 1):
        text = task.text if len(task.text) <= 300 else task.text[:297] + "…"
        tasks.add_row(str(i), text, "; ".join(task.assignees), _deadline(task), task.report_to or "")
    console.print(tasks)
