"""Group addressees → registry units, by the rules in `pipeline/store/recipient_groups.json`.

`resolve(phrase, context, registry)` is a pure function: the registry and the dispatch's context
(its issuer's district and province, the units its Kính gửi lines resolved to) are passed in.
Finding the phrases a text holds (`find_groups`) is separate from choosing units (`select`).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Iterable, Optional

from pipeline.store.keys import search_key

RULES_PATH = Path(__file__).parent / "store" / "recipient_groups.json"
FILE_KEYS = {"description", "abbreviations", "levels", "scopes", "issuer_levels", "place_words", "rules"}
RULE_KEYS = {"id", "description", "phrases", "unit_kinds", "levels", "requires_any", "scope",
             "default_scope", "parent", "examples", "counter_examples"}
SCOPES = {"all", "province", "district", "issuer_area", "children", "addressees", "from_text"}


class RecipientRulesError(ValueError):
    pass


# ------------------------------------------------------------------ the registry, as resolve sees it

@dataclass(frozen=True)
class RegistryUnit:
    id: int
    code: str
    name: str
    kind: str
    level: Optional[str] = None
    district: Optional[str] = None
    province: Optional[str] = None
    parent_code: Optional[str] = None


@dataclass(frozen=True)
class Registry:
    units: tuple[RegistryUnit, ...]

    def places(self, attr: str) -> list[str]:
        return sorted({getattr(u, attr) for u in self.units if getattr(u, attr)}, key=len, reverse=True)

    def province_of(self, district: str) -> Optional[str]:
        return next((u.province for u in self.units if u.district == district and u.province), None)

    def by_code(self, code: str) -> Optional[RegistryUnit]:
        return next((u for u in self.units if u.code == code), None)


@dataclass(frozen=True)
class Context:
    """What the dispatch says of where it comes from."""
    district: Optional[str] = None
    province: Optional[str] = None
    issuer_level: Optional[str] = None     # "district" | "province"
    foreign: bool = False                  # it names a place the registry does not hold
    addressees: frozenset[int] = frozenset()


# ------------------------------------------------------------------ the rules

@dataclass(frozen=True)
class Rule:
    id: str
    phrases: tuple[str, ...]               # search keys, stripped
    unit_kinds: tuple[str, ...] = ()       # empty: any kind
    levels: object = None                  # None (any) | "from_text" | tuple of levels
    requires_any: tuple[str, ...] = ()
    scope: str = "issuer_area"
    default_scope: str = "issuer_area"
    parent: Optional[str] = None
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()


class Abbreviations:
    """Abbreviations written out on search keys: ' phong gd dt ' → ' phong giao duc va dao tao '."""

    def __init__(self, table: dict[str, str]):
        pairs = sorted(((search_key(a).strip(), search_key(f).strip()) for a, f in table.items()),
                       key=lambda p: len(p[0]), reverse=True)
        self._full = dict(pairs)
        self._pattern = re.compile(r"(?<= )(?:" + "|".join(re.escape(a) for a, _ in pairs) + r")(?= )") \
            if pairs else None
        self._memo: dict[str | None, str] = {}

    def key(self, text: str | None) -> str:
        key = self._memo.get(text)
        if key is None:
            key = search_key(text)
            if self._pattern:
                key = self._pattern.sub(lambda m: self._full[m.group(0)], key)
            if len(self._memo) < 50_000:
                self._memo[text] = key
        return key

    def keys(self, words: Iterable[str]) -> tuple[str, ...]:
        """Phrases as stripped keys, longest first."""
        return tuple(sorted({self.key(w).strip() for w in words}, key=len, reverse=True))


@dataclass(frozen=True)
class Rules:
    rules: tuple[Rule, ...]
    abbreviations: Abbreviations
    levels: dict[str, tuple[str, ...]]
    scopes: dict[str, tuple[str, ...]]
    issuer_levels: dict[str, tuple[str, ...]]
    place_words: tuple[str, ...]

    def key(self, text: str | None) -> str:
        return self.abbreviations.key(text)


def _rule(entry: dict, abbr: Abbreviations) -> Rule:
    unknown = set(entry) - RULE_KEYS
    if unknown:
        raise RecipientRulesError(f"rule {entry.get('id')!r}: unknown keys {sorted(unknown)}")
    for key in ("scope", "default_scope"):
        if entry.get(key, "issuer_area") not in SCOPES:
            raise RecipientRulesError(f"rule {entry['id']!r}: unknown {key} {entry[key]!r}")
    levels = entry.get("levels")
    return Rule(
        id=entry["id"], phrases=abbr.keys(entry["phrases"]), unit_kinds=tuple(entry.get("unit_kinds", ())),
        levels=levels if levels in (None, "from_text") else tuple(levels),
        requires_any=tuple(entry.get("requires_any", ())), scope=entry.get("scope", "issuer_area"),
        default_scope=entry.get("default_scope", "issuer_area"), parent=entry.get("parent"),
        examples=tuple(entry.get("examples", ())), counter_examples=tuple(entry.get("counter_examples", ())))


@cache
def load_rules(path: Path = RULES_PATH) -> Rules:
    data = json.loads(path.read_text(encoding="utf-8"))
    unknown = set(data) - FILE_KEYS
    if unknown:
        raise RecipientRulesError(f"{path.name}: unknown keys {sorted(unknown)}")
    abbr = Abbreviations(data.get("abbreviations", {}))
    return Rules(
        rules=tuple(_rule(e, abbr) for e in data["rules"]), abbreviations=abbr,
        levels={level: abbr.keys(words) for level, words in data["levels"].items()},
        scopes={scope: abbr.keys(words) for scope, words in data["scopes"].items()},
        issuer_levels={level: abbr.keys(words) for level, words in data["issuer_levels"].items()},
        place_words=abbr.keys(data["place_words"]))


# ------------------------------------------------------------------ finding groups in a phrase

def _find(key: str, phrase: str) -> Iterable[tuple[int, int]]:
    """Word-bounded occurrences of `phrase` in a search key (both in search_key form)."""
    for m in re.finditer(re.escape(f" {phrase} "), key):
        yield m.start() + 1, m.end() - 1


def _has_any(key: str, phrases: Iterable[str]) -> bool:
    return any(f" {p} " in key for p in phrases)


def _overlaps(span: tuple[int, int], claimed: list[tuple[int, int]]) -> bool:
    """The overlap policy: a span that shares a character with a claimed one is dropped."""
    return any(span[0] < end and start < span[1] for start, end in claimed)


@dataclass(frozen=True)
class Group:
    rule: Rule
    words: str                      # the words that matched
    levels: Optional[tuple[str, ...]]
    scope: str


def find_groups(text: str, rules: Rules | None = None,
                claimed: Iterable[tuple[int, int]] = ()) -> list[Group]:
    """The groups a phrase names, rule by rule in priority order, longest phrase first; words
    already `claimed` (a unit named in full) are not matched again."""
    rules = rules or load_rules()
    key = rules.key(text)
    text_levels = tuple(level for level, words in rules.levels.items() if _has_any(key, words))
    text_scope = next((scope for scope, words in rules.scopes.items() if _has_any(key, words)), None)
    claimed = list(claimed)
    groups = []
    for rule in rules.rules:
        needs = {"level": bool(text_levels), "scope": text_scope is not None}
        if rule.requires_any and not any(needs[r] for r in rule.requires_any):
            continue
        for phrase in rule.phrases:
            for span in _find(key, phrase):
                if _overlaps(span, claimed):
                    continue
                claimed.append(span)
                levels = (text_levels or None) if rule.levels == "from_text" else rule.levels
                scope = (text_scope or rule.default_scope) if rule.scope == "from_text" else rule.scope
                groups.append(Group(rule, key[span[0]:span[1]], levels, scope))
    return groups


# ------------------------------------------------------------------ the dispatch's context

def issuer_context(issuer: Optional[str], parent_issuer: Optional[str], place: Optional[str],
                   registry: Registry, rules: Rules | None = None) -> Context:
    """Where the issuer sits, read from its name lines and the place of issue."""
    rules = rules or load_rules()
    names = [rules.key(t) for t in (issuer, parent_issuer) if t]
    keys = names + ([rules.key(place)] if place else [])
    district = next((d for k in keys for d in registry.places("district") if rules.key(d) in k), None)
    province = next((p for k in keys for p in registry.places("province") if rules.key(p) in k), None)
    if district and not province:
        province = registry.province_of(district)
    level = next((lvl for k in names for lvl, words in rules.issuer_levels.items() if _has_any(k, words)), None)
    names_a_place = bool(place) or any(_has_any(k, rules.place_words) for k in keys)
    return Context(district=district, province=province, issuer_level=level,
                   foreign=names_a_place and not (district or province))


# ------------------------------------------------------------------ choosing units

@dataclass(frozen=True)
class Resolution:
    units: frozenset[int] = frozenset()
    rules: tuple[str, ...] = ()
    note: Optional[str] = None

    def __or__(self, other: Resolution) -> Resolution:
        notes = "; ".join(n for n in (self.note, other.note) if n) or None
        return Resolution(self.units | other.units, self.rules + other.rules, notes)


def _candidates(group: Group, registry: Registry) -> list[RegistryUnit]:
    kinds, levels = group.rule.unit_kinds, group.levels
    return [u for u in registry.units
            if (not kinds or u.kind in kinds) and (not levels or u.level in levels)]


def _only(values: set) -> Optional[str]:
    values.discard(None)
    return next(iter(values)) if len(values) == 1 else None


def _area(scope: str, candidates: list[RegistryUnit], ctx: Context) -> tuple[Optional[str], Optional[str]]:
    """(attribute, value) of the area a scope names, with the single-area fallback."""
    if scope == "issuer_area":
        scope = "district" if ctx.issuer_level == "district" or (ctx.issuer_level is None and ctx.district) \
            else "province"
    if scope == "district":
        pool = [u for u in candidates if not ctx.province or u.province == ctx.province]
        value = ctx.district or (None if ctx.foreign else _only({u.district for u in pool}))
        return "district", value
    value = ctx.province or (None if ctx.foreign else _only({u.province for u in candidates}))
    return "province", value


def _parent(group: Group, registry: Registry, ctx: Context) -> Optional[RegistryUnit]:
    kind = group.rule.parent
    if kind == "issuer":
        kind = "phong_gddt" if ctx.issuer_level == "district" and ctx.district else "so_gddt"
    attr, value = ("district", ctx.district) if kind == "phong_gddt" else ("province", ctx.province)
    parents = [u for u in registry.units if u.kind == kind]
    if value:
        parents = [u for u in parents if getattr(u, attr) == value]
    elif ctx.foreign:
        return None
    return parents[0] if len(parents) == 1 else None


def select(group: Group, registry: Registry, ctx: Context) -> Resolution:
    """The registry units one group names."""
    candidates = _candidates(group, registry)
    rule_id = group.rule.id
    if group.scope == "all":
        chosen = candidates
    elif group.scope == "addressees":
        chosen = [u for u in candidates if u.id in ctx.addressees]
    elif group.scope == "children":
        parent = _parent(group, registry, ctx)
        if parent is None:
            return Resolution(rules=(rule_id,), note=f"{group.words!r}: which Sở or Phòng is the issuer?")
        chosen = [u for u in candidates if u.parent_code == parent.code]
    else:
        attr, value = _area(group.scope, candidates, ctx)
        if value is None:
            return Resolution(rules=(rule_id,), note=f"{group.words!r}: which {attr}?")
        chosen = [u for u in candidates if getattr(u, attr) == value]
    return Resolution(frozenset(u.id for u in chosen), (rule_id,))


def named_units(text: str, registry: Registry, ctx: Context,
                rules: Rules | None = None) -> tuple[frozenset[int], list[tuple[int, int]]]:
    """Units named in full ('Trường THCS Nguyễn Trãi', 'Phòng GD&ĐT huyện Diên Khánh'), and where."""
    rules = rules or load_rules()
    if ctx.foreign:
        return frozenset(), []
    key = rules.key(text)
    found, spans = set(), []
    for unit in registry.units:
        if ctx.province and unit.province and unit.province != ctx.province:
            continue
        name = rules.key(unit.name).strip()
        short = name[len("truong "):] if name.startswith("truong ") else None
        for phrase in filter(None, (name, short)):
            hits = list(_find(key, phrase))
            if hits:
                found.add(unit.id)
                spans.extend(hits)
                break
    return frozenset(found), spans


def resolve(text: str, ctx: Context, registry: Registry, rules: Rules | None = None) -> Resolution:
    """The registry units an addressee phrase names: units named in full, then group rules."""
    rules = rules or load_rules()
    named, spans = named_units(text, registry, ctx, rules)
    result = Resolution(named, ("named",) if named else ())
    for group in find_groups(text, rules, claimed=spans):
        result = result | select(group, registry, ctx)
    if not result.rules:
        return Resolution(note="no rule or registry name matches")
    return result


__all__ = ["Context", "Registry", "RegistryUnit", "Resolution", "Rules", "find_groups", "issuer_context",
           "load_rules", "resolve", "select"]
