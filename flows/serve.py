"""The deployments, in one place (`congvan serve`), against a Prefect server:

- watch-inbox: every CONGVAN_WATCH_INTERVAL seconds, and soon after file events in the inbox, one
  run at a time (extra triggers queue behind it);
- nightly-task-lists: cron `0 2 * * *` in Asia/Ho_Chi_Minh (CONGVAN_NIGHTLY_CRON, CONGVAN_TIMEZONE),
  one run at a time;
- reprocess: on demand (`prefect deployment run reprocess/reprocess`);
- ingest-file: one file, on demand (and, on a work pool, one run per file started by watch-inbox).

Without `pool` they are served from this process. With `pool` they are registered on that work
pool by module path (every worker has congvan installed), watch-inbox fanning files out to
ingest-file runs, and this process only turns file events into watch-inbox runs.
Schedules need a real server (`prefect server start`, PREFECT_API_URL): against the temporary one
Prefect starts for flows without a server, nothing would ever be scheduled.
"""
from __future__ import annotations

import sys
import threading
from typing import Optional

from prefect import deploy, serve
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.deployments.runner import EntrypointType
from prefect.schedules import Cron, Interval

from flows.common import settings
from flows.ingest import ingest_file
from flows.nightly import nightly
from flows.reprocess import reprocess
from flows.watch import EventTrigger, watch_inbox

ONE_AT_A_TIME = ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE)


def deployments(on_pool: bool = False) -> list:
    s = settings()
    how = {"entrypoint_type": EntrypointType.MODULE_PATH} if on_pool else {}
    return [
        watch_inbox.to_deployment(name="watch-inbox", schedules=[Interval(s.watch_interval)],
                                  parameters={"fan_out": on_pool}, concurrency_limit=ONE_AT_A_TIME, **how,
                                  description="Take every settled file of the inbox: store, then archive or quarantine."),
        nightly.to_deployment(name="nightly", schedules=[Cron(s.nightly_cron, timezone=s.timezone)],
                              concurrency_limit=ONE_AT_A_TIME, **how,
                              description="Each unit's open tasks as xlsx, docx and ics; e-mail them."),
        reprocess.to_deployment(name="reprocess", concurrency_limit=ONE_AT_A_TIME, **how,
                                description="Re-extract archived originals with the current extractors."),
        ingest_file.to_deployment(name="ingest-file", **how,
                                  description="One file: store, then archive or quarantine."),
    ]


def _start_watch_run() -> None:
    from prefect.deployments import run_deployment

    run_deployment("watch-inbox/watch-inbox", timeout=0)


def _has_server() -> bool:
    from prefect.settings import PREFECT_API_URL

    return bool(PREFECT_API_URL.value())


def main(poll: bool = False, events: bool = True, pool: Optional[str] = None) -> None:
    if not _has_server():
        sys.stderr.write("serve: PREFECT_API_URL is not set: schedules need a Prefect server (`prefect server "
                         "start`, then `prefect config set PREFECT_API_URL=http://127.0.0.1:4200/api`)\n")
        raise SystemExit(2)
    trigger = EventTrigger(_start_watch_run, quiet=settings().stable_delay, poll=poll) if events else None
    try:
        if pool is None:
            if trigger is not None:
                trigger.start()
            serve(*deployments())
            return
        deploy(*deployments(on_pool=True), work_pool_name=pool, build=False, push=False, ignore_warnings=True)
        if trigger is not None:
            sys.stderr.write(f"serve: deployments registered on work pool {pool!r}; turning inbox events into "
                             "watch-inbox runs (Ctrl-C to stop)\n")
            trigger.start()
            threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        if trigger is not None and hasattr(trigger, "observer"):
            trigger.close()


if __name__ == "__main__":  # pragma: no cover
    main()
