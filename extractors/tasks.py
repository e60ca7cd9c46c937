"""Obligations: each instructing item or sentence of the body, with its deadline.

`find_candidates` walks the body's paragraphs (hard wraps undone): a numbered or
bulleted item is one candidate; an unnumbered paragraph gives one candidate per
sentence. `is_task` keeps those that instruct; `build_task` reads the action,
assignees, report-to body and deadline of each.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from extractors.assignees import find_assignees, find_report_to
from extractors.deadlines import deadline_spans, find_deadline, schedule_deadline
from extractors.rules import alternation, load_rules
from extractors.schedule import ScheduleRow, find_schedule_rows, split_units
from pipeline.normalize import ITEM_MARKER, split_lines, starts_item, unwrap
from pipeline.segment import FURNITURE, UPPER, SegmentedDoc
from schemas import Deadline, Task

_ABBREV_END = re.compile(r"(?:TP|Tp|ThS|TS|PGS|GS|Q|KT|TL|TM|TUQ|Đ/c|đ/c|v\.v|St|Th|tr|Tr|NĐ|TT|QĐ|Số|số|Mr|CP)\.$")
_SENTENCE_BREAK = re.compile(rf"(?<=[.!?])\s+(?=[{UPPER}“\"(])")


@dataclass(frozen=True)
class Candidate:
    start: int          # offsets in the normalised text
    end: int
    text: str           # white space collapsed
    kind: str           # "item" | "sentence"
    marker: str | None  # the item's marker kind (num, letter, bullet, article, …)
    context: str | None  # the heading or lead line this item sits under


@cache
def _rules() -> dict:
    r = load_rules("tasks")
    types = alternation(load_rules("doc_types").words())
    return {
        "directive": re.compile(rf"(?<!\w)(?:{alternation(r['directive'])})(?!\w)", re.I),
        "blockers": re.compile(
            rf"(?<!\w)(?:{alternation(r['directive_blockers'])})(?!\w)"
            # 'chưa chặt chẽ, kịp thời', 'được ban hành kịp thời': a manner word in a description
            rf"|(?<!\w)(?:{alternation(r['evaluative_markers'])})(?:[\s,]+[^\s.;:,]+){{0,3}}?[\s,]+"
            rf"(?:{alternation(r['manner_directives'])})(?!\w)"
            # 'đạt 72,4% kế hoạch Thủ tướng Chính phủ giao': a target someone assigned, not an assignment
            rf"|(?<!\w)(?:{alternation(r['assigned_nouns'])})(?:\s+[^\s.;:,()]+){{0,5}}?\s+giao(?!\w)", re.I),
        "passive": re.compile(rf"(?<!\w)(?:{alternation(r['passive_markers'])})(?!\w)"),
        "action": re.compile(rf"(?<!\w)(?:{alternation(r['action_verbs'])})(?!\w)", re.I),
        "action_start": re.compile(rf"^(?:{alternation(r['action_verbs'])})(?!\w)", re.I),
        "subject_start": re.compile(rf"^(?:{alternation(r['subjects'])})(?!\w)"),
        "background": re.compile(
            rf"^(?:{alternation(r['background'])}|(?:Thực hiện|Theo|Căn cứ|Tại|Xét|Tiếp theo)\s+(?:{types})"
            rf"|(?:[Kk]hoản|[Đđ]iểm|Điều)\s+\d+[a-zđ]?\b[^.;]{{0,40}}?(?:{types})"
            # '(Đ/c: …) Cục Hải quan nhận được công văn số …': whoever received a document is background
            rf"|[^.;]{{0,160}}?\bnhận\s+được\s+(?:{types}))(?!\w)"),
        # 'Căn cứ Kế hoạch này, các Sở … xây dựng …': the document itself is no background
        "this_document": re.compile(rf"^(?:Căn cứ|Trên cơ sở|Theo)\s+(?:nội dung\s+)?(?:{types})\s+này(?!\w)", re.I),
        "final": re.compile(rf"^(?:{alternation(r['background_final'])})(?!\w)"),
        "intro": re.compile(rf"(?:{alternation(r['intro_endings'])})\s*$", re.I),
        "non_task": re.compile(rf"(?:{alternation(r['non_task'])})", re.I),
        "article_non_task": re.compile(rf"^(?:{alternation(r['article_non_task'])})(?!\w)", re.I),
        "heading_open": re.compile(rf"^(?:{alternation(r['heading_openings'])})"),
        "generic_intro": re.compile("|".join(f"(?:{t})" for t in r["generic_intro_tails"]), re.I),
        "label_row": re.compile(rf"^(?:{alternation(r['label_rows'])})[^:]{{0,30}}:"),
        "deadline_line": re.compile(rf"^(?:{alternation(r['deadline_lines'])})(?!\w)"),
        # 'Số trường được kiểm tra: 25 trường.' — a figure reported, not a duty
        "statistic": re.compile(r"^[^:]{2,120}:\s*[\d.,%]+(?:\s+[^\s\d]+){0,3}\s*[.;]?$"),
        "strong": re.compile(r"(?<!\w)(?:đề nghị|yêu cầu|giao)(?!\w)", re.I),
        "past": re.compile(rf"(?<!\w)(?:{alternation(r['past_markers'])})(?!\w)"),
    }


def directs(text: str, strong: bool = False) -> bool:
    """Does the text carry a directive word that is not part of a blocking phrase?

    `strong` asks only for đề nghị / yêu cầu / giao (what turns background into an instruction).
    """
    r = _rules()
    masked = r["blockers"].sub(lambda m: " " * len(m.group(0)), text)
    return bool(r["strong" if strong else "directive"].search(masked))


def _marker(text: str) -> tuple[str | None, int]:
    """(kind of list marker, length of the marker) at the start of a paragraph."""
    if not starts_item(text):
        return None, 0
    m = ITEM_MARKER.match(text)
    kind = next(k for k, v in m.groupdict().items() if v is not None)
    return kind, m.end()


def _paragraphs(doc: SegmentedDoc, skip: set[int] = frozenset()) -> list[tuple[int, int]]:
    """The body's paragraphs, hard wraps undone; lines starting at `skip` (a schedule table's) left out."""
    body = doc.part("body")
    if not body:
        return []
    lines = [ln for ln in split_lines(doc.text, body.start, body.end)
             if not FURNITURE.match(ln.text) and ln.start not in skip]
    return [(p[0].start, p[-1].end) for p in unwrap(lines)]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _sentences(text: str, start: int) -> list[tuple[int, int]]:
    """Sentence spans of text (offsets shifted by start); abbreviations do not end one."""
    spans, last = [], 0
    for m in _SENTENCE_BREAK.finditer(text):
        if _ABBREV_END.search(text[last:m.start()]):
            continue
        spans.append((start + last, start + m.start()))
        last = m.end()
    spans.append((start + last, start + len(text)))
    return [(s, e) for s, e in spans if e > s]


def _capitals(text: str) -> bool:
    """Written in capitals, as headings are ('II. MỤC ĐÍCH, YÊU CẦU')."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) > 0.8 * len(letters)


