"""Review-test fixtures: PostgreSQL from tests/store (the same throwaway server code), and the
samples stored with the gate closed, once per module as an SQLite template."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

STORE_TESTS = Path(__file__).resolve().parents[1] / "store"
if str(STORE_TESTS) not in sys.path:
    sys.path.insert(0, str(STORE_TESTS))  # the store conftest imports its storekit
_spec = importlib.util.spec_from_file_location("_store_fixtures", STORE_TESTS / "conftest.py")
_store = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_store)

pg_server, pg_database, pg_url = _store.pg_server, _store.pg_database, _store.pg_url
