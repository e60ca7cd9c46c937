"""Word (.docx) dispatches: the document's text in reading order, as a clean text would have it.

- Paragraphs in order, with the numbers of automatic lists rebuilt ("1.", "a)", "-") from
  numbering.xml: Word keeps them out of the text.
- Tables row by row: a row of one or two cells gives each cell's paragraphs as lines, left cell
  first (the two-column header and the Nơi nhận / signature block); a row of three cells or
  more is one line, its cells joined by " | ".
- Text boxes where they are anchored; headers and footers of the first section around the body
  (page numbers and Công báo running headers dropped, as from a PDF).
- Two-column headers laid out with tabs instead of a table are unfolded left, then right.
- Runs in TCVN3 (.VnTime …) or VNI fonts converted to Unicode by their font; a document whose
  fonts say nothing but whose letters read as TCVN3/VNI is converted by character statistics.
- Hidden and deleted text is left out. Page breaks Word recorded give the page map.

The ZIP directory is checked before anything is decompressed: a zip bomb is refused.
Styles and list numbering: `docx_styles`; tab-laid columns: `docx_tabs`.
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from pathlib import Path

from pipeline.read import legacy_fonts
from pipeline.read.docx_styles import W, Context
from pipeline.read.docx_tabs import unfold_tabs
from pipeline.read.errors import ReadError
from pipeline.read.furniture import is_furniture
from schemas import Document, Page, Source

MAX_UNCOMPRESSED = 200_000_000   # bytes, all members together
MAX_XML = 50_000_000             # bytes of XML parts (parsed into memory); images need not be
MAX_RATIO = 100                  # uncompressed / compressed, for XML over 1 MB or any member over 10 MB
MAX_MEMBERS = 10_000
PAGE_BREAK = "\f"
SOFT_HYPHEN = "\u00ad"  # TCVN3's 'ư'
SPACES = " \t\u00a0\u200b\ufeff"  # not the page break

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


# ---------------------------------------------------------------- entry point

def read_docx(path: Path, data: bytes) -> Document:
    check_zip(path, data)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors …
        raise ReadError(path, f"damaged Word document ({type(exc).__name__}: {exc})") from None
    return docx_document(path, document, media_type="application/vnd.openxmlformats-officedocument"
                                                     ".wordprocessingml.document")


def docx_document(path: Path, document, media_type: str) -> Document:
    context = Context.of(document)
    blocks = header_footer_blocks(context, document, "header")
    blocks += body_blocks(context, document.element.body)
    blocks += header_footer_blocks(context, document, "footer")
    text = tidy("\n".join(unfold_tabs(blocks)))
    if not context.legacy_runs:
        text, encoding = legacy_fonts.fix_text(text)
        if encoding:
            context.warnings.append(f"text typed in {encoding.upper()} fonts: converted to Unicode")
    text = text.replace(SOFT_HYPHEN, "")
    return build_document(path, text, media_type, context.warnings)


def tidy(text: str) -> str:
    """NFC; tabs and runs of spaces made one space; no blank lines, no spaces at line ends."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[ \t]*\t[ \t]*|(?<=\S)[ ]{2,}", " ", text)
    lines = (line.strip(SPACES) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def check_zip(path: Path, data: bytes) -> None:
    """Refuse a ZIP that would decompress into too much (declared sizes: zipfile stops there)."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ReadError(path, f"damaged Word document ({exc})") from None
    if len(members) > MAX_MEMBERS:
        raise ReadError(path, f"not a plausible Word document ({len(members)} files inside)")
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED:
        raise ReadError(path, f"refused: would decompress to {total / 1e6:.0f} MB "
                              f"(limit {MAX_UNCOMPRESSED / 1e6:.0f} MB): a zip bomb?")
    xml = sum(m.file_size for m in members if m.filename.endswith((".xml", ".rels")))
    if xml > MAX_XML:
        raise ReadError(path, f"refused: {xml / 1e6:.0f} MB of XML to parse (limit {MAX_XML / 1e6:.0f} MB)")
    for m in members:  # XML over 1 MB or anything over 10 MB: a blank scanned BMP may shrink 300:1
        floor = 1_000_000 if m.filename.endswith((".xml", ".rels")) else 10_000_000
        if m.file_size > floor and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise ReadError(path, f"refused: {m.filename} is compressed {m.file_size // max(m.compress_size, 1)}:1 "
                                  f"(limit {MAX_RATIO}:1): a zip bomb?")


def build_document(path: Path, text: str, media_type: str, warnings: list[str]) -> Document:
    """The Document, its pages cut where Word broke them (the breaks themselves removed)."""
    def one_break(m: re.Match) -> str:
        gap = m.group(0)
        return PAGE_BREAK + ("\n" if "\n" in gap else " " if gap.strip(PAGE_BREAK) else "")
    text = re.sub(rf"[{SPACES}\n]*\f[\f{SPACES}\n]*", one_break, text)
    text = text.strip("\n" + PAGE_BREAK)
    if not text.strip():
        raise ReadError(path, "a Word document with no text")
    pages, offset = [], 0
    for chunk in text.split(PAGE_BREAK):
        pages.append(Page(number=len(pages) + 1, start=offset, end=offset + len(chunk)))
        offset += len(chunk)
    return Document(text=text.replace(PAGE_BREAK, ""), source=Source(media_type=media_type, pages=len(pages)),
                    pages=pages, warnings=warnings)


# ---------------------------------------------------------------- body

def body_blocks(context: Context, container) -> list[str]:
    """Text blocks (one per paragraph or table line) of a body, cell, text box, header or footer."""
    blocks: list[str] = []
    for child in container:
        tag = child.tag
        if tag == f"{W}p":
            blocks += paragraph_blocks(context, child)
        elif tag == f"{W}tbl":
            blocks += table_blocks(context, child)
        elif tag in (f"{W}sdt", f"{W}customXml"):
            content = child.find(f"{W}sdtContent") if tag == f"{W}sdt" else child
            if content is not None:
                blocks += body_blocks(context, content)
        elif tag == f"{MC}AlternateContent":
            choice = child.find(f"{MC}Choice")
            if choice is not None:
                blocks += body_blocks(context, choice)
    return blocks


def table_blocks(context: Context, table) -> list[str]:
    blocks = []
    for row in table.iter(f"{W}tr"):
        if row.getparent() is not table and row.getparent().tag != f"{W}sdtContent":
            continue  # rows of nested tables are read with their cell
        cells = [c for c in row if c.tag == f"{W}tc"]
        contents = [[b for b in body_blocks(context, cell) if b.strip()] for cell in cells]
        if len(cells) >= 3:
            line = " | ".join(" ".join(c).replace(PAGE_BREAK, "") for c in contents)
            if line.replace("|", "").strip():
                blocks.append(line)
        else:
            for content in contents:
                blocks += content
    return blocks


def paragraph_blocks(context: Context, p) -> list[str]:
    style_id = context.paragraph_style(p)
    boxes: list[str] = []
    segments: list[tuple[str, tuple[str, bool] | None]] = []
    breaks_before = p.find(f"{W}pPr/{W}pageBreakBefore") is not None and not context.rendered_breaks
    for node in _inline_nodes(p):
        tag = node.tag
        if tag == f"{W}r":
            text = run_text(context, node)
            if text:
                font = legacy_fonts.font_encoding(context.run_font(node, style_id)) if _has_high(text) else None
                segments.append((text, font))
            for box in node.iter(f"{W}txbxContent"):
                if not _in_fallback(box, node):
                    boxes += body_blocks(context, box)
    text = _join_segments(context, segments)
    label = context.numbering.label(p, style_id, context)
    if label and text.strip():
        text = f"{label} {text.lstrip()}"
    if breaks_before:
        text = PAGE_BREAK + text
    blocks = boxes + ([text] if text.strip() or PAGE_BREAK in text else [])
    return [b for b in blocks if b.strip() or PAGE_BREAK in b]


def _inline_nodes(p):
    """The runs of a paragraph in order, through hyperlinks, fields, smart tags and insertions;
    not through deletions, moved-away text or the fallback copy of alternate content."""
    skip = {f"{W}del", f"{W}moveFrom", f"{MC}Fallback", f"{W}pPr", f"{W}rPr"}
    stack = list(reversed(list(p)))
    while stack:
        node = stack.pop()
        if node.tag in skip:
            continue
        if node.tag == f"{W}r":
            yield node
            continue
        stack.extend(reversed(list(node)))


def _in_fallback(node, stop) -> bool:
    while node is not None and node is not stop:
        if node.tag == f"{MC}Fallback":
            return True
        node = node.getparent()
    return False


def run_text(context: Context, run) -> str:
    rpr = run.find(f"{W}rPr")
    if rpr is not None and rpr.find(f"{W}vanish") is not None and \
            rpr.find(f"{W}vanish").get(f"{W}val") not in ("0", "false"):
        return ""
    out = []
    for child in run:
        tag = child.tag
        if tag == f"{W}t":
            out.append(child.text or "")
        elif tag == f"{W}tab":
            out.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            page = child.get(f"{W}type") == "page"
            out.append(PAGE_BREAK if page and not context.rendered_breaks else "\n")
        elif tag == f"{W}lastRenderedPageBreak":
            out.append(PAGE_BREAK)
        elif tag == f"{W}noBreakHyphen":
            out.append("-")
        elif tag == f"{W}softHyphen":  # dropped later, unless a TCVN3 font makes it 'ư'
            out.append(SOFT_HYPHEN)
        elif tag == f"{W}sym":
            out.append(_symbol(child))
    return "".join(out)


def _symbol(sym) -> str:
    code = int(sym.get(f"{W}char") or "0", 16)
    if code >= 0xF000:
        code -= 0xF000
    return "-" if code in (0xB7, 0xA7, 0xD8, 0xFC, 0x76, 0x6C, 0x6E) else (chr(code) if code >= 32 else "")


def _has_high(text: str) -> bool:
    return any(ord(c) > 0x7F or c == "-" for c in text)


def _join_segments(context: Context, segments: list[tuple[str, tuple[str, bool] | None]]) -> str:
    """Concatenate runs; runs in one legacy font are converted together (VNI marks may split)."""
    out, i = [], 0
    while i < len(segments):
        text, font = segments[i]
        j = i + 1
        while j < len(segments) and segments[j][1] == font:
            text += segments[j][0]
            j += 1
        if font:
            context.legacy_runs += 1
            out.append(legacy_fonts.to_unicode(text, *font))
        else:
            out.append(text)
        i = j
    return "".join(out)


# ---------------------------------------------------------------- headers and footers

def header_footer_blocks(context: Context, document, kind: str) -> list[str]:
    """Text of the first section's first-page (or default) header or footer; furniture dropped."""
    if not document.sections:
        return []
    section = document.sections[0]
    first = section.different_first_page_header_footer
    part = getattr(section, f"first_page_{kind}" if first else kind)
    if part.is_linked_to_previous:
        return []
    blocks = [b.replace(PAGE_BREAK, "") for b in body_blocks(context, part._element)]
    return [b for b in blocks if b.strip() and not is_furniture(b)]
