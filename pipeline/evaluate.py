"""Score extracted records against gold annotations (../shared/CONTRACT.md §2, §3).

Three stages, one verb each: `score_document` compares one prediction with its gold,
`aggregate` micro-averages the per-document counts, `render_report` / `render_errors`
print them. `evaluate_dir` runs an extractor over a gold directory and does all three
but the printing. Everything but `load_gold` and `evaluate_dir` is pure.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Union

from rapidfuzz import fuzz
from rich.console import Console
from rich.table import Table

from pipeline.vntext import collapse_spaces, new_tones, nfc

SIM = 0.85  # token-set similarity at or above which two texts are "the same"

# CONTRACT §3 abbreviations, keyed by their case-folded form.
ABBREVIATIONS: dict[str, str] = {
    "ubnd": "ủy ban nhân dân",
    "hđnd": "hội đồng nhân dân",
    "gd&đt": "giáo dục và đào tạo",
    "gdđt": "giáo dục và đào tạo",
    "gd-đt": "giáo dục và đào tạo",
    "tw": "trung ương",
    "antq": "an ninh tổ quốc",
    "antt": "an ninh trật tự",
}

# A whole token: not glued to a letter, digit or the joiners of document numbers,
# so "Sở GD&ĐT" expands but "46-CT/TW" and "1161/UBND-VP" do not.
_TOKEN_EDGE = r"\w&/-"
_ABBREVIATION = re.compile(
    rf"(?<![{_TOKEN_EDGE}])(?:"
    + "|".join(re.escape(k) for k in sorted(ABBREVIATIONS, key=len, reverse=True))
    + rf")(?![{_TOKEN_EDGE}])"
)

# Surrounding punctuation to strip. A leading "/" is kept: a blank number keeps its symbol
# ("/KH-SGDĐT"); a trailing one goes with the closing "./.".
_EDGE_PUNCTUATION = " .,;:!?…\"'“”‘’«»()[]{}<>*•·+-–—_"
_TRAILING_PUNCTUATION = _EDGE_PUNCTUATION + "/"


def score_key(text: str) -> str:
    """The CONTRACT §3 comparison form: 'Sở GD&ĐT Khánh Hoà.' → 'sở giáo dục và đào tạo khánh hòa'."""
    folded = nfc(new_tones(nfc(str(text))).casefold())
    stripped = collapse_spaces(folded).lstrip(_EDGE_PUNCTUATION).rstrip(_TRAILING_PUNCTUATION)
    return _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(0)], stripped)


def similar(a: str, b: str) -> float:
    """Token-set similarity of the score keys, in [0, 1]."""
    ka, kb = score_key(a), score_key(b)
    if ka == kb:
        return 1.0
    return fuzz.token_set_ratio(ka, kb) / 100


def closeness(a: str, b: str) -> float:
    """Plain edit similarity of the score keys: breaks ties between equally similar pairs."""
    return fuzz.ratio(score_key(a), score_key(b)) / 100


def number_key(number: str) -> str:
    """A document number for matching: NFC, upper case, no white space."""
    return re.sub(r"\s+", "", nfc(number)).upper()


# ---------------------------------------------------------------- counts and records

@dataclass
class ListCount:
    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0

    def __add__(self, other: ListCount) -> ListCount:
        return ListCount(self.tp + other.tp, self.n_pred + other.n_pred, self.n_gold + other.n_gold)

    @property
    def support(self) -> int:
        return self.n_gold

    def metrics(self) -> dict[str, float | None]:
        return {
            "precision": _ratio(self.tp, self.n_pred),
            "recall": _ratio(self.tp, self.n_gold),
            "f1": _ratio(2 * self.tp, self.n_pred + self.n_gold),
        }


@dataclass
class ScalarCount:
    right: int = 0
    total: int = 0

    def __add__(self, other: ScalarCount) -> ScalarCount:
        return ScalarCount(self.right + other.right, self.total + other.total)

    @property
    def support(self) -> int:
        return self.total

    def metrics(self) -> dict[str, float | None]:
        return {"accuracy": _ratio(self.right, self.total)}


Count = Union[ListCount, ScalarCount]


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


@dataclass(frozen=True)
class ErrorRecord:
    """One miss or false positive: `expected` None is a false positive, `predicted` None a miss."""
    field: str
    expected: Any
    predicted: Any
    context: str = ""


@dataclass
class DocScore:
    counts: dict[str, Count] = field(default_factory=dict)
    errors: list[ErrorRecord] = field(default_factory=list)
    failure: str | None = None


FieldScore = tuple[str, Count, list[ErrorRecord]]


# ---------------------------------------------------------------- scalars

def same_key(pred: Any, gold: Any) -> bool:
    """Exact after normalisation; null equals only null."""
    if pred is None or gold is None:
        return pred is None and gold is None
    return score_key(pred) == score_key(gold)


def is_similar(pred: Any, gold: Any) -> bool:
    """Token-set similarity ≥ SIM; null equals only null."""
    if pred is None or gold is None:
        return pred is None and gold is None
    return similar(str(pred), str(gold)) >= SIM


# field name → (path into the record, comparison)
SCALARS: dict[str, tuple[tuple[str, ...], Callable[[Any, Any], bool]]] = {
    "doc_type": (("doc_type",), same_key),
    "number": (("number",), same_key),
    "issued_date": (("issued_date",), same_key),
    "urgency": (("urgency",), same_key),
    "place": (("place",), is_similar),
    "issuer": (("issuer",), is_similar),
    "parent_issuer": (("parent_issuer",), is_similar),
    "subject": (("subject",), is_similar),
    "signer.name": (("signer", "name"), is_similar),
    "signer.title": (("signer", "title"), is_similar),
}

_MISSING = object()


def lookup(record: Any, path: tuple[str, ...]) -> Any:
    """The value at `path`; _MISSING when a key is absent. A null parent makes every child null."""
    for key in path:
        if record is None:
            return None
        if not isinstance(record, dict) or key not in record:
            return _MISSING
        record = record[key]
    return record


def score_scalar(name: str, pred: dict, gold: dict) -> FieldScore | None:
    path, same = SCALARS[name]
    expected = lookup(gold, path)
    if expected is _MISSING:
        return None
    predicted = lookup(pred, path)
    predicted = None if predicted is _MISSING else predicted
    if same(predicted, expected):
        return name, ScalarCount(1, 1), []
    return name, ScalarCount(0, 1), [ErrorRecord(name, expected, predicted)]


# ---------------------------------------------------------------- one-to-one matching

def greedy_match(candidates: Iterable[tuple[tuple, int, int]]) -> dict[int, int]:
    """Take (sort key, pred index, gold index) candidates best key first; each side once.

    Returns gold index → pred index.
    """
    matched: dict[int, int] = {}
    used: set[int] = set()
    for _, p, g in sorted(candidates):
        if p not in used and g not in matched:
            matched[g] = p
            used.add(p)
    return matched


def max_matching(edges: list[list[int]]) -> dict[int, int]:
    """Maximum bipartite matching by augmenting paths; edges[g] lists g's preds, preferred first.

    Returns gold index → pred index.
    """
    owner: dict[int, int] = {}  # pred → gold

    def augment(g: int, seen: set[int]) -> bool:
        for p in edges[g]:
            if p in seen:
                continue
            seen.add(p)
            if p not in owner or augment(owner[p], seen):
                owner[p] = g
                return True
        return False

    for g in range(len(edges)):
        augment(g, set())
    return {g: p for p, g in owner.items()}


def list_errors(name: str, preds: list, golds: list, matched: dict[int, int],
                show: Callable[[dict], str], ignored: set[int] = frozenset()) -> list[ErrorRecord]:
    """Misses (unmatched gold) and false positives (unmatched, not ignored predictions)."""
    used = set(matched.values())
    missed = [ErrorRecord(name, show(g), None) for j, g in enumerate(golds) if j not in matched]
    spurious = [ErrorRecord(name, None, show(p)) for i, p in enumerate(preds)
                if i not in used and i not in ignored]
    return missed + spurious


def score_pairs(name: str, key: str, same: Callable[[Any, Any], bool],
                pairs: list[tuple[dict, dict]], context: Callable[[dict], str]) -> FieldScore:
    """Accuracy of one attribute over matched (pred, gold) pairs whose gold has `key`."""
    scored = [(p, g) for p, g in pairs if key in g]
    errors = [ErrorRecord(name, g[key], p.get(key), context(g))
              for p, g in scored if not same(p.get(key), g[key])]
    return name, ScalarCount(len(scored) - len(errors), len(scored)), errors


def _items(record: dict, key: str) -> list[dict]:
    return list(record.get(key) or [])


# ---------------------------------------------------------------- recipients

def show_recipient(entry: dict) -> str:
    return f"[{entry.get('role')}] {entry.get('name')}"


def recipient_candidates(preds: list[dict], golds: list[dict]) -> Iterable[tuple[tuple, int, int]]:
    """Same-role pairs at or above SIM, most similar first."""
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            if not same_key(p.get("role"), g.get("role")):
                continue
            pn, gn = str(p.get("name") or ""), str(g.get("name") or "")
            s = similar(pn, gn)
            if s >= SIM:
                yield (-s, -closeness(pn, gn), i, j), i, j


def score_recipients(pred: dict, gold: dict) -> list[FieldScore]:
    preds, golds = _items(pred, "recipients"), _items(gold, "recipients")
    matched = greedy_match(recipient_candidates(preds, golds))
    errors = list_errors("recipients", preds, golds, matched, show_recipient)
    return [("recipients", ListCount(len(matched), len(preds), len(golds)), errors)]


# ---------------------------------------------------------------- references

def show_reference(ref: dict) -> str:
    return ref.get("number") or f"{ref.get('doc_type')} {ref.get('title')}"


def law_similarity(pred: dict, gold: dict) -> float:
    """Title similarity of a law cited by name; the pred's type word may sit in doc_type."""
    title, gold_title = pred.get("title"), gold.get("title")
    if not title or not gold_title:
        return 0.0
    typed = f"{pred.get('doc_type') or ''} {title}"
    return max(similar(title, gold_title), similar(typed, gold_title))


