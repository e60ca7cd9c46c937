"""Fixtures of the watched-folder, nightly and flow tests (helpers in flowkit.py)."""
from __future__ import annotations

import os
import tempfile

import pytest

# Prefect, as STACK.md measured it: its own home (not ~/.prefect), a patient start-up of the temporary
# server, no analytics (a "database is locked" log error otherwise). Set before Prefect is imported.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="congvan-prefect-"))
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@pytest.fixture(scope="module")
def prefect_harness():
    """One temporary Prefect server (≈ 9 s) for the Prefect tests, all in one module: so it is
    started once per session, and stopped before later tests that count this process's children."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield
