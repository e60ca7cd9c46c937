"""Rule vocabularies kept as data: one JSON file per vocabulary, validated on load.

Each file is read once (lazily), checked against its allowed keys (unknown keys are
an error, so a typo in a rule file fails loudly), and wrapped in a small typed view
that compiles what the extractors need.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from pipeline.vntext import new_tones

RULES_DIR = Path(__file__).parent


class RuleFileError(ValueError):
    pass


def _read(name: str, allowed: set[str], entry_keys: set[str] | None = None) -> dict[str, Any]:
    path = RULES_DIR / f"{name}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    unknown = set(data) - allowed
    if unknown:
        raise RuleFileError(f"{path.name}: unknown keys {sorted(unknown)}")
    for entry in data.get("entries", []):
        bad = set(entry) - (entry_keys or set())
        if bad:
            raise RuleFileError(f"{path.name}: entry {entry.get('name')!r} has unknown keys {sorted(bad)}")
    return data


def alternation(words: list[str]) -> str:
    """Regex alternation, longest first, so 'THÔNG TƯ LIÊN TỊCH' wins over 'THÔNG TƯ'.

    A space in a phrase matches any white space, so phrases hard-wrapped over two
    lines ('Quyết\\nđịnh') still match.
    """
    canonical = {new_tones(w) for w in words}
    return "|".join(re.escape(w).replace("\\ ", r"\s+") for w in sorted(canonical, key=len, reverse=True))


@dataclass(frozen=True)
class DocTypes:
    data: dict

    def upper_words(self) -> list[str]:
        return sorted(self.data["header_words"], key=len, reverse=True)

    @cached_property
    def _by_word(self) -> dict[str, str]:
        return {new_tones(w).lower(): e["name"] for e in self.data["entries"] for w in e["words"]}

    @cached_property
    def _by_symbol(self) -> dict[str, str]:
        return {s.upper(): e["name"] for e in self.data["entries"] for s in e["symbols"]}

    def canonical(self, word: str) -> str | None:
        return self._by_word.get(re.sub(r"\s+", " ", word).lower())

    def by_symbol(self, symbol: str) -> str | None:
        return self._by_symbol.get(symbol.upper())

    def words(self) -> list[str]:
        return [w for e in self.data["entries"] for w in e["words"]]


@dataclass(frozen=True)
class OrgHeads:
    data: dict

    @cached_property
    def _head(self) -> re.Pattern:
        return re.compile(rf"^(?:{alternation(self.data['heads'])})(?=\s|$|,)")

    @cached_property
    def _authority(self) -> re.Pattern:
        return re.compile(rf"^(?:{alternation(self.data['authority'])})(?=\s|$|,)")

    def is_head(self, line: str) -> bool:
        return bool(self._head.match(line.strip().upper()))

    def is_incomplete(self, line: str) -> bool:
        return line.strip().upper() in {new_tones(w) for w in self.data["incomplete"]}

    @cached_property
    def inline_split(self) -> re.Pattern:
        return re.compile(rf"(?<=\S)\s+(?=(?<!TỔNG )(?<!CHI )(?:{alternation(self.data['split_inside_line'])})\s)")

    def starts_authority(self, line: str) -> bool:
        return bool(self._authority.match(line.strip().upper()))


@dataclass(frozen=True)
class SignerTitles:
    data: dict

    @cached_property
    def _title_alt(self) -> str:
        base = alternation(self.data["titles"])
        return rf"(?:(?:PHÓ|Phó)\s+)?(?:{base})(?:\s+(?:THƯỜNG TRỰC))?"

    def title_pattern(self) -> re.Pattern:
        return re.compile(self._title_alt)

    @cached_property
    def _authority(self) -> re.Pattern:
        marks = alternation([m.rstrip(".") for m in self.data["authority_marks"]])
        return re.compile(rf"(?<![\w.])(?:{marks})\s*\.\s*(?=[A-ZĐÂĂÊÔƠƯỦỨỰÁÀẢÃẠÍÌỈĨỊÚÙỤŨÓÒỎÕỌÉÈẺẼẸ])")

    def authority_pattern(self) -> re.Pattern:
        return self._authority


_VIEWS = {
    "doc_types": (DocTypes, {"description", "entries", "header_words"}, {"name", "words", "symbols", "examples"}),
    "org_heads": (OrgHeads, {"description", "heads", "incomplete", "authority", "split_inside_line", "examples"}, None),
    "references": (dict, {"description", "law_abbreviations", "law_lower_openers", "issuer_heads", "issuer_lead_ins", "issuer_lead_outs", "issuer_verbs", "extra_type_words", "law_words", "law_title_stops", "issuer_stops", "examples"}, None),
    "tasks": (dict, {"description", "confidence", "schedule_columns", "deadline_lines", "report_to_stops", "background_final", "generic_intro_tails", "label_rows", "directive", "directive_blockers", "subjects", "heading_openings", "action_verbs", "background", "intro_endings", "non_task", "article_non_task", "past_markers", "manner_directives", "evaluative_markers", "assigned_nouns", "passive_markers", "examples"}, None),
    "deadlines": (dict, {"description", "absolute", "relative", "relative_anchor", "recurrence", "recurrence_triggers", "examples", "counter_examples"}, None),
    "casing": (dict, {"description", "keep_upper", "proper_after", "capital_after", "phrases", "examples"}, None),
    "confidence": (dict, {"description", "fields", "conflicts", "examples"}, None),
    "recipients": (dict, {"description", "heads", "excluded", "no_split_after", "no_split_before", "purpose_cues", "examples"}, None),
    "signer_titles": (SignerTitles, {"description", "authority_marks", "titles", "title_modifiers", "examples"}, None),
}


@cache
def load_rules(name: str):
    """The typed view of rules/<name>.json, or the raw dict for files without a view."""
    if name in _VIEWS:
        view, allowed, entry_keys = _VIEWS[name]
        return view(_read(name, allowed, entry_keys))
    path = RULES_DIR / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))