def _is_heading(content: str, kind: str | None) -> bool:
    words = content.split()
    if not words:
        return True
    if _capitals(content) and len(words) > 1:
        return True
    if kind == "roman":
        return True
    if _rules()["heading_open"].match(content) and not re.search(r":\s+\S+(?:\s+\S+){4}", content) and (
            len(words) <= 25 or content.rstrip().endswith(":")):  # '5. Về kiến nghị …, …:' heads what follows
        return True
    ends = content.rstrip()[-1:]
    if ends == ":":
        return len(words) <= 12 or not _rules()["action"].search(" ".join(words[3:]))
    return len(words) <= 15 and ends not in ".;" and not directs(content)


def find_candidates(doc: SegmentedDoc, skip: set[int] = frozenset()) -> list[Candidate]:
    text = doc.text
    out: list[Candidate] = []
    context: dict[str, str] = {}
    in_decision = False  # inside an article that decides rather than instructs (Điều 1. Ban hành …)
    paragraphs = _paragraphs(doc, skip)
    for i, (start, end) in enumerate(paragraphs):
        para = text[start:end]
        kind, mlen = _marker(para)
        content = _flat(para[mlen:])
        if kind == "article":
            body = _article_content(para[mlen:])
            in_decision = body is None
            if body is None or _is_heading(_flat(body), None) or _leads_items(para, paragraphs, i, text):
                context = {"article": _flat(body or ""), "latest": _flat(body or "")}
                continue
            out.append(Candidate(start, end, _flat(para), "item", kind, None))
            continue
        if kind and in_decision:
            continue
        if kind and (_is_heading(content, kind) or _leads_items(para, paragraphs, i, text)):
            context[kind] = context["latest"] = content
            _forget_below(context, kind)
            continue
        if kind:
            out.append(Candidate(start, end, _flat(para), "item", kind, _context(context, kind)))
            continue
        for s, e in _sentences(para.replace("\n", " "), start):
            out.append(Candidate(s, e, _flat(text[s:e]), "sentence", None, context.get("latest")))
        if para.rstrip().endswith(":"):
            context["lead"] = context["latest"] = _flat(para)
    return out


