"""Who must act, and to whom they report, read from a task's text and its heading.

The assignee is, in order: the addressee of a directive ("đề nghị các trường triển
khai …"), the subject before the first action verb ("Các đơn vị, trường học cần …"),
the same read from the heading or lead the task sits under ("2. Giao Sở Nội vụ"),
and finally the dispatch's Kính gửi addressees.
"""
from __future__ import annotations

import re
from functools import cache

from extractors.rules import alternation, load_rules

_LEADING_CLAUSE = re.compile(
    r"^(?:Để|Nhằm|Trên cơ sở|Căn cứ|Trong|Trường hợp|Sau khi|Thực hiện|Theo|Đối với)\b[^,;:]*,\s*"
)


@cache
def _patterns() -> dict[str, re.Pattern]:
    rules = load_rules("tasks")
    verbs = alternation(rules["action_verbs"])
    heads = alternation(rules["subjects"])
    bodies = alternation(load_rules("references")["issuer_heads"])
    # a head ('Sở', 'Các') and at least one more word before the verb: 'Các tổ chức' is not 'Các' + 'tổ chức'
    who = rf"(?P<who>(?:{heads})\s+[^\s:.(]+(?:(?!\s(?:{verbs})(?!\w))[^:.(]){{0,160}}?)"
    return {
        "addressed": re.compile(
            rf"(?<!\w)(?:đề nghị|yêu cầu|giao|kính đề nghị)\s+{who}(?=\s+(?:{verbs})(?!\w))", re.I),
        "subject": re.compile(rf"^{who}(?=\s+(?:{verbs})(?!\w))"),
        "heading": re.compile(rf"^(?:Đối với\s+|Giao\s+)?(?P<who>(?:{heads})[^:]{{0,120}}?)\s*:?\s*$"),
        "report_to": re.compile(
            rf"(?:báo cáo|gửi(?: báo cáo| kết quả| văn bản| về)?)\s+(?:kết quả\s+)?(?:về|cho|lên)?\s*"
            rf"(?P<to>(?:{bodies})[^,;.()]*?)"
            rf"(?=\s+(?:{alternation(rules['report_to_stops'])})(?!\w)|[,;.()]|$)"),
    }


def _clean(who: str) -> str:
    return re.sub(r"\s+", " ", who).strip(" ,;:")


def _read(text: str) -> str | None:
    pats = _patterns()
    m = pats["addressed"].search(text)
    if m:
        return _clean(m.group("who"))
    opening = _LEADING_CLAUSE.sub("", text)
    m = pats["subject"].match(opening[:1].upper() + opening[1:])
    return _clean(opening[:m.end("who")]) if m else None


def find_assignees(text: str, context: str | None, default: list[str]) -> list[str]:
    who = _read(text)
    if not who and context:
        heading = _patterns()["heading"].match(context)
        who = _read(context) or (_clean(heading.group("who")) if heading else None)
    return [who] if who else list(default)


def find_report_to(text: str) -> str | None:
    m = _patterns()["report_to"].search(text)
    return _clean(m.group("to")) if m else None
