"""The nightly batch: each unit's task list as files, e-mailed when SMTP is configured, and a
markdown artifact summarising the run. Served on cron `0 2 * * *` in Asia/Ho_Chi_Minh, one run at
a time (flows/serve.py)."""
from __future__ import annotations

from typing import Optional

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from flows.common import retry_transient, settings, store
from pipeline.nightly import parse_day, send_lists, summarize, write_lists


@task(name="write-task-lists", retries=2, retry_delay_seconds=10, retry_condition_fn=retry_transient,
      cache_policy=NO_CACHE)
def write(day):
    return write_lists(store(), settings(), day)


@task(name="send-task-lists", cache_policy=NO_CACHE)
def send(written, day, resend: bool):
    return send_lists(written, settings(), day, resend)


@flow(name="nightly-task-lists")
def nightly(day: Optional[str] = None, mail: bool = True, resend: bool = False) -> dict:
    """Write OUTBOX/<day>/<unit>/tasks.{xlsx,docx,ics} for every unit with open tasks that are overdue,
    due within CONGVAN_UPCOMING_DAYS or undated; e-mail them; publish a summary artifact."""
    s = settings()
    when = parse_day(day, s.timezone)
    written, removed = write(when)
    status = send(written, when, resend) if mail else {}
    summary = summarize(when, s.outbox / when.isoformat(), written, removed, status)
    create_markdown_artifact(key="nightly-task-lists", markdown=summary.markdown(),
                             description=f"Task lists for {when.isoformat()}")
    return {"day": when.isoformat(), "folder": str(summary.folder), "units": [u.code for u in summary.units],
            "line": summary.line()}