def _leads_items(para: str, paragraphs: list[tuple[int, int]], i: int, text: str) -> bool:
    """An item with no closing punctuation followed by items of another kind heads them."""
    if para.rstrip()[-1:] in ".;:" or i + 1 >= len(paragraphs):
        return False
    kind, _ = _marker(para)
    nxt, _ = _marker(text[paragraphs[i + 1][0]:paragraphs[i + 1][1]])
    return nxt is not None and nxt != kind and len(para.split()) <= 60


def _forget_below(context: dict[str, str], kind: str) -> None:
    if kind in _LEVELS:
        for k in _LEVELS[_LEVELS.index(kind) + 1:]:
            context.pop(k, None)


def _article_content(content: str) -> str | None:
    """'Điều 3. Chánh Văn phòng … chịu trách nhiệm thi hành' is a task; 'Điều 1. Ban hành …' is not."""
    body = re.sub(r"^\s*[.:]?\s*", "", content)
    if _rules()["article_non_task"].match(body):
        return None
    return body


_LEVELS = ["article", "roman", "num", "letter", "paren", "bullet"]


def _context(context: dict[str, str], kind: str) -> str | None:
    """The nearest heading above an item of this kind."""
    level = _LEVELS.index(kind) if kind in _LEVELS else len(_LEVELS)
    for k in reversed(_LEVELS[:level]):
        if k in context:
            return context[k]
    return context.get("lead")


def is_task(c: Candidate, issuer: str | None = None) -> bool:
    return task_evidence(c, issuer) is not None


def task_evidence(c: Candidate, issuer: str | None = None) -> str | None:
    """The rule that makes the candidate a task (a key of tasks.json 'confidence'), or None."""
    r = _rules()
    text = _strip_marker(c.text) if c.kind == "item" else c.text
    if len(text.split()) < 3 or r["label_row"].match(text) or r["final"].match(text) or r["statistic"].match(text):
        return None
    if c.kind == "sentence" and _capitals(text) and len(text.split()) <= 15:  # a heading cut off its number
        return None
    if r["non_task"].search(text) and not directs(text[:60]) and not r["action_start"].match(text):
        return None  # ('1. Rà soát các chỉ tiêu … đã được … giao': the imperative opening decides)
    background = bool(r["background"].match(text)) and not r["this_document"].match(text)
    if background and not _late_directive(text):
        return None
    if text.rstrip().endswith(":"):
        return "instructing_lead" if _instructing_lead(text) else None
    if background:
        return "background_directive"
    if c.kind == "item":
        return "item_directive" if directs(text) else ("item_action" if r["action"].search(text) else None)
    if r["past"].search(text) and not directs(text, strong=True):
        return None
    if directs(text):
        return "sentence_directive"
    if r["action_start"].match(text):
        return "sentence_imperative"
    return "sentence_subject" if _subject_acts(text, issuer) else None


def _late_directive(text: str) -> bool:
    """Background that goes on to instruct: '…, Sở đề nghị các trường …' (not '… đã có Văn bản đề nghị …')."""
    r = _rules()
    masked = r["blockers"].sub(lambda m: " " * len(m.group(0)), text)
    m = r["strong"].search(masked, 40)
    return bool(m) and not r["past"].search(masked[:m.start()])


def _instructing_lead(text: str) -> bool:
    """A lead ending in ':' is a task only when it instructs beyond announcing the items:
    an action follows its directive ('yêu cầu Bộ Y tế … tiếp tục …, lưu ý … như sau:')."""
    r = _rules()
    generic = r["generic_intro"].search(text.rstrip())
    if generic and not re.search(r"lưu ý|trọng tâm như sau", text):
        # '… đề nghị BHXH các tỉnh nghiên cứu, phối hợp …, đồng thời thực hiện một số nội dung sau:'
        # instructs before its generic tail; '… đề nghị các đơn vị thực hiện một số nội dung sau:' does not
        text = text[:generic.start()]
        if len(text.split()) < 20:
            return False
    masked = r["blockers"].sub(lambda m: " " * len(m.group(0)), text)
    m = r["directive"].search(masked)
    action = r["action"].search(masked, m.end()) if m else None
    # 'đề nghị UBND các tỉnh quan tâm chỉ đạo:' only announces; an instruction says what to do
    return len(text.split()) >= 20 and bool(action) and len(masked[action.end():].split()) >= 6


def _subject_acts(text: str, issuer: str | None = None) -> bool:
    """'Thủ trưởng các đơn vị … triển khai, thực hiện …': an organ as subject, then an action verb.
    The issuer speaking of itself ('Cục Thuế có kế hoạch nâng cấp …') binds no one."""
    r = _rules()
    opening = re.sub(r"^Trên cơ sở[^,]*,\s*", "", text)
    if not r["subject_start"].match(opening[:1].upper() + opening[1:]):
        return False
    masked = r["blockers"].sub(lambda m: " " * len(m.group(0)), opening)  # 'nhiệm vụ được giao' acts not
    verb = r["action"].search(masked)
    if not verb or len(opening[:verb.start()].split()) > 14:
        return False
    subject = opening[:verb.start()].strip().lower()
    if r["passive"].search(masked[:verb.start()]):  # 'Các lĩnh vực … được quan tâm và triển khai': a description
        return False
    return not (issuer and subject and (subject in issuer.lower() or issuer.lower() in subject))


def extract_tasks(doc: SegmentedDoc, issued: str | None, default_assignees: list[str],
                  issuer: str | None = None, words=None) -> list[Task]:
    """`words` (pipeline.nlp.Words over the body) names each task's action; without it the
    vocabulary alone does."""
    tasks: list[Task] = []
    confidence = load_rules("tasks")["confidence"]
    rows, table_lines = find_schedule_rows(doc)
    for c in find_candidates(doc, table_lines):
        evidence = task_evidence(c, issuer)
        if not evidence:
            if tasks and _rules()["deadline_line"].match(_strip_marker(c.text)) and not tasks[-1].deadline.date:
                tasks[-1] = _with_deadline(doc, tasks[-1], c, issued)
            continue
        for part in split_on_deadlines(doc, c):
            task = build_task(doc, part, issued, default_assignees, words)
            tasks.append(task.model_copy(update={"evidence": evidence, "confidence": confidence[evidence]}))
    if not rows:
        return tasks
    scheduled = [schedule_task(doc, row, issued, default_assignees, words)
                 .model_copy(update={"evidence": "schedule_row", "confidence": confidence["schedule_row"]})
                 for row in rows]
    return sorted(tasks + scheduled, key=lambda t: t.span[0] if t.span else 0)