def reference_candidate(pred: dict, gold: dict) -> tuple | None:
    """Sort key of a matching pair (numbers before titles, best first), None if no match."""
    other_date = pred.get("date") != gold.get("date")
    if gold.get("number"):
        same = bool(pred.get("number")) and number_key(pred["number"]) == number_key(gold["number"])
        return (0, -1.0, -1.0, other_date) if same else None
    if not same_key(pred.get("doc_type"), gold.get("doc_type")):
        return None
    s = law_similarity(pred, gold)
    if s < SIM:
        return None
    return (1, -s, -closeness(str(pred.get("title")), str(gold.get("title"))), other_date)


def reference_candidates(preds: list[dict], golds: list[dict]) -> Iterable[tuple[tuple, int, int]]:
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            key = reference_candidate(p, g)
            if key is not None:
                yield (*key, i, j), i, j


def same_string(pred: Any, gold: Any) -> bool:
    return pred == gold


# matched-pair attribute → (gold key, comparison)
REFERENCE_ATTRIBUTES: dict[str, tuple[str, Callable[[Any, Any], bool]]] = {
    "references.date": ("date", same_string),
    "references.issuer": ("issuer", is_similar),
}


def score_references(pred: dict, gold: dict) -> list[FieldScore]:
    preds, golds = _items(pred, "references"), _items(gold, "references")
    matched = greedy_match(reference_candidates(preds, golds))
    errors = list_errors("references", preds, golds, matched, show_reference)
    pairs = [(preds[p], golds[g]) for g, p in sorted(matched.items())]
    results = [("references", ListCount(len(matched), len(preds), len(golds)), errors)]
    for name, (key, same) in REFERENCE_ATTRIBUTES.items():
        results.append(score_pairs(name, key, same, pairs, show_reference))
    return results


