"""Vietnamese words for spaCy: underthesea's segmentation with exact offsets, and a rule EntityRuler.

- `word_spans(text)`: underthesea's words as `(start, end)` offsets into `text` itself. underthesea
  rewrites characters (NFC, old tone marks, 'ð'); its syllables are aligned back one by one, and
  every non-space character ends up in exactly one span, whatever the input.
- `pos_tags(text)`: underthesea's part-of-speech tags, for short texts.
- `make_doc(text)`: a spaCy `Doc` of those words whose `doc.text == text`; each token's NORM is
  its match key (NFC, new-style tones, lower case, spaces collapsed).
- `nlp()`: `spacy.blank("xx")` with that tokenizer and an `entity_ruler` loaded from
  `extractors/rules/patterns.jsonl` (built by `extractors.rules.build_patterns`).
- `annotate(text)`: `nlp()(text)`, the ruler's labels in `doc.ents`.

underthesea and spaCy are loaded on first use, once. Text is segmented line by line: it is the
fastest split measured, and no word then runs across a line break.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from extractors.rules import RULES_DIR, RuleFileError
from pipeline.vntext import new_tones

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

PATTERNS_PATH = RULES_DIR / "patterns.jsonl"
PATTERN_KEYS = {"label", "pattern", "id", "examples"}
RULER_FACTORY = "congvan_entity_ruler"
MAX_VARIANT_SYLLABLES = 6  # a phrase of n syllables is written 3**(n-1) ways (groupings, breaks)
LINE_BREAK = "\n"  # the NORM of white space inside a paragraph (a wrapped line, a double space)
_LINE = re.compile(r"[^\n]+")
_SPACES = re.compile(r"\s+")
_NONSPACE = re.compile(r"\S+")


# ---------------------------------------------------------------- underthesea, lazily

@cache
def _underthesea():
    from underthesea import word_tokenize
    from underthesea.pipeline.word_tokenize import regex_tokenize
    return word_tokenize, regex_tokenize


def pos_tags(text: str) -> list[tuple[str, str]]:
    """underthesea.pos_tag: [(word, tag)], for short texts (≈ 400 sentences/s)."""
    if not text.strip():
        return []
    from underthesea import pos_tag
    return [tuple(pair) for pair in pos_tag(text)]


# ---------------------------------------------------------------- word spans

def word_spans(text: str) -> list[tuple[int, int]]:
    """underthesea's words as exact, ordered, non-overlapping offsets covering every non-space char."""
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        if not line.group().isspace():
            spans.extend(_line_spans(line.group(), line.start()))
    return _cover(text, spans)


def _line_spans(chunk: str, base: int) -> list[tuple[int, int]]:
    norm, back = _nfc_map(chunk)
    word_tokenize, _ = _underthesea()
    try:
        words = word_tokenize(norm)
    except Exception:  # underthesea never should; `_cover` then splits the line at spaces
        return []
    spans, pos = [], 0
    for word in words:
        first = last = None
        for syllable in word.split(" "):
            pos = _skip_space(norm, pos)
            end = _syllable_end(norm, pos, syllable) if syllable else pos
            if end > pos:
                first = pos if first is None else first
                last, pos = end, end
        if first is not None:
            start, stop = (first, last) if back is None else (back[first][0], back[last - 1][1])
            spans.append((base + start, base + stop))
    return spans


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _syllable_end(norm: str, pos: int, syllable: str) -> int:
    """Where the syllable underthesea printed ends in `norm`, even if it rewrote the characters."""
    if norm.startswith(syllable, pos):
        return pos + len(syllable)
    match = _underthesea()[1].patterns.match(norm, pos)  # the raw token it normalised
    if match and match.end() > pos and not any(c.isspace() for c in match.group()):
        return match.end()
    run = _NONSPACE.match(norm, pos)
    return run.end() if run else pos


def _nfc_map(chunk: str) -> tuple[str, list[tuple[int, int]] | None]:
    """NFC text and, unless nothing changed, each of its chars' [start, end) in `chunk`."""
    if unicodedata.is_normalized("NFC", chunk):
        return chunk, None
    out, back, start = [], [], 0
    for i in range(1, len(chunk) + 1):
        if i == len(chunk) or not unicodedata.combining(chunk[i]):
            composed = unicodedata.normalize("NFC", chunk[start:i])
            out.append(composed)
            back.extend([(start, i)] * len(composed))
            start = i
    return "".join(out), back


def _cover(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans trimmed of outer space, in order, not overlapping; uncovered runs of non-space added."""
    out: list[tuple[int, int]] = []
    pos = 0
    for start, end in spans + [(len(text), len(text))]:
        start = max(start, pos)
        out.extend(_runs(text, pos, start))
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
            pos = end
        else:
            pos = max(pos, start)
    return out


def _runs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [m.span() for m in _NONSPACE.finditer(text, start, end)] if end > start else []


# ---------------------------------------------------------------- spaCy Doc

@cache
def _vocab():
    import spacy
    return spacy.blank("xx").vocab


def match_key(text: str) -> str:
    """The NORM of a word: NFC, new-style tones, lower case, runs of space as one space."""
    return _SPACES.sub(" ", new_tones(unicodedata.normalize("NFC", text)).lower())


def make_doc(text: str) -> "Doc":
    """A Doc of underthesea's words; the white space between them is kept, so doc.text == text.

    NORM is `match_key` for words, LINE_BREAK for white space within a paragraph.
    """
    doc = doc_from_spans(text, word_spans(text))
    for token in doc:
        key = (LINE_BREAK if token.text.count("\n") <= 1 else token.text) if token.is_space \
            else match_key(token.text)
        if key != token.norm_:
            token.norm_ = key
    return doc


def doc_from_spans(text: str, spans: list[tuple[int, int]]) -> "Doc":
    """A Doc whose words are text[start:end] for the given ordered, disjoint, non-space spans.

    The white space between words is kept (one space as spaCy's flag, any other as a token of
    its own), so doc.text == text and every span is a token-aligned `doc.char_span`.
    """
    from spacy.tokens import Doc
    words, spaces = _words_and_spaces(text, spans)
    return Doc(_vocab(), words=words, spaces=spaces)


def _words_and_spaces(text: str, spans: list[tuple[int, int]]) -> tuple[list[str], list[bool]]:
    """Words and spaCy's one-space flags; any other white space becomes a token of its own."""
    if not spans:
        return ([text], [False]) if text else ([], [])
    words, spaces = ([text[: spans[0][0]]], [False]) if spans[0][0] else ([], [])
    for i, (start, end) in enumerate(spans):
        gap = text[end: spans[i + 1][0] if i + 1 < len(spans) else len(text)]
        space = gap[:1] == " "
        words.append(text[start:end])
        spaces.append(space)
        if gap[space:]:
            words.append(gap[space:])
            spaces.append(False)
    return words, spaces


class _Tokenizer:
    """spaCy's tokenizer slot: text -> make_doc(text)."""

    def __call__(self, text: str) -> "Doc":
        return make_doc(text)

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield make_doc(text)


# ---------------------------------------------------------------- patterns

def load_patterns(path: Path = PATTERNS_PATH) -> list[dict]:
    """The ruler's patterns, validated: keys label and pattern, optional id and examples only."""
    patterns = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            patterns.append(_check_pattern(line, f"{path.name}:{number}"))
    return patterns


def _check_pattern(line: str, where: str) -> dict:
    try:
        entry = json.loads(line)
    except json.JSONDecodeError as err:
        raise RuleFileError(f"{where}: not JSON ({err})") from None
    if not isinstance(entry, dict):
        raise RuleFileError(f"{where}: a pattern must be a JSON object")
    unknown, missing = set(entry) - PATTERN_KEYS, {"label", "pattern"} - set(entry)
    if unknown or missing:
        raise RuleFileError(f"{where}: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")
    if not isinstance(entry["label"], str) or not entry["label"]:
        raise RuleFileError(f"{where}: label must be a non-empty string")
    if not (isinstance(entry["pattern"], str) and entry["pattern"].strip()):
        raise RuleFileError(f"{where}: pattern must be a non-empty phrase string")
    if not isinstance(entry.get("id", ""), str):
        raise RuleFileError(f"{where}: id must be a string")
    examples = entry.get("examples", [])
    if not (isinstance(examples, list) and all(isinstance(e, str) for e in examples)):
        raise RuleFileError(f"{where}: examples must be a list of strings")
    return entry


def variants(phrase: str) -> list[list[str]]:
    """Every NORM sequence the phrase can take in a Doc: each grouping of its syllables into
    words, with or without a LINE_BREAK between two words.

    underthesea may segment a phrase in a sentence otherwise than alone ('Ủy ban nhân dân' is
    one word in context, two alone), and a wrapped line puts a line break between its words.
    """
    syllables = match_key(phrase).split()
    if not syllables or len(syllables) > MAX_VARIANT_SYLLABLES:
        return []  # left to the phrase pattern
    out: list[list[str]] = [[syllables[0]]]
    for syllable in syllables[1:]:
        grown = []
        for seq in out:
            grown.append(seq[:-1] + [f"{seq[-1]} {syllable}"])  # same word
            grown.append(seq + [syllable])  # next word
            grown.append(seq + [LINE_BREAK, syllable])  # next word, next line
        out = grown
    return out


# ---------------------------------------------------------------- the ruler

def _ruler_factory() -> str:
    """Register, once, an EntityRuler that also matches each phrase's `variants` (on NORM)."""
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher
    from spacy.pipeline import EntityRuler
    from spacy.tokens import Doc

    if Language.has_factory(RULER_FACTORY):
        return RULER_FACTORY

    class VariantEntityRuler(EntityRuler):
        """EntityRuler whose phrases also match when segmented or wrapped otherwise than alone."""

        def __init__(self, nlp, name, **config):
            super().__init__(nlp, name, **config)
            self.variant_matcher = PhraseMatcher(nlp.vocab, attr="NORM")

        def add_variants(self, patterns: list[dict]) -> None:
            for entry in patterns:
                key = self._create_label(entry["label"], entry.get("id"))
                if "id" in entry:  # as add_patterns does: the match key names label and id
                    self._ent_ids[self.nlp.vocab.strings.add(key)] = (entry["label"], entry["id"])
                docs = [_norm_doc(Doc, self.nlp.vocab, seq) for seq in variants(entry["pattern"])]
                self.variant_matcher.add(key, docs)

        def match(self, doc):
            found = set(super().match(doc))
            found.update((m, s, e) for m, s, e in self.variant_matcher(doc) if e > s)
            return sorted(found, key=lambda m: (m[2] - m[1], -m[1]), reverse=True)

    def make(nlp, name, phrase_matcher_attr, validate: bool, overwrite_ents: bool):
        return VariantEntityRuler(nlp, name, phrase_matcher_attr=phrase_matcher_attr,
                                  validate=validate, overwrite_ents=overwrite_ents)

    Language.factory(RULER_FACTORY, default_config={
        "phrase_matcher_attr": None, "validate": False, "overwrite_ents": False}, func=make)
    return RULER_FACTORY


def _norm_doc(doc_class, vocab, norms: list[str]):
    doc = doc_class(vocab, words=norms, spaces=[False] * len(norms))
    for token, norm in zip(doc, norms):
        token.norm_ = norm
    return doc


def build_nlp(patterns: list[dict] | None = None, with_variants: bool = True) -> "Language":
    """A fresh pipeline: the underthesea tokenizer and an entity_ruler over `patterns`.

    The phrase patterns match on LOWER as underthesea segments them alone; `with_variants`
    adds their other segmentations and wrapped forms (see `variants`).
    """
    import spacy
    patterns = load_patterns() if patterns is None else patterns
    lang = spacy.blank("xx", vocab=_vocab())
    lang.tokenizer = _Tokenizer()
    ruler = lang.add_pipe(_ruler_factory(), name="entity_ruler",
                          config={"phrase_matcher_attr": "LOWER", "validate": True})
    ruler.add_patterns([{k: p[k] for k in ("label", "pattern", "id") if k in p} for p in patterns])
    if with_variants:
        ruler.add_variants(patterns)
    return lang


@cache
def nlp() -> "Language":
    """The shared pipeline (built once)."""
    return build_nlp()


def annotate(text: str) -> "Doc":
    """The Doc of `text`, the ruler's labels (ACTION, DIRECTIVE, DEADLINE_CUE, RECURRENCE, ORG) in doc.ents."""
    return nlp()(text)


# ---------------------------------------------------------------- what extractors ask of a text

@dataclass(frozen=True)
class Words:
    """The annotated words of `text[offset:]` (one document part, usually the body).

    Extractors ask it by document offsets; they never see spaCy or underthesea.
    """
    doc: "Doc"
    offset: int

    def entities(self, start: int, end: int, labels: tuple[str, ...]) -> list[tuple[str, int, int, str]]:
        """(label, start, end, text) of the ruler's matches inside [start, end), in order."""
        lo, hi = start - self.offset, end - self.offset
        return [(e.label_, e.start_char + self.offset, e.end_char + self.offset, e.text)
                for e in self.doc.ents if e.label_ in labels and e.start_char >= lo and e.end_char <= hi]

    def first_verb(self, start: int, end: int, max_words: int = 15) -> str | None:
        """The first word underthesea tags as a verb among the span's first words."""
        lo, hi = start - self.offset, end - self.offset
        words = [t.text for t in self.doc if t.idx >= lo and t.idx + len(t.text) <= hi and not t.is_space]
        head = " ".join(words[:max_words])
        return next((w for w, tag in pos_tags(head) if tag == "V"), None)


def words_of(text: str, start: int, end: int) -> Words:
    """Annotate text[start:end] once; ask it by offsets into `text`."""
    return Words(annotate(text[start:end]), start)