def schedule_task(doc: SegmentedDoc, row: ScheduleRow, issued: str | None, default_assignees: list[str],
                  words=None) -> Task:
    """A schedule table's row as a task: its content cell, the due date of its time cell, the
    units of its unit cells (else whoever the content names, else the addressees)."""
    content = Candidate(row.content.start, row.content.end, _flat(row.content.text), "row", None, None)
    deadline = schedule_deadline(row.time.text, issued) if row.time else Deadline()
    if deadline.span:
        start = row.time.start + deadline.span[0]
        deadline = deadline.model_copy(update={"span": doc.norm.to_original(start, start + len(deadline.text or ""))})
    units = [unit for cell in row.units for unit in split_units(cell)]
    return Task(
        text=content.text,
        action=_action(content, content.text, words),
        assignees=units or find_assignees(content.text, None, default_assignees),
        report_to=find_report_to(content.text),
        deadline=deadline,
        span=doc.norm.to_original(content.start, content.end),
    )


_JOIN = re.compile(r"\s+(?:và|đồng thời)\s+|;\s+")


def split_on_deadlines(doc: SegmentedDoc, c: Candidate) -> list[Candidate]:
    """'… khảo sát (trước ngày 20/4/2026) và gửi Báo cáo … trước ngày 25/4/2026': two duties with
    two due dates are two tasks, split at the 'và' / ';' between the dates when an action follows it."""
    window = doc.text[c.start:c.end].replace("\n", " ")
    dates = deadline_spans(window)
    if len(dates) < 2:
        return [c]
    joins = [m for m in _JOIN.finditer(window, dates[0][1], dates[1][0])
             if _rules()["action"].match(window, m.end())]
    if not joins:
        return [c]
    cut = joins[-1]
    first = Candidate(c.start, c.start + cut.start(), _flat(window[:cut.start()]), c.kind, c.marker, c.context)
    rest = Candidate(c.start + cut.end(), c.end, _flat(window[cut.end():]), c.kind, None, c.context)
    return [first] + split_on_deadlines(doc, rest)


def _strip_marker(text: str) -> str:
    return re.sub(r"^\S{1,6}[.)]\s+|^[-–+•]\s*", "", text)


def _with_deadline(doc: SegmentedDoc, task: Task, c: Candidate, issued: str | None) -> Task:
    """'Thời gian hoàn thành trước ngày 31/12/2025.' under a task: that task's due date."""
    deadline = find_deadline(c.text, issued)
    if not deadline.date:
        return task
    located = _locate(doc.text, c, deadline.text)
    deadline = deadline.model_copy(update={"span": doc.norm.to_original(*located) if located else None})
    return task.model_copy(update={"deadline": deadline})


def _action(c: Candidate, body: str, words) -> str | None:
    """The action verb: the first ACTION the ruler found, else the first verb underthesea tags,
    else the first action word of the vocabulary."""
    if words is not None:
        found = words.entities(c.start, c.end, ("ACTION",)) or words.entities(c.start, c.end, ("DIRECTIVE",))
        if found:
            return found[0][3].lower()
        verb = words.first_verb(c.start, c.end)
        if verb:
            return verb.lower()
    m = _rules()["action"].search(body)
    return m.group(0).lower() if m else None


def build_task(doc: SegmentedDoc, c: Candidate, issued: str | None, default_assignees: list[str],
               words=None) -> Task:
    body = re.sub(r"^\S{1,6}[.)]\s+|^[-–+•]\s*", "", c.text)
    deadline = find_deadline(c.text, issued)
    if deadline.span:
        located = _locate(doc.text, c, deadline.text)
        deadline = deadline.model_copy(update={"span": doc.norm.to_original(*located) if located else None})
    return Task(
        text=re.sub(r"[\s.]*/\.$", ".", c.text),
        action=_action(c, body, words),
        assignees=find_assignees(body, c.context, default_assignees),
        report_to=find_report_to(body),
        deadline=deadline,
        span=doc.norm.to_original(c.start, c.end),
    )


def _locate(text: str, c: Candidate, phrase: str | None) -> tuple[int, int] | None:
    if not phrase:
        return None
    window = re.sub(r"\s", " ", text[c.start:c.end])
    idx = window.find(phrase[:15])
    return (c.start + idx, c.start + idx + len(phrase)) if idx >= 0 else None