# ---------------------------------------------------------------- tasks

def show_task(task: dict) -> str:
    return task.get("anchor") or task.get("text") or ""


def same_deadline(pred: dict | None, gold: dict | None) -> bool:
    """Same date and recurrence; a missing deadline is {date: None, recurrence: None}."""
    p, g = pred or {}, gold or {}
    return (p.get("date"), p.get("recurrence")) == (g.get("date"), g.get("recurrence"))


def task_edges(gold: dict, preds: list[dict], texts: list[str]) -> list[int]:
    """Predictions containing the gold anchor; those that also get the deadline right first."""
    anchor = score_key(gold["anchor"])
    hits = [i for i, text in enumerate(texts) if anchor and anchor in text]

    def rank(i: int) -> tuple[bool, int]:
        agrees = "deadline" not in gold or same_deadline(preds[i].get("deadline"), gold["deadline"])
        return not agrees, i
    return sorted(hits, key=rank)


def ignored_tasks(texts: list[str], golds: list[dict], matched: dict[int, int]) -> set[int]:
    """Unmatched predictions that contain an optional anchor: they count neither way."""
    anchors = [score_key(g["anchor"]) for g in golds if g.get("optional")]
    used = set(matched.values())
    return {i for i, text in enumerate(texts)
            if i not in used and any(a and a in text for a in anchors)}


