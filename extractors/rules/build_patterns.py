"""Build patterns.jsonl (the EntityRuler phrases of pipeline.nlp) from the rule files.

    python -m extractors.rules.build_patterns          # rewrite patterns.jsonl
    python -m extractors.rules.build_patterns --check  # exit 1 if it is stale

Every phrase comes from a rule file; this script only gives each one a label:

- DIRECTIVE     tasks.json "directive"      (cues that make a sentence a task)
- ACTION        tasks.json "action_verbs"   (verbs a task opens with)
- DEADLINE_CUE  deadlines.json "absolute"   (id "absolute")
- RECURRENCE    deadlines.json "recurrence" (id = the contract's recurrence value)
- ORG           org_heads.json "heads" and "incomplete" in normal case, plus EXTRA_ORG

A phrase listed under two labels keeps the first label of LABEL_PRIORITY (see `label_of`).
Each pattern carries as `examples` the rule files' example sentences that contain it.
"""
from __future__ import annotations

import json
import re
import sys

from extractors.rules import RULES_DIR, load_rules

PATTERNS_PATH = RULES_DIR / "patterns.jsonl"

# A phrase in several lists gets the first of these labels: a directive cue is the stronger
# signal for the task finder ('báo cáo', 'triển khai' are both), a deadline cue the most specific.
LABEL_PRIORITY = ("DEADLINE_CUE", "RECURRENCE", "DIRECTIVE", "ACTION", "ORG")

# Labels whose examples must show the phrase with its case as written ('Trường', not 'nhà trường').
CASED_LABELS = {"ORG"}

# Collective and frequent addressee heads the name-block list (upper-case heads) lacks.
EXTRA_ORG = [
    "Ủy ban nhân dân", "Uỷ ban nhân dân", "Sở Giáo dục và Đào tạo", "Phòng Giáo dục và Đào tạo",
    "Sở GD&ĐT", "Phòng GD&ĐT", "các trường", "các đơn vị", "các sở", "các bộ", "các cơ quan",
    "Trường THPT", "Trường THCS", "Trường Tiểu học", "Trường Mầm non",
]


def normal_case(head: str, keep_upper: set[str]) -> str:
    """'ỦY BAN' → 'Ủy ban', 'UBND' stays: first letter capital, the rest lower case."""
    words = head.split()
    out = [w if w in keep_upper else w.lower() for w in words]
    if out and out[0] not in keep_upper:
        out[0] = out[0][:1].upper() + out[0][1:]
    return " ".join(out)


def _phrases() -> dict[str, list[tuple[str, str | None]]]:
    """label -> [(phrase, id)] in rule-file order."""
    tasks, deadlines = load_rules("tasks"), load_rules("deadlines")
    heads = load_rules("org_heads").data
    keep = set(load_rules("casing")["keep_upper"])
    orgs = [normal_case(h, keep) for h in heads["heads"] + heads["incomplete"]] + EXTRA_ORG
    return {
        "DEADLINE_CUE": [(p, "absolute") for p in deadlines["absolute"]],
        "RECURRENCE": [(p, v) for p, v in deadlines["recurrence"].items()],
        "DIRECTIVE": [(p, None) for p in tasks["directive"]],
        "ACTION": [(p, None) for p in tasks["action_verbs"]],
        "ORG": [(p, None) for p in orgs],
    }


def label_of(labels: list[str]) -> str:
    """The overlap policy: the first label of LABEL_PRIORITY a phrase is listed under."""
    return min(labels, key=LABEL_PRIORITY.index)


def _example_texts() -> list[str]:
    texts = [e["text"] for e in load_rules("tasks")["examples"]]
    texts += [e["text"] for e in load_rules("deadlines")["examples"]]
    return texts


def _examples(phrase: str, label: str, texts: list[str]) -> list[str]:
    """The example sentences holding the phrase as whole words (a body's head as written)."""
    flags = 0 if label in CASED_LABELS else re.I
    rx = re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)", flags)
    return [t for t in texts if rx.search(t)]


def build() -> list[dict]:
    """One entry per distinct phrase (case-insensitive), labelled by `label_of`."""
    labels: dict[str, list[str]] = {}
    written: dict[tuple[str, str], tuple[str, str | None]] = {}
    for label, entries in _phrases().items():
        for phrase, ent_id in entries:
            key = phrase.lower()
            labels.setdefault(key, [])
            if label not in labels[key]:
                labels[key].append(label)
            written.setdefault((label, key), (phrase, ent_id))
    texts = _example_texts()
    out = []
    for key, listed in labels.items():
        label = label_of(listed)
        phrase, ent_id = written[(label, key)]
        entry: dict = {"label": label, "pattern": phrase}
        if ent_id:
            entry["id"] = ent_id
        examples = _examples(phrase, label, texts)
        if examples:
            entry["examples"] = examples
        out.append(entry)
    return out


def render(patterns: list[dict]) -> str:
    return "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in patterns)


def main(argv: list[str]) -> int:
    text = render(build())
    if "--check" in argv:
        stale = not PATTERNS_PATH.exists() or PATTERNS_PATH.read_text(encoding="utf-8") != text
        print(f"{PATTERNS_PATH.name}: {'stale' if stale else 'up to date'}")
        return int(stale)
    PATTERNS_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {text.count(chr(10))} patterns to {PATTERNS_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
