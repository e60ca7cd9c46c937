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
