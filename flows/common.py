"""What the flows share: the retry rule (transient faults only) and the settings and store."""
from __future__ import annotations

from functools import cache

from pipeline.intake import is_transient
from pipeline.settings import Settings


def retry_transient(task, task_run, state) -> bool:
    """Prefect's `retry_condition_fn`: retry a locked database or a busy share, never a file that
    cannot be read (those are outcomes, not exceptions) nor a bug."""
    try:
        exc = state.result(raise_on_failure=False)
    except BaseException as raised:  # a result that cannot be loaded raises instead
        exc = raised
    return isinstance(exc, BaseException) and is_transient(exc)


def settings() -> Settings:
    return Settings.from_env()


@cache
def _open(url: str):
    from pipeline.store.db import Store

    return Store.open(url)


def store():
    """The store the environment names now (CONGVAN_DB_URL or CONGVAN_HOME), opened once per process."""
    from pipeline.store.db import StoreSettings

    return _open(StoreSettings.from_env().url)
