"""Every setting of the watched folder, the nightly batch and e-mail, in one typed place.

Read from the environment once per call of `Settings.from_env()` (the CLI options override
fields with `dataclasses.replace`). Folders default to sub-folders of `CONGVAN_HOME` (`./data`):

    CONGVAN_HOME            ./data            the store (SQLite) and the folders below
    CONGVAN_INBOX           $HOME/inbox       where archive staff drop files
    CONGVAN_ARCHIVE         $HOME/archive     originals after their record is committed: YYYY/MM/<sha256>.<ext>
    CONGVAN_QUARANTINE      $HOME/quarantine  files that failed, each beside <name>.error.json
    CONGVAN_OUTBOX          $HOME/outbox      nightly task lists: <date>/<unit code>/tasks.{xlsx,docx,ics}
    CONGVAN_STABLE_DELAY    5                 seconds a file's size and mtime must stay unchanged
    CONGVAN_POLL_INTERVAL   2                 seconds between scans of the polling observer (--poll)
    CONGVAN_WORKERS         2                 processes ingesting a backlog at once (1: in the watcher itself)
    CONGVAN_WATCH_INTERVAL  30                seconds between runs of the served watch-inbox deployment
    CONGVAN_TIMEZONE        Asia/Ho_Chi_Minh  the nightly batch's clock and cron
    CONGVAN_NIGHTLY_CRON    0 2 * * *
    CONGVAN_UPCOMING_DAYS   30                a task due within this many days is on the list
    CONGVAN_AUTO_APPROVE    0.9               a dispatch whose every field and task has at least this
                                              confidence skips review ("off" or 2: review everything;
                                              0: approve everything, i.e. no gate)
    CONGVAN_SMTP_HOST       (unset: no mail)  CONGVAN_SMTP_PORT (25), _USER, _PASSWORD, _FROM,
    CONGVAN_SMTP_TLS        none              none, starttls or ssl
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional


def _path(env: Mapping[str, str], name: str, default: Path) -> Path:
    value = env.get(name)
    return Path(value) if value else default


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    value = env.get(name)
    try:
        return float(value) if value else default
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a number") from None


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    user: Optional[str] = None
    password: Optional[str] = None
    sender: str = "congvan@localhost"
    tls: str = "none"  # none | starttls | ssl


@dataclass(frozen=True)
class Settings:
    home: Path
    inbox: Path
    archive: Path
    quarantine: Path
    outbox: Path
    stable_delay: float = 5.0
    poll_interval: float = 2.0
    workers: int = 2
    watch_interval: float = 30.0
    timezone: str = "Asia/Ho_Chi_Minh"
    nightly_cron: str = "0 2 * * *"
    upcoming_days: int = 30
    auto_approve: float = 0.9
    smtp: Optional[SmtpSettings] = None

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> Settings:
        env = os.environ if env is None else env
        home = _path(env, "CONGVAN_HOME", Path("data"))
        return cls(
            home=home,
            inbox=_path(env, "CONGVAN_INBOX", home / "inbox"),
            archive=_path(env, "CONGVAN_ARCHIVE", home / "archive"),
            quarantine=_path(env, "CONGVAN_QUARANTINE", home / "quarantine"),
            outbox=_path(env, "CONGVAN_OUTBOX", home / "outbox"),
            stable_delay=_float(env, "CONGVAN_STABLE_DELAY", 5.0),
            poll_interval=_float(env, "CONGVAN_POLL_INTERVAL", 2.0),
            workers=max(1, int(_float(env, "CONGVAN_WORKERS", min(2, os.cpu_count() or 1)))),
            watch_interval=_float(env, "CONGVAN_WATCH_INTERVAL", 30.0),
            timezone=env.get("CONGVAN_TIMEZONE") or "Asia/Ho_Chi_Minh",
            nightly_cron=env.get("CONGVAN_NIGHTLY_CRON") or "0 2 * * *",
            upcoming_days=int(_float(env, "CONGVAN_UPCOMING_DAYS", 30)),
            auto_approve=_threshold(env.get("CONGVAN_AUTO_APPROVE")),
            smtp=_smtp(env),
        )


NEVER = 2.0  # above any confidence: nothing is approved without an officer


def _threshold(value: Optional[str]) -> float:
    if not value:
        return 0.9
    if value.strip().lower() in ("off", "never", "none"):
        return NEVER
    threshold = _float({"CONGVAN_AUTO_APPROVE": value}, "CONGVAN_AUTO_APPROVE", 0.9)
    if not 0.0 <= threshold <= NEVER:  # also refuses nan
        raise ValueError(f"CONGVAN_AUTO_APPROVE: {value!r} is not a confidence between 0 and 1 (or off)")
    return threshold


def _smtp(env: Mapping[str, str]) -> Optional[SmtpSettings]:
    host = env.get("CONGVAN_SMTP_HOST")
    if not host:
        return None
    tls = (env.get("CONGVAN_SMTP_TLS") or "none").lower()
    if tls not in ("none", "starttls", "ssl"):
        raise ValueError(f"CONGVAN_SMTP_TLS: {tls!r} is not none, starttls or ssl")
    return SmtpSettings(host=host, port=int(_float(env, "CONGVAN_SMTP_PORT", 465 if tls == "ssl" else 25)),
                        user=env.get("CONGVAN_SMTP_USER") or None,
                        password=env.get("CONGVAN_SMTP_PASSWORD") or None,
                        sender=env.get("CONGVAN_SMTP_FROM") or "congvan@localhost", tls=tls)
