"""Shared fixtures: the dev corpus beside the checkout (`../shared/corpus`)."""
from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The shared dev corpus (`text/`, `gold/`, `SOURCES.tsv`); the test is skipped without it."""
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return CORPUS


@pytest.fixture(autouse=True)
def no_review_gate(monkeypatch):
    """Tests of reading, storing, querying and the flows see extracted tasks released at once
    (`CONGVAN_AUTO_APPROVE=0`: the gate approves everything); the review tests (tests/review)
    set their own threshold."""
    monkeypatch.setenv("CONGVAN_AUTO_APPROVE", "0")
