"""What a .docx says about its text outside the text: paragraph and run styles (their fonts, for
TCVN3/VNI conversion, and their list numbering) and numbering.xml, from which the numbers Word
prints before list paragraphs ("1.", "a)", "II.", "-") are rebuilt."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
         (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


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

