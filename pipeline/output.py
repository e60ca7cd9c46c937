"""Rows out of the store as a table, CSV, JSON or an XLSX workbook; one stored dispatch shown."""
from __future__ import annotations

import csv
import io
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Optional

from rich import box
from rich.console import Console
from rich.table import Table

# how wide a text column may grow in a terminal table (the full text is in CSV, JSON, XLSX)
TEXT_COLUMNS = {"task": 90, "subject": 50, "unit_name": 34, "issuer": 28, "assignees": 30, "report_to": 24,
                "snippet": 90, "name": 60, "rule": 50}
NARROW = {"number": 16, "task_id": 7, "dispatch_id": 8, "units": 5}
TABLE_COLUMNS = {
    "tasks": ["task_id", "number", "due_date", "status", "units", "task"],
    "search": ["kind", "dispatch_id", "task_id", "number", "snippet"],
    "unit_tasks": ["task_id", "unit_code", "due_date", "status", "task"],
    "units": ["code", "name", "level", "district"],
}


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


def _cell(value) -> str:
    return "" if value is None else str(value)


def _clip(value: str, width: Optional[int]) -> str:
    value = " ".join(value.split())
    return value if width is None or len(value) <= width else value[: width - 1] + "…"


def print_table(console: Console, rows: list[dict], columns: list[str], title: Optional[str] = None) -> None:
    """One line per row: short columns whole (up to 24 characters), text columns share what is left
    of the console's width and end in '…'."""
    cells = [[_clip(_cell(row.get(c)), TEXT_COLUMNS.get(c)) for c in columns] for row in rows]
    widths = [min(NARROW.get(c, 24), max([len(c)] + [len(r[i]) for r in cells])) for i, c in enumerate(columns)]
    text = [i for i, c in enumerate(columns) if c in TEXT_COLUMNS]
    spare = console.width - sum(w for i, w in enumerate(widths) if i not in text) - 3 * len(columns) - 1
    wanted = {i: max([len(columns[i])] + [len(r[i]) for r in cells]) for i in text}
    for i in text:  # what is left, shared in proportion to what each text column would take
        share = spare * wanted[i] // max(1, sum(wanted.values()))
        widths[i] = max(12, min(wanted[i], share))
    table = Table(title=title, header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")
    for column, width in zip(columns, widths):
        table.add_column(column, no_wrap=True, overflow="ellipsis", width=width)
    for row in cells:
        table.add_row(*row)
    console.print(table)


def csv_text(rows: list[dict], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_xlsx(rows: list[dict], columns: list[str], path: Path, sheet: str = "tasks") -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([row.get(c) for c in columns])
    ws.freeze_panes = "A2"
    for i, column in enumerate(columns, start=1):
        longest = max([len(column)] + [len(_cell(r.get(column))) for r in rows[:200]])
        ws.column_dimensions[get_column_letter(i)].width = min(max(8, longest + 2), 80)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def write_rows(rows: list[dict], columns: list[str], fmt: Format, output: Optional[Path], console: Console,
               table_columns: Optional[list[str]] = None, default_xlsx: Path = Path("tasks.xlsx")) -> Optional[Path]:
    """Write rows in a format, to `output` or stdout (an XLSX always goes to a file); the file written."""
    if fmt is Format.xlsx:
        path = output or default_xlsx
        write_xlsx(rows, columns, path)
        return path
    if fmt is Format.table and output is None:
        print_table(console, rows, table_columns or columns)
        return None
    if fmt is Format.csv:
        text = csv_text(rows, columns)
    elif fmt is Format.json:
        text = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    else:  # a table to a file: its plain-text rendering
        buffer = Console(file=io.StringIO(), width=200, soft_wrap=True)
        print_table(buffer, rows, table_columns or columns)
        text = buffer.file.getvalue()
    if output is None:
        sys.stdout.write(text)
        return None
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    return output


def print_stored(console: Console, d, source, tasks: list[dict]) -> None:
    """One stored dispatch: its header, addressees (and what they resolved to), references, tasks."""
    console.print(f"[bold]#{d.id}[/bold] {d.doc_type or ''} {d.number or '(no number)'}"
                  f"  {d.issued_date or ''}  {d.place or ''}", markup=True, highlight=False)
    for label, value in [("issuer", " / ".join(filter(None, [d.parent_issuer, d.issuer]))), ("subject", d.subject),
                         ("signer", ", ".join(filter(None, [d.signer_authority, d.signer_title, d.signer_name]))),
                         ("source", f"{source.path} ({source.media_type}, sha256 {source.sha256[:12]}…)"
                          if source else None),
                         ("extractor", f"{d.extractor_version} at {d.extracted_at}"),
                         ("review", " ".join(filter(None, [d.review_status, d.reviewed_by and f"by {d.reviewed_by}",
                                                           d.reviewed_at and f"at {d.reviewed_at}",
                                                           d.confidence is not None and f"(confidence {d.confidence:.2f})"])))]:
        if value:
            console.print(f"  {label}: {value}", markup=False, highlight=False)
    if d.recipients:
        print_table(console, [{"role": r.role, "name": r.name, "units": r.unit_count,
                               "rule": ": ".join(filter(None, [r.rules, r.resolve_note]))} for r in d.recipients],
                    ["role", "name", "units", "rule"], title="Recipients")
    if d.references:
        print_table(console, [{"doc_type": r.doc_type, "number": r.number, "date": r.date, "issuer": r.issuer,
                               "stored": f"#{r.target_dispatch_id}" if r.target_dispatch_id else ""}
                              for r in d.references],
                    ["doc_type", "number", "date", "issuer", "stored"], title="References")
    if tasks:
        print_table(console, tasks, ["task_id", "status", "due_date", "recurrence", "units", "assigned_to", "task"],
                    title="Tasks")
