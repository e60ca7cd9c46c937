"""Two-column blocks a .docx lays out with tabs instead of a table (the header: name block and
số left, quốc hiệu right; the closing block: Nơi nhận left, signature right), unfolded into the
left column, then the right, as a table would come out."""
from __future__ import annotations

import re

NOI_NHAN = re.compile(r"^N[ơo]i\s*nh[ậa]n\b", re.I)
NATIONAL = re.compile(r"C[ỘO]NG\s*H[ÒO]A|Độc\s*lập\s*[-–]", re.I)


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

