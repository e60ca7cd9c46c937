"""Page furniture of a text layer: bare page numbers, the Công báo running header, and lines
repeated in the top or bottom margin of most pages. Dropped from PDFs (by position and text) and
from DOCX headers and footers (by text)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.read.columns import Line
    from pipeline.read.pdf_page import PageText

MARGIN = 0.09              # share of the page height at top and bottom where furniture lives
PAGE_NUMBER = re.compile(r"^[-–—\s]*(?:Trang\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?[-–—\s]*$", re.I)
GAZETTE = re.compile(r"^C[ÔO]NG\s*BÁO\s*/\s*(?:Số|S[ốỐ])\b", re.I)


def drop_furniture(pages: list[PageText]) -> None:
    """Remove page numbers, Công báo running headers and lines repeated in the margins."""
    repeated = repeated_margin_lines(pages)
    for page in pages:
        if page.text is not None:  # read by OCR: the first and last lines by their text alone
            rows = page.text.split("\n")
            filled = [i for i, row in enumerate(rows) if row.strip()]
            edge = set(filled[:2] + filled[-2:])
            page.text = "\n".join(t for i, t in enumerate(rows) if not (i in edge and is_furniture(t)))
            continue
        page.lines = [line for line in page.lines
                      if not (in_margin(line, page) and (is_furniture(line.text) or _key(line.text) in repeated))]


def is_furniture(text: str) -> bool:
    """A bare page number or a Công báo running header."""
    text = text.strip()
    return bool(PAGE_NUMBER.match(text) or GAZETTE.match(text))


def in_margin(line: Line, page: PageText) -> bool:
    return line.bottom <= MARGIN * page.height * 1.2 or line.top >= (1 - MARGIN) * page.height


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip().lower()))


def repeated_margin_lines(pages: list[PageText]) -> set[str]:
    """Margin lines (digits ignored) printed on most pages: running headers and footers."""
    if len(pages) < 3:
        return set()
    seen: dict[str, int] = {}
    for page in pages:
        for key in {_key(line.text) for line in page.lines if in_margin(line, page)}:
            seen[key] = seen.get(key, 0) + 1
    return {key for key, n in seen.items() if n >= max(3, 0.5 * len(pages))}

