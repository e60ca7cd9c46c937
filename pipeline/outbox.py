"""One unit's task list as files: tasks.xlsx (openpyxl), tasks.docx (python-docx, laid out as a
Vietnamese administrative document, Nghị định 30/2020) and tasks.ics (icalendar: one all-day
event per deadline, recurring tasks with an RRULE, a UID stable per task and unit).

The records come from `pipeline.nightly.unit_task_lists`; nothing here reads the store.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Optional

STATUS_VI = {"open": "Chưa thực hiện", "in_progress": "Đang thực hiện", "done": "Đã hoàn thành",
             "cancelled": "Đã hủy"}
RECURRENCE_VI = {"daily": "Hằng ngày", "weekly": "Hằng tuần", "monthly": "Hằng tháng", "quarterly": "Hằng quý",
                 "semiannual": "6 tháng một lần", "yearly": "Hằng năm"}
# RFC 5545 RRULE of each recurrence
RRULES = {"daily": {"FREQ": "DAILY"}, "weekly": {"FREQ": "WEEKLY"}, "monthly": {"FREQ": "MONTHLY"},
          "quarterly": {"FREQ": "MONTHLY", "INTERVAL": 3}, "semiannual": {"FREQ": "MONTHLY", "INTERVAL": 6},
          "yearly": {"FREQ": "YEARLY"}}
FILES = ("tasks.xlsx", "tasks.docx", "tasks.ics")


@dataclass(frozen=True)
class ListedTask:
    task_id: int
    dispatch_id: int
    number: Optional[str]
    doc_type: Optional[str]
    issued_date: Optional[str]        # ISO, may be partial ("2019-06")
    issuer: Optional[str]
    subject: Optional[str]
    text: str
    report_to: Optional[str]
    due_date: Optional[str]           # as extracted (may be partial)
    due_by: Optional[date]            # the first deadline (a month's last day for a partial date)
    next_due: Optional[date]          # the deadline this list is about (recurring: the next one)
    recurrence: Optional[str]
    status: str
    overdue: bool
    assigned_to: Optional[str] = None


@dataclass(frozen=True)
class UnitList:
    code: str
    name: str
    kind: str
    level: Optional[str]
    district: Optional[str]
    province: Optional[str]
    email: Optional[str]
    parent_name: Optional[str]
    tasks: tuple[ListedTask, ...]

    @property
    def overdue(self) -> int:
        return sum(t.overdue for t in self.tasks)


# ------------------------------------------------------------------ wording

def vi_date(value: Optional[str | date]) -> str:
    """'2019-06-05' → '05/6/2019'; '2019-06' → 'tháng 6/2019'; None → ''."""
    if value is None:
        return ""
    iso = value.isoformat() if isinstance(value, date) else value
    parts = iso.split("-")
    if len(parts) == 3:
        return f"{parts[2]}/{parts[1]}/{parts[0]}"
    if len(parts) == 2:
        return f"tháng {int(parts[1])}/{parts[0]}"
    return iso


def source_line(t: ListedTask) -> str:
    """'Công văn số 5095/SGDĐT-CTTTHSSV ngày 03/12/2025 của Sở Giáo dục và Đào tạo'."""
    kind = (t.doc_type or "Văn bản").capitalize()
    number = f" số {t.number}" if t.number and any(c.isdigit() for c in t.number) else " (chưa ghi số)"
    issued = f" ngày {vi_date(t.issued_date)}" if t.issued_date and len(t.issued_date) == 10 else \
        (f" {vi_date(t.issued_date)}" if t.issued_date else "")
    issuer = f" của {t.issuer}" if t.issuer else ""
    subject = f" về việc {t.subject}" if t.subject else ""
    return f"{kind}{number}{issued}{issuer}{subject}"


def deadline_line(t: ListedTask, today: date) -> str:
    if t.next_due is None:
        return RECURRENCE_VI.get(t.recurrence or "", "") or "Không ghi thời hạn"
    text = vi_date(t.next_due)
    if t.recurrence:
        text += f" ({RECURRENCE_VI.get(t.recurrence, t.recurrence).lower()})"
    if t.overdue:
        text += f" — quá hạn {(today - t.next_due).days} ngày"
    return text


# ------------------------------------------------------------------ xlsx

XLSX_COLUMNS = ["STT", "Mã nhiệm vụ", "Nhiệm vụ", "Số văn bản", "Ngày văn bản", "Cơ quan ban hành", "Trích yếu",
                "Thời hạn", "Lặp lại", "Quá hạn", "Trạng thái", "Báo cáo về", "Người theo dõi"]


def write_xlsx(unit: UnitList, today: date, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    ws = book.active
    ws.title = "Nhiệm vụ"
    ws.append(XLSX_COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, t in enumerate(unit.tasks, start=1):
        ws.append([i, t.task_id, t.text, t.number, t.issued_date, t.issuer, t.subject, t.next_due,
                   RECURRENCE_VI.get(t.recurrence or "", ""), "Có" if t.overdue else "",
                   STATUS_VI.get(t.status, t.status), t.report_to, t.assigned_to])
        ws.cell(row=i + 1, column=8).number_format = "DD/MM/YYYY"
        ws.cell(row=i + 1, column=3).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGHIJKLM", (5, 11, 70, 22, 12, 30, 40, 12, 12, 8, 15, 30, 20)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    about = book.create_sheet("Thông tin")
    for row in (("Đơn vị", unit.name), ("Mã đơn vị", unit.code), ("Ngày lập", today),
                ("Số nhiệm vụ", len(unit.tasks)), ("Quá hạn", unit.overdue)):
        about.append(list(row))
    about["B3"].number_format = "DD/MM/YYYY"
    about.column_dimensions["A"].width, about.column_dimensions["B"].width = 14, 60
    book.save(path)
    return path


# ------------------------------------------------------------------ docx

FONT = "Times New Roman"


def _run(paragraph, text: str, *, bold=False, italic=False, size=13, underline=False):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size, run.font.name = Pt(size), FONT
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    return run


def _para(cell_or_doc, text: str = "", *, align="center", bold=False, italic=False, size=13, after=0):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = cell_or_doc.add_paragraph()
    p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                   "justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    p.paragraph_format.space_after, p.paragraph_format.space_before = Pt(after), Pt(0)
    if text:
        _run(p, text, bold=bold, italic=italic, size=size)
    return p


def _rule(cell, width_chars: int = 14):
    """The short line under a name block or the motto."""
    return _para(cell, "─" * width_chars, size=8)


def _no_borders(table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def _widths(table, widths) -> None:
    """Fixed column widths that Word and LibreOffice both keep."""
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def _header(doc, unit: UnitList, today: date) -> None:
    from docx.shared import Cm

    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, (Cm(6.8), Cm(9.7)))
    left, right = table.rows[0].cells
    for cell in (left, right):
        cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
    if unit.parent_name:
        _para(left, unit.parent_name.upper(), size=12)
    _para(left, unit.name.upper(), bold=True, size=12)
    _rule(left, 10)
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    _para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13)
    _rule(right, 18)
    place = unit.district or unit.province or ""
    _para(right, f"{place + ', ' if place else ''}ngày {today.day:02d} tháng {today.month:02d} năm {today.year}",
          italic=True, size=13)


def _task_table(doc, unit: UnitList, today: date) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    headers = ("STT", "Nội dung nhiệm vụ", "Văn bản giao nhiệm vụ", "Thời hạn", "Trạng thái")
    widths = (Cm(1.2), Cm(7.0), Cm(3.6), Cm(2.5), Cm(2.2))
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(cell.paragraphs[0], text, bold=True, size=12)
    for i, t in enumerate(unit.tasks, start=1):
        cells = table.add_row().cells
        values = (str(i), t.text, source_line(t), deadline_line(t, today), STATUS_VI.get(t.status, t.status))
        for j, (cell, text) in enumerate(zip(cells, values)):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER if j in (0, 3, 4) else WD_ALIGN_PARAGRAPH.LEFT
            _run(cell.paragraphs[0], text, size=12, bold=(j == 3 and t.overdue))
        if t.report_to:
            _run(cells[1].add_paragraph(), f"Báo cáo về: {t.report_to}", italic=True, size=11)
    _widths(table, widths)


def write_docx(unit: UnitList, today: date, path: Path, window_days: int = 30) -> Path:
    from docx import Document
    from docx.shared import Cm

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    _header(doc, unit, today)
    _para(doc, after=6)
    _para(doc, "DANH SÁCH NHIỆM VỤ", bold=True, size=14)
    _para(doc, f"Các nhiệm vụ {unit.name} cần thực hiện, tính đến ngày {vi_date(today)}", bold=True, size=13)
    _para(doc, f"(quá hạn, đến hạn trong {window_days} ngày tới hoặc chưa ghi thời hạn; "
               f"{len(unit.tasks)} nhiệm vụ, {unit.overdue} quá hạn)", italic=True, size=12, after=6)
    _task_table(doc, unit, today)
    _para(doc, after=6)
    note = _para(doc, align="left", size=11)
    _run(note, "Nơi nhận:", bold=True, italic=True, size=12)
    _para(doc, f"- {unit.name};", align="left", size=11)
    _para(doc, "- Lưu: VT.", align="left", size=11)
    _para(doc, "Danh sách được lập tự động từ các văn bản đã tiếp nhận. Nhiệm vụ đã hoàn thành xin báo lại "
               "để cập nhật trạng thái.", align="left", italic=True, size=11)
    doc.core_properties.title = f"Danh sách nhiệm vụ — {unit.name} — {vi_date(today)}"
    doc.core_properties.author = "congvan"
    doc.save(path)
    return path


# ------------------------------------------------------------------ ics

def event_uid(task_id: int, unit_code: str) -> str:
    return f"congvan-task-{task_id}-{unit_code.lower()}@congvan"


def write_ics(unit: UnitList, today: date, path: Path, stamp: Optional[datetime] = None) -> Path:
    from icalendar import Calendar, Event

    stamp = stamp or datetime.now(timezone.utc)
    cal = Calendar()
    cal.add("prodid", "-//congvan//Danh sach nhiem vu//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Nhiệm vụ — {unit.name}")
    for t in unit.tasks:
        start = t.due_by if t.recurrence else t.next_due
        if start is None:
            continue
        event = Event()
        event.add("uid", event_uid(t.task_id, unit.code))
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(days=1))
        event.add("summary", f"Hạn: {_short(t.text)}")
        event.add("description", f"{t.text}\n\n{source_line(t)}"
                                 + (f"\nBáo cáo về: {t.report_to}" if t.report_to else ""))
        event.add("categories", ["congvan", unit.code])
        event.add("transp", "TRANSPARENT")
        if t.recurrence in RRULES:
            event.add("rrule", RRULES[t.recurrence])
        cal.add_component(event)
    path.write_bytes(cal.to_ical())
    return path


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def write_unit_files(unit: UnitList, today: date, folder: Path, window_days: int = 30,
                     stamp: Optional[datetime] = None) -> list[Path]:
    """tasks.xlsx, tasks.docx and tasks.ics of one unit in `folder` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    return [write_xlsx(unit, today, folder / FILES[0]), write_docx(unit, today, folder / FILES[1], window_days),
            write_ics(unit, today, folder / FILES[2], stamp)]