def score_tasks(pred: dict, gold: dict) -> list[FieldScore]:
    preds, golds = _items(pred, "tasks"), _items(gold, "tasks")
    required = [g for g in golds if not g.get("optional")]
    texts = [score_key(p.get("text") or "") for p in preds]
    matched = max_matching([task_edges(g, preds, texts) for g in required])
    ignored = ignored_tasks(texts, golds, matched)
    count = ListCount(len(matched), len(preds) - len(ignored), len(required))
    errors = list_errors("tasks", preds, required, matched, show_task, ignored)
    pairs = [(preds[p], required[g]) for g, p in sorted(matched.items())]
    return [("tasks", count, errors),
            score_pairs("tasks.deadline", "deadline", same_deadline, pairs, show_task)]


# ---------------------------------------------------------------- one document

LISTS: dict[str, Callable[[dict, dict], list[FieldScore]]] = {
    "recipients": score_recipients,
    "references": score_references,
    "tasks": score_tasks,
}

FIELD_ORDER: tuple[str, ...] = (
    *SCALARS, "recipients", "references", *REFERENCE_ATTRIBUTES, "tasks", "tasks.deadline",
)


def field_scores(pred: dict, gold: dict) -> list[FieldScore]:
    """Every field the gold annotates; a key missing from the gold is not scored."""
    scalars = [score_scalar(name, pred, gold) for name in SCALARS]
    lists = [r for key, scorer in LISTS.items() if key in gold for r in scorer(pred, gold)]
    return [r for r in scalars if r is not None] + lists


def score_document(pred: dict, gold: dict) -> DocScore:
    doc = DocScore()
    for name, count, errors in field_scores(pred or {}, gold):
        doc.counts[name] = count
        doc.errors.extend(errors)
    return doc


# ---------------------------------------------------------------- many documents

METRICS = ("precision", "recall", "f1", "accuracy")


def _field_rank(name: str) -> tuple[int, str]:
    return (FIELD_ORDER.index(name) if name in FIELD_ORDER else len(FIELD_ORDER), name)


@dataclass
class Report:
    counts: dict[str, Count]
    documents: int = 0
    failures: int = 0

    def rows(self) -> list[tuple]:
        """(field, precision, recall, f1, accuracy, support); a metric that does not apply is None."""
        return [(name, *(count.metrics().get(m) for m in METRICS), count.support)
                for name, count in self.counts.items()]

    def to_dict(self) -> dict:
        fields = {name: {**vars(count), **count.metrics()} for name, count in self.counts.items()}
        return {"documents": self.documents, "failures": self.failures, "fields": fields}


