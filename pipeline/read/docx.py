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
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.read import legacy_fonts
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

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
NOI_NHAN = re.compile(r"^N[ơo]i\s*nh[ậa]n\b", re.I)
NATIONAL = re.compile(r"C[ỘO]NG\s*H[ÒO]A|Độc\s*lập\s*[-–]", re.I)


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


# ---------------------------------------------------------------- styles, fonts, numbering

@dataclass
class Context:
    styles: dict[str, dict]
    default_font: str | None
    numbering: "Numbering"
    rendered_breaks: bool
    legacy_runs: int = 0
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, document) -> "Context":
        part = document.part
        styles_el = _part_element(part, "styles")
        styles, default_font = parse_styles(styles_el)
        numbering = Numbering(_part_element(part, "numbering"), styles)
        rendered = next(document.element.body.iter(f"{W}lastRenderedPageBreak"), None) is not None
        return cls(styles, default_font, numbering, rendered)

    def paragraph_style(self, p) -> str | None:
        style = p.find(f"{W}pPr/{W}pStyle")
        return style.get(f"{W}val") if style is not None else _default_style(self.styles, "paragraph")

    def run_font(self, run, paragraph_style: str | None) -> str | None:
        """The font of the run's non-ASCII letters: direct, run style, paragraph style, default."""
        direct = _font_of(run.find(f"{W}rPr"))
        if direct:
            return direct
        rstyle = run.find(f"{W}rPr/{W}rStyle")
        for style_id in (rstyle.get(f"{W}val") if rstyle is not None else None, paragraph_style):
            font = self.style_value(style_id, "font")
            if font:
                return font
        return self.default_font

    def style_value(self, style_id: str | None, key: str):
        seen = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            if style.get(key) is not None:
                return style[key]
            style_id = style.get("based_on")
        return None


def _part_element(part, name: str):
    for rel in part.rels.values():
        if rel.reltype.endswith("/" + name) and not rel.is_external:
            return rel.target_part.element if hasattr(rel.target_part, "element") else \
                _parse_xml(rel.target_part.blob)
    return None


def _parse_xml(blob: bytes):
    from lxml import etree

    return etree.fromstring(blob, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))


def _font_of(rpr) -> str | None:
    if rpr is None:
        return None
    fonts = rpr.find(f"{W}rFonts")
    if fonts is None:
        return None
    return fonts.get(f"{W}hAnsi") or fonts.get(f"{W}ascii")


def parse_styles(root) -> tuple[dict[str, dict], str | None]:
    styles: dict[str, dict] = {}
    if root is None:
        return styles, None
    default_font = _font_of(root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr"))
    for style in root.iter(f"{W}style"):
        based = style.find(f"{W}basedOn")
        num_id = style.find(f"{W}pPr/{W}numPr/{W}numId")
        ilvl = style.find(f"{W}pPr/{W}numPr/{W}ilvl")
        styles[style.get(f"{W}styleId")] = {
            "type": style.get(f"{W}type"),
            "default": style.get(f"{W}default") in ("1", "true"),
            "based_on": based.get(f"{W}val") if based is not None else None,
            "font": _font_of(style.find(f"{W}rPr")),
            "num": (num_id.get(f"{W}val"), int(ilvl.get(f"{W}val")) if ilvl is not None else 0)
            if num_id is not None else None,
        }
    return styles, default_font


def _default_style(styles: dict[str, dict], kind: str) -> str | None:
    return next((sid for sid, s in styles.items() if s["type"] == kind and s["default"]), None)


ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
         (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def roman(n: int) -> str:
    out = ""
    for value, letters in ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def letters(n: int) -> str:
    """1 → a, 26 → z, 27 → aa (Word repeats the letter)."""
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter",):
        return letters(n)
    if fmt == "upperLetter":
        return letters(n).upper()
    if fmt == "lowerRoman":
        return roman(n)
    if fmt == "upperRoman":
        return roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


class Numbering:
    """Rebuilds list numbers: counters per abstract list, levels below reset, overrides on first use."""

    def __init__(self, root, styles: dict[str, dict]):
        self.styles = styles
        self.levels: dict[str, dict[int, dict]] = {}    # abstractNumId → ilvl → {fmt, text, start, legal}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId → (abstractNumId, start overrides)
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        if root is not None:
            self._parse(root)

    def _parse(self, root) -> None:
        for abstract in root.iter(f"{W}abstractNum"):
            levels = {}
            for lvl in abstract.iter(f"{W}lvl"):
                levels[int(lvl.get(f"{W}ilvl"))] = {
                    "fmt": _val(lvl, "numFmt") or "decimal",
                    "text": _val(lvl, "lvlText") if lvl.find(f"{W}lvlText") is not None else "",
                    "start": int(_val(lvl, "start") or 1),
                    "legal": lvl.find(f"{W}isLgl") is not None,
                }
            self.levels[abstract.get(f"{W}abstractNumId")] = levels
        for num in root.iter(f"{W}num"):
            abstract = num.find(f"{W}abstractNumId")
            overrides = {}
            for override in num.iter(f"{W}lvlOverride"):
                start = override.find(f"{W}startOverride")
                if start is not None:
                    overrides[int(override.get(f"{W}ilvl"))] = int(start.get(f"{W}val"))
            if abstract is not None:
                self.nums[num.get(f"{W}numId")] = (abstract.get(f"{W}val"), overrides)

    def label(self, p, style_id: str | None, context: Context) -> str:
        """The number or bullet Word prints before paragraph `p` ('' when none)."""
        num_id, ilvl = self._num_of(p, style_id, context)
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        abstract, overrides = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abstract, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for level, start in overrides.items():
                counters[level] = start - 1
        counters[ilvl] = counters.get(ilvl, levels[ilvl]["start"] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        level = levels[ilvl]
        if level["fmt"] == "bullet":
            return "+" if level["text"].strip() == "+" else "-"
        if level["fmt"] == "none" or not level["text"]:
            return level["text"] if "%" not in level["text"] else ""

        def number(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            value = counters.get(k, levels.get(k, {}).get("start", 1))
            fmt = "decimal" if level["legal"] else levels.get(k, {}).get("fmt", "decimal")
            return format_number(value, fmt)
        return re.sub(r"%(\d)", number, level["text"])

    def _num_of(self, p, style_id: str | None, context: Context) -> tuple[str | None, int]:
        num_pr = p.find(f"{W}pPr/{W}numPr")
        if num_pr is not None:
            num_id = num_pr.find(f"{W}numId")
            ilvl = num_pr.find(f"{W}ilvl")
            if num_id is not None:
                return num_id.get(f"{W}val"), int(ilvl.get(f"{W}val")) if ilvl is not None else 0
            if ilvl is not None:  # level given, list from the style
                styled = context.style_value(style_id, "num")
                return (styled[0], int(ilvl.get(f"{W}val"))) if styled else (None, 0)
        styled = context.style_value(style_id, "num")
        return styled if styled else (None, 0)


def _val(el, tag: str) -> str | None:
    child = el.find(f"{W}{tag}")
    return child.get(f"{W}val") if child is not None else None


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


# ---------------------------------------------------------------- tab-laid columns

def split_tabbed(block: str) -> tuple[str, str] | None:
    """'LEFT<tabs>RIGHT' → (left, right); a block opening with tabs is right only; None: no tab."""
    if "\t" not in block.strip(" ") and not block.startswith("\t"):
        return None
    m = re.match(r"^(?P<left>[^\t]*?)[ ]*\t[\t ]*(?P<right>.*)$", block, re.S)
    return (m.group("left").strip(), m.group("right").replace("\t", " ").strip()) if m else None


def unfold_tabs(blocks: list[str]) -> list[str]:
    """Header and closing blocks laid out with tabs: left column, then right column."""
    blocks = list(blocks)
    zones = [_tab_zone(blocks, 0, 10)]
    at = next((i for i, b in enumerate(blocks) if NOI_NHAN.match(b.strip())), None)
    if at is not None:
        zones.append(_tab_zone(blocks, at, 25, closing=True))
    for zone in sorted((z for z in zones if z), reverse=True):
        start, end = zone
        pairs = [split_tabbed(b) or (b.strip(), "") for b in blocks[start:end]]
        blocks[start:end] = [l for l, _ in pairs if l] + [r for _, r in pairs if r]
    return blocks


def _tab_zone(blocks: list[str], start: int, span: int, closing: bool = False) -> tuple[int, int] | None:
    """(start, end) of the blocks to unfold: up to the last of a chain of blocks with text on both
    sides of a tab; a header's right column must hold the quốc hiệu, a closing block starts at
    Nơi nhận and takes the short upper-case right-only lines (the signature title) above it."""
    sides = [split_tabbed(b) for b in blocks[start:start + span]]
    two_sided = [i for i, s in enumerate(sides) if s and s[0] and s[1]]
    gap = 12 if closing else 3  # a Nơi nhận list runs long beside the signature
    chained = two_sided[:1]
    for i in two_sided[1:]:
        if i - chained[-1] > gap:
            break
        chained.append(i)
    if not chained or (not closing and (len(chained) < 2 or not any(
            s and NATIONAL.search(s[1]) for s in sides[:chained[-1] + 1]))):
        return None
    end = start + chained[-1] + 1
    while closing and start > 0 and _short_right_only(blocks[start - 1]):
        start -= 1
    return start, end


def _short_right_only(block: str) -> bool:
    """A short upper-case line pushed right by tabs: a signature title ('KT. GIÁM ĐỐC')."""
    sides = split_tabbed(block)
    if not sides or sides[0] or not 0 < len(sides[1]) <= 60:
        return False
    letters = [c for c in sides[1] if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.7 * len(letters)
