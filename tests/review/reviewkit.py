"""Helpers for the review tests: the samples extracted once, stored at a chosen gate threshold."""
from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

import pytest

import schemas
from pipeline.store import repository as repo
from pipeline.store.db import Store

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
REGISTRY_CSV = SAMPLES / "registry" / "khanh-hoa.csv"
NAMES = {"044": "044_kh-58-kh-thptcl2-2026-sinh-hoat-chuyen-mon-lich-su-cum-2.txt",
         "046": "046_kh-sgddt-dong-thap-2026-don-tiep-doan-kiem-tra-stem.txt",
         "048": "048_cv-5095-sgddt-cttthssv-2025-ha-noi-o-nhiem-khong-khi.txt",
         "s01": "s01_phong-gddt-antq-truong-hoc.txt",
         "s02": "s02_sgddt-khanh-hoa-mo-hinh-tu-quan.txt"}
NOW = "2026-11-23T08:00:00+07:00"
NEVER = 2.0   # a threshold no confidence reaches: every dispatch waits for review


def case(name: str, *values, **kwargs):
    return pytest.param(*values, id=name, **kwargs)


@cache
def extracted(name: str) -> tuple[str, schemas.Dispatch]:
    """(text, record) of one sample, extracted once per session (`pipeline.extract.extract_text`)."""
    from pipeline.extract import extract_text

    path = SAMPLES / NAMES[name]
    text = path.read_text(encoding="utf-8")
    return text, extract_text(text, schemas.Source(path=str(path), media_type="text/plain"))


def load(store: Store, thresholds: dict[str, float] | float, names=tuple(NAMES)) -> dict[str, int]:
    """The registry and the samples, each stored through the gate at its threshold; name → dispatch id."""
    if not isinstance(thresholds, dict):
        thresholds = {name: thresholds for name in names}
    ids = {}
    with store.session() as session:
        repo.upsert_units(session, repo.read_registry_csv(REGISTRY_CSV))
        for name in names:
            text, record = extracted(name)
            row = repo.store_dispatch(session, record, text=text, version="test", now=NOW,
                                      auto_approve=thresholds[name])
            ids[name] = row.id
    return ids


def sqlite_copy(template: Path, folder: Path) -> Store:
    path = folder / "store.sqlite3"
    shutil.copyfile(template, path)
    return Store.open(f"sqlite:///{path}")

