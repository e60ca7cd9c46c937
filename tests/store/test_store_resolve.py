"""Group addressees → registry units: the rule file proves its examples, then real addressee phrases
resolve against the sample registry (Khánh Hòa province, huyện Diên Khánh)."""
from __future__ import annotations

import csv
import json
from dataclasses import replace

import pytest

from pipeline.resolve import (
    RULES_PATH,
    RecipientRulesError,
    Registry,
    RegistryUnit,
    find_groups,
    issuer_context,
    load_rules,
    resolve,
)
from storekit import REGISTRY_CSV, case

RULES = load_rules()


def _registry() -> Registry:
    with open(REGISTRY_CSV, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return Registry(tuple(RegistryUnit(i, r["code"], r["name"], r["kind"], r["level"] or None, r["district"] or None,
                                       r["province"] or None, r["parent_code"] or None)
                          for i, r in enumerate(rows, start=1)))


REGISTRY = _registry()
CODES = {u.id: u.code for u in REGISTRY.units}
DK_SCHOOLS = {u.code for u in REGISTRY.units if u.district == "Diên Khánh" and u.parent_code == "PGDDT-DK"}
PHONG = {u.code for u in REGISTRY.units if u.kind == "phong_gddt"}
TRUC_THUOC_SO = {u.code for u in REGISTRY.units if u.parent_code == "SGDDT-KH"}


def level_codes(*levels: str) -> set[str]:
    return {u.code for u in REGISTRY.units if u.code in DK_SCHOOLS and u.level in levels}


EXAMPLES = [(r.id, text) for r in RULES.rules for text in r.examples]
COUNTER_EXAMPLES = [(r.id, text) for r in RULES.rules for text in r.counter_examples]


@pytest.mark.parametrize("rule_id, text", [case(f"{r}: {t}", r, t) for r, t in EXAMPLES])
def test_every_rule_matches_its_examples(rule_id, text):
    assert rule_id in [g.rule.id for g in find_groups(text)]


@pytest.mark.parametrize("rule_id, text", [case(f"{r}: {t}", r, t) for r, t in COUNTER_EXAMPLES])
def test_no_rule_matches_its_counter_examples(rule_id, text):
    assert rule_id not in [g.rule.id for g in find_groups(text)]


def test_every_rule_has_examples():
    assert all(r.examples for r in RULES.rules)


def test_unknown_keys_in_the_rule_file_are_refused(tmp_path):
    data = json.loads(RULES_PATH.read_text(encoding="utf-8"))
    data["rules"][0]["phrase"] = ["typo for phrases"]
    bad = tmp_path / "rules.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(RecipientRulesError, match="unknown keys"):
        load_rules(bad)


# (issuer, parent issuer, place) of the dispatches the phrases come from
S01 = (None, None, None)                                      # body only: no header at all
S02 = (None, None, "Khánh Hòa")                               # Sở GD&ĐT Khánh Hòa, name block lost
DIEN_KHANH = ("Phòng Giáo dục và Đào tạo", "UBND huyện Diên Khánh", "Diên Khánh")
SO_KH = ("Sở Giáo dục và Đào tạo", "UBND tỉnh Khánh Hòa", "Khánh Hòa")
HA_NOI = ("Sở Giáo dục và Đào tạo", "UBND thành phố Hà Nội", "Hà Nội")
BO = ("Bộ Giáo dục và Đào tạo", None, "Hà Nội")

RESOLVE_CASES = [
    case("s01-schools-by-level-in-the-only-district", S01,
         "Hiệu trưởng các trường Mầm non, Tiểu học, THCS trên địa bàn huyện", level_codes("Mầm non", "Tiểu học", "THCS")),
    case("district-issuer-names-its-district", DIEN_KHANH,
         "Hiệu trưởng các trường Tiểu học, THCS trên địa bàn huyện", level_codes("Tiểu học", "THCS")),
    case("one-level-no-scope-words", DIEN_KHANH, "Hiệu trưởng các trường mầm non", level_codes("Mầm non")),
    case("s02-phong-of-the-province", S02, "Các phòng giáo dục và đào tạo", PHONG),
    case("s02-units-under-the-so", S02, "Các đơn vị trực thuộc Sở", TRUC_THUOC_SO),
    case("abbreviated-phong", SO_KH, "Các Phòng GD&ĐT", PHONG),
    case("two-groups-in-one-assignee", S02, "các phòng giáo dục và đào tạo, các đơn vị trực thuộc", PHONG | TRUC_THUOC_SO),
    case("thpt-of-the-province", SO_KH, "Các trường THPT", {c for c in TRUC_THUOC_SO if c.startswith("KH-THPT")}),
    case("named-school", DIEN_KHANH, "Trường THCS Nguyễn Trãi", {"DK-THCS-NGUYENTRAI"}),
    case("named-without-truong", SO_KH, "THPT Nguyễn Trãi", {"KH-THPT-NTR"}),
    case("named-phong-abbreviated", SO_KH, "Phòng GD&ĐT huyện Diên Khánh", {"PGDDT-DK"}),
    case("ministry-to-all-so", BO, "Các Sở Giáo dục và Đào tạo", {"SGDDT-KH"}),
    case("other-province-resolves-to-nothing", HA_NOI, "Các đơn vị, cơ sở giáo dục trực thuộc", set()),
    case("other-province-named-school-not-ours", HA_NOI, "Trường THPT Nguyễn Trãi", set()),
    case("not-a-group", SO_KH, "UBND tỉnh", set()),
    case("internal-departments-are-not-phong-gddt", SO_KH, "Các phòng thuộc Sở", set()),
]


@pytest.mark.parametrize("issuer, phrase, expected", RESOLVE_CASES)
def test_resolve(issuer, phrase, expected):
    ctx = issuer_context(*issuer, REGISTRY)
    assert {CODES[i] for i in resolve(phrase, ctx, REGISTRY).units} == expected


ADDRESSED = frozenset(u.id for u in REGISTRY.units if u.code in level_codes("Tiểu học", "THCS") | {"PGDDT-DK"})

ANAPHORA_CASES = [
    case("cac-truong-means-the-schools-addressed", "các trường", level_codes("Tiểu học", "THCS")),
    case("nha-truong", "nhà trường", level_codes("Tiểu học", "THCS")),
    case("cac-don-vi-means-every-unit-addressed", "Thủ trưởng các đơn vị, trường học",
         level_codes("Tiểu học", "THCS") | {"PGDDT-DK"}),
]


@pytest.mark.parametrize("phrase, expected", ANAPHORA_CASES)
def test_body_groups_refer_to_the_addressees(phrase, expected):
    ctx = replace(issuer_context(*DIEN_KHANH, REGISTRY), addressees=ADDRESSED)
    assert {CODES[i] for i in resolve(phrase, ctx, REGISTRY).units} == expected


@pytest.mark.parametrize("issuer, expected", [
    case("district-from-parent-issuer", DIEN_KHANH, ("Diên Khánh", "Khánh Hòa", "district", False)),
    case("province-from-place", S02, (None, "Khánh Hòa", None, False)),
    case("nothing-known", S01, (None, None, None, False)),
    case("outside-the-registry", HA_NOI, (None, None, "province", True)),
])
def test_issuer_context(issuer, expected):
    ctx = issuer_context(*issuer, REGISTRY)
    assert (ctx.district, ctx.province, ctx.issuer_level, ctx.foreign) == expected


def test_an_unresolvable_group_says_why():
    ctx = issuer_context(*HA_NOI, REGISTRY)
    result = resolve("Các trường THPT", ctx, REGISTRY)
    assert not result.units and "which province" in result.note