def aggregate(doc_scores: dict[str, DocScore]) -> Report:
    """Micro-average: sum each field's counts over the documents."""
    totals: dict[str, Count] = {}
    for score in doc_scores.values():
        for name, count in score.counts.items():
            totals[name] = totals.get(name, type(count)()) + count
    ordered = {name: totals[name] for name in sorted(totals, key=_field_rank)}
    failures = sum(1 for score in doc_scores.values() if score.failure)
    return Report(ordered, documents=len(doc_scores), failures=failures)


# ---------------------------------------------------------------- files

def load_gold(gold_dir: Path | str) -> dict[str, dict]:
    """stem → gold object, for every gold/*.json."""
    paths = sorted(Path(gold_dir).glob("*.json"))
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in paths}


def text_path_for(gold_path: Path | str) -> Path:
    """gold/NNN.json → text/NNN.txt beside the gold directory."""
    gold_path = Path(gold_path)
    return gold_path.parent.parent / "text" / f"{gold_path.stem}.txt"


def _as_dict(pred: Any) -> dict:
    return pred.model_dump(mode="json") if hasattr(pred, "model_dump") else dict(pred or {})


def score_extraction(extract: Callable[[Path], dict], text_path: Path, gold: dict) -> DocScore:
    """Extract and score one document; a failing extractor scores as an empty prediction."""
    try:
        pred, failure = _as_dict(extract(text_path)), None
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
        pred, failure = {}, f"{type(exc).__name__}: {exc}"
    score = score_document(pred, gold)
    if failure:
        score.failure = failure
        score.errors.insert(0, ErrorRecord("extract", None, failure, str(text_path)))
    return score


def read_prediction(path: Path | str) -> dict:
    """A saved record (CONTRACT output, or a gold file scored as a prediction: its task anchors
    stand for the task texts)."""
    record = json.loads(Path(path).read_text(encoding="utf-8"))
    record["tasks"] = [t if "text" in t else {**t, "text": t.get("anchor") or ""}
                       for t in record.get("tasks") or []]
    return record


def saved_predictions(folder: Path | str) -> Callable[[Path], dict]:
    """An `extract` for `evaluate_dir` that reads `folder/<stem>.json` instead of extracting."""
    folder = Path(folder)

    def extract(text_path: Path) -> dict:
        path = folder / f"{Path(text_path).stem}.json"
        if not path.is_file():
            raise FileNotFoundError(f"no prediction {path}")
        return read_prediction(path)
    return extract


def evaluate_dir(gold_dir: Path | str,
                 extract: Callable[[Path], dict]) -> tuple[Report, dict[str, DocScore]]:
    gold_dir = Path(gold_dir)
    scores = {stem: score_extraction(extract, text_path_for(gold_dir / f"{stem}.json"), gold)
              for stem, gold in load_gold(gold_dir).items()}
    return aggregate(scores), scores


# ---------------------------------------------------------------- printing

def _cell(value: Any) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def render_report(report: Report, console: Console) -> None:
    table = Table(title=f"{report.documents} documents, {report.failures} failed")
    table.add_column("field")
    for header in ("P", "R", "F1", "accuracy", "support"):
        table.add_column(header, justify="right")
    for row in report.rows():
        table.add_row(*(_cell(v) for v in row))
    console.print(table)


def render_errors(doc_scores: dict[str, DocScore], console: Console) -> None:
    table = Table(title="errors")
    for header in ("document", "field", "expected", "predicted", "context"):
        table.add_column(header, overflow="fold")
    for stem, score in doc_scores.items():
        for e in score.errors:
            table.add_row(stem, e.field, _cell(e.expected), _cell(e.predicted), e.context)
    console.print(table)
