"""The `congvan` command."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Iterator, Optional

import typer
from rich.console import Console
from rich.progress import Progress

from pipeline.read import ReadError, read

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Turn Vietnamese official dispatches into tracked obligations.")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

# Files in a folder that are notes or data beside the dispatches, not dispatches
NOT_DISPATCHES = {".md", ".json", ".jsonl", ".tsv", ".csv", ".py", ".sh", ".html"}


def _say(label: str, message: str) -> None:
    """One plain line on stderr: no wrapping, no markup read from file names."""
    sys.stderr.write(f"{label} {message}\n")


def _fail(message: str, code: int = 2) -> None:
    _say("error:", message)
    raise typer.Exit(code)


def _is_dispatch(path: Path) -> bool:
    name = path.name
    return path.is_file() and not name.startswith((".", "~$")) and not name.upper().startswith("README") \
        and path.suffix.lower() not in NOT_DISPATCHES


def _files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if _is_dispatch(p))
        else:
            yield path


def _read_and_extract(path: Path):
    """(document, record) of one file; any failure is a ReadError naming the file."""
    from pipeline.extract import extract_document

    document = read(path)
    try:
        return document, extract_document(document)
    except Exception as exc:  # an extractor bug must name the file, not kill the batch
        raise ReadError(path, f"extraction failed ({type(exc).__name__}: {exc})") from exc


def _extract_one(path: Path):
    return _read_and_extract(path)[1]


@app.command()
def extract(
    paths: list[Path] = typer.Argument(..., help="Dispatch files or folders"),
    as_json: bool = typer.Option(False, "--json", help="Print the CONTRACT JSON record"),
    table: bool = typer.Option(False, "--table", help="Readable tables, also for folders"),
    html: Optional[Path] = typer.Option(None, "--html", help="Write a displaCy page of every extracted span"),
) -> None:
    """Extract the record of one dispatch (table or --json), or JSON Lines for a folder."""
    single = len(paths) == 1 and not paths[0].is_dir()
    if single:
        try:
            document, record = _read_and_extract(paths[0])
        except ReadError as exc:
            _fail(str(exc))
        if html:
            _write_html(paths[0], record, html, document.text)
        if as_json:
            sys.stdout.write(json.dumps(record.contract_json(), ensure_ascii=False, indent=2) + "\n")
        elif not html:
            from pipeline.show import print_dispatch

            print_dispatch(out, record)
        return
    _extract_many(list(_files(paths)), table)


def _write_html(path: Path, record, html: Path, text: str) -> None:
    from pipeline.review_html import write_html

    try:
        write_html(path, record, html, text=text)
    except OSError as exc:
        _fail(f"{html}: cannot write the review page ({exc.strerror or exc})")
    _say("wrote", str(html))


def _extract_many(files: list[Path], table: bool) -> None:
    failed = 0
    with Progress(console=err, transient=True, disable=not err.is_terminal) as progress:
        bar = progress.add_task("extracting", total=len(files))
        for path in files:
            try:
                record = _extract_one(path)
            except ReadError as exc:
                failed += 1
                _say("skipped:", str(exc))
            else:
                if table:
                    from pipeline.show import print_dispatch

                    print_dispatch(out, record)
                else:
                    sys.stdout.write(json.dumps(record.contract_json(), ensure_ascii=False) + "\n")
            progress.advance(bar)
    _say("done:", f"{len(files) - failed} extracted, {failed} skipped")
    if files and failed == len(files):
        raise typer.Exit(1)


@app.command()
def evaluate(
    gold_dir: Path = typer.Argument(..., help="Folder of gold JSON files (texts in ../text)"),
    errors: bool = typer.Option(False, "--errors", help="List every miss by document"),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON"),
    predictions: Optional[Path] = typer.Option(
        None, "--predictions", help="Score saved records (FOLDER/<stem>.json) instead of extracting"),
) -> None:
    """Score extraction against gold annotations (CONTRACT §3)."""
    from pipeline.evaluate import evaluate_dir, render_errors, render_report, saved_predictions

    if not gold_dir.is_dir() or not any(gold_dir.glob("*.json")):
        _fail(f"{gold_dir}: not a folder of gold files (*.json)")
    if predictions is not None and not predictions.is_dir():
        _fail(f"{predictions}: not a folder of records (*.json)")
    extract = saved_predictions(predictions) if predictions else (lambda p: _extract_one(p).contract_json())
    report, docs = evaluate_dir(gold_dir, extract)
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    render_report(report, out)
    if errors:
        render_errors(docs, out)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the extracted record."""
    from schemas import json_schema

    sys.stdout.write(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")


# ---------------------------------------------------------------- the tracking store

task_app = typer.Typer(no_args_is_help=True, help="Change a task's status or who follows it up.")
registry_app = typer.Typer(no_args_is_help=True, help="The registry of schools and units.")
app.add_typer(task_app, name="task")
app.add_typer(registry_app, name="registry")

REGISTRY_FOLDER = "registry"  # a folder given to `ingest` may carry its registry CSVs here


def _store():
    from pipeline.store import default_store

    try:
        return default_store()
    except Exception as exc:  # a bad URL, an unreachable server, a read-only folder
        _fail(f"cannot open the store ({type(exc).__name__}: {exc})")


def _format(fmt: str, allowed: tuple[str, ...] = ("table", "csv", "json", "xlsx")):
    from pipeline.output import Format

    if fmt not in allowed:
        _fail(f"--format: {fmt!r} is not one of {', '.join(allowed)}")
    return Format(fmt)


def _load_registry(path: Path) -> tuple[int, int]:
    from sqlalchemy.exc import IntegrityError

    from pipeline.store import repository as repo

    try:
        rows = repo.read_registry_csv(path)
    except (OSError, UnicodeDecodeError, repo.RegistryFileError) as exc:
        _fail(f"{path}: {exc}")
    for attempt in range(3):  # another process loading the same units at once: the second try updates
        try:
            with _store().session() as session:
                added, updated = repo.upsert_units(session, rows)
                repo.resolve_all(session)
            return added, updated
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@registry_app.command("load")
def registry_load(file: Path = typer.Argument(..., help="Registry CSV: code,name,kind,level,district,province,email,parent_code")) -> None:
    """Add or update units from a CSV (by code), then re-resolve every stored dispatch's addressees."""
    added, updated = _load_registry(file)
    _say("registry:", f"{file}: {added} added, {updated} updated")


@registry_app.command("list")
def registry_list(
    district: Optional[str] = typer.Option(None, "--district", help="Only this district"),
    kind: Optional[str] = typer.Option(None, "--kind", help="so_gddt, phong_gddt, school, center, other"),
    fmt: str = typer.Option("table", "--format", help="table, csv, json or xlsx"),
) -> None:
    """List the registry."""
    from sqlalchemy import select

    from pipeline.output import TABLE_COLUMNS, write_rows
    from pipeline.store.keys import search_key
    from pipeline.store.models import Unit

    form = _format(fmt)
    columns = ["code", "name", "kind", "level", "district", "province", "email", "parent_code"]
    with _store().session() as session:
        units = session.scalars(select(Unit).order_by(Unit.province, Unit.district, Unit.kind, Unit.code)).all()
        rows = [{c: getattr(u, c) for c in columns} for u in units
                if (not kind or u.kind == kind) and (not district or search_key(district) == search_key(u.district))]
    written = write_rows(rows, columns, form, None, out, table_columns=TABLE_COLUMNS["units"],
                         default_xlsx=Path("units.xlsx"))
    if written:
        _say("wrote", f"{written} ({len(rows)} rows)")


def _ingest_files(paths: list[Path]) -> list[Path]:
    files = []
    for path in paths:
        if path.is_dir() and (path / REGISTRY_FOLDER).is_dir():
            for csv_file in sorted((path / REGISTRY_FOLDER).glob("*.csv")):
                added, updated = _load_registry(csv_file)
                _say("registry:", f"{csv_file}: {added} added, {updated} updated")
        files.extend(_files([path]))
    return files


@app.command()
def ingest(paths: list[Path] = typer.Argument(..., help="Dispatch files or folders"),
           move: bool = typer.Option(False, "--move", help="Then move each file to the archive (or quarantine)")) -> None:
    """Read, extract and store dispatches; the same file twice is a no-op.

    A folder's files are ingested (not its subfolders); if it has a `registry/` subfolder, its CSV
    files are loaded into the registry first. Files are left where they are unless --move is given."""
    from pipeline.ingest import Outcome, ingest_path

    files = _ingest_files(paths)
    store = _store()
    if move:
        return _ingest_and_move(files, store)
    counts = {o: 0 for o in Outcome}
    with Progress(console=err, transient=True, disable=not err.is_terminal) as progress:
        bar = progress.add_task("ingesting", total=len(files))
        for path in files:
            result = ingest_path(path, store)
            counts[result.outcome] += 1
            where = f"#{result.dispatch_id}" if result.dispatch_id else "-"
            detail = f"{result.tasks} tasks" if result.outcome in (Outcome.stored, Outcome.reprocessed) \
                else (result.reason or "")
            sys.stdout.write(f"{result.outcome.value}\t{where}\t{path}\t{detail}\n")
            progress.advance(bar)
    _say("done:", ", ".join(f"{n} {o.value}" for o, n in counts.items()))
    _say_waiting(store)
    if files and counts[Outcome.failed] == len(files):
        raise typer.Exit(1)


def _say_waiting(store) -> None:
    """How many dispatches wait for an officer (their tasks reach no school until approved)."""
    from pipeline.review import review_counts

    with store.session() as session:
        waiting = review_counts(session)["pending"]
    if waiting:
        _say("review:", f"{waiting} dispatches wait for review; their tasks are sent once approved (congvan review)")


@app.command()
def reprocess(all_: bool = typer.Option(False, "--all", help="Also dispatches made by this extractor version")) -> None:
    """Re-extract stored dispatches made by another extractor version, from their stored text."""
    from pipeline.ingest import reprocess as run

    results = run(_store(), force=all_)
    for r in results:
        sys.stdout.write(f"{r.outcome.value}\t#{r.dispatch_id}\t{r.path}\t{r.reason or f'{r.tasks} tasks'}\n")
    _say("done:", f"{len(results)} dispatches re-extracted")
    _say_waiting(_store())


def _split(values: Optional[list[str]]) -> list[str]:
    return [v.strip() for value in values or [] for v in value.split(",") if v.strip()]


@app.command()
def tasks(
    school: Optional[str] = typer.Option(None, "--school", help="A school: its code or words of its name"),
    unit: Optional[str] = typer.Option(None, "--unit", help="Any unit (school, Phòng, Sở, centre): code or name"),
    status: Optional[list[str]] = typer.Option(None, "--status", help="open, in_progress, done, cancelled (repeat or comma-separate)"),
    due_before: Optional[str] = typer.Option(None, "--due-before", help="Due on or before YYYY-MM-DD"),
    due_after: Optional[str] = typer.Option(None, "--due-after", help="Due on or after YYYY-MM-DD"),
    overdue: bool = typer.Option(False, "--overdue", help="Due before today and still open or in progress"),
    today: Optional[str] = typer.Option(None, "--today", help="The date --overdue counts from (default: today)"),
    issuer: Optional[str] = typer.Option(None, "--issuer", help="Words of the issuer's name (accents optional)"),
    references: Optional[str] = typer.Option(None, "--references", help="Tasks resting on this document (number), directly or through stored dispatches"),
    text: Optional[str] = typer.Option(None, "--text", help="A phrase in the task (accents optional)"),
    fmt: str = typer.Option("table", "--format", help="table, csv, json or xlsx"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (xlsx default: tasks.xlsx)"),
) -> None:
    """The obligations in the store, filtered; one row per task, or per task and unit with --school/--unit."""
    from pipeline.output import TABLE_COLUMNS, Format, write_rows
    from pipeline.query import TASK_COLUMNS, UNIT_COLUMNS, QueryError, make_filter, matching_units, query_tasks

    form = _format(fmt)
    try:
        f = make_filter(school=school, unit=unit, status=_split(status), due_before=due_before,
                        due_after=due_after, overdue=overdue, today=today, issuer=issuer,
                        references=references, text=text)
    except QueryError as exc:
        _fail(str(exc))
    with _store().session() as session:
        rows = query_tasks(session, f)
        if f.per_unit and not matching_units(session, f):
            _say("note:", f"no {'school' if school else 'unit'} in the registry matches "
                          f"{school or unit!r} (congvan registry list)")
    columns = UNIT_COLUMNS if f.per_unit else TASK_COLUMNS
    table = TABLE_COLUMNS["unit_tasks" if f.per_unit else "tasks"]
    written = write_rows(rows, columns, form, output, out, table_columns=table)
    if written:
        _say("wrote", f"{written} ({len(rows)} rows)")
    elif form is Format.table:
        _say("rows:", str(len(rows)))


@app.command()
def search(
    text: str = typer.Argument(..., help="Words to find, with or without accents"),
    limit: int = typer.Option(50, "--limit", help="At most this many dispatches and this many tasks"),
    fmt: str = typer.Option("table", "--format", help="table, csv or json"),
) -> None:
    """Full-text search over dispatches and tasks: 'an ninh trat tu' finds 'an ninh, trật tự'."""
    from pipeline.output import TABLE_COLUMNS, Format, write_rows
    from pipeline.query import search_session

    form = _format(fmt, ("table", "csv", "json"))
    with _store().session() as session:
        hits = [h.__dict__ for h in search_session(session, text, limit)]
    columns = ["kind", "dispatch_id", "task_id", "number", "issued_date", "snippet"]
    write_rows(hits, columns, form, None, out, table_columns=TABLE_COLUMNS["search"])
    if form is Format.table:
        _say("hits:", str(len(hits)))


@app.command()
def show(
    id_or_number: str = typer.Argument(..., help="A dispatch id (12 or #12) or number (2094/SGDĐT-HSSV)"),
    as_json: bool = typer.Option(False, "--json", help="The stored CONTRACT record, with ids"),
) -> None:
    """One stored dispatch with its addressees, references and tasks."""
    from pipeline.output import print_stored
    from pipeline.query import make_filter, query_tasks
    from pipeline.store import repository as repo

    with _store().session() as session:
        found = repo.find_dispatches(session, id_or_number)
        if not found:
            _fail(f"no stored dispatch {id_or_number!r}", 1)
        for d in found:
            rows = query_tasks(session, make_filter(dispatch_id=d.id))
            if as_json:
                record = {"id": d.id, "extractor_version": d.extractor_version, "review_status": d.review_status,
                          "reviewed_by": d.reviewed_by, "reviewed_at": d.reviewed_at, **d.record,
                          "task_ids": [t.id for t in d.tasks],
                          "reference_targets": [r.target_dispatch_id for r in d.references]}
                sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
            else:
                print_stored(out, d, repo.source_of(session, d.id), rows)


def _change(task_id: int, status: str, unit: Optional[str], by: Optional[str], note: Optional[str]) -> None:
    from pipeline.store import repository as repo

    with _store().session() as session:
        try:
            change = repo.set_task_status(session, task_id, status, unit=unit, actor=by, note=note)
        except repo.NotFound as exc:
            _fail(str(exc), 1)
        target = f"task #{task_id}" + (f" for {unit}" if unit else "")
    _say("task:", f"{target}: {change.old_status} → {change.new_status}")


UNIT_OPTION = typer.Option(None, "--unit", help="Only this unit's copy of the task (code or name)")
BY_OPTION = typer.Option(None, "--by", help="Who made the change (kept in the history)")
NOTE_OPTION = typer.Option(None, "--note", help="Why (kept in the history)")


# command → (status it sets, help): one table, one command factory
STATUS_COMMANDS = {
    "done": ("done", "Mark a task done (for every unit, or with --unit for one)."),
    "reopen": ("open", "Set a task back to open."),
    "start": ("in_progress", "Mark a task in progress."),
    "cancel": ("cancelled", "Cancel a task."),
}


def _status_command(status: str, help_text: str):
    def command(task_id: int, unit: Optional[str] = UNIT_OPTION, by: Optional[str] = BY_OPTION,
                note: Optional[str] = NOTE_OPTION) -> None:
        _change(task_id, status, unit, by, note)
    command.__doc__ = help_text
    return command


for _name, (_status, _help) in STATUS_COMMANDS.items():
    task_app.command(_name)(_status_command(_status, _help))


@task_app.command("assign")
def task_assign(task_id: int, to: Optional[str] = typer.Option(None, "--to", help="Who follows it up (omit to clear)")) -> None:
    """Name the person who follows a task up."""
    from pipeline.store import repository as repo

    with _store().session() as session:
        try:
            repo.assign_task(session, task_id, to)
        except repo.NotFound as exc:
            _fail(str(exc), 1)
    _say("task:", f"task #{task_id}: assigned to {to}" if to else f"task #{task_id}: no one assigned")


# ---------------------------------------------------------------- watched folder, nightly lists, Prefect

def _settings(**overrides):
    from dataclasses import replace

    from pipeline.settings import Settings

    try:
        settings = Settings.from_env()
    except ValueError as exc:
        _fail(str(exc))
    return replace(settings, **{k: v for k, v in overrides.items() if v is not None})


def _ingest_and_move(files: list[Path], store) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from pipeline.intake import Action, is_ignored, take_with_retries
    from pipeline.watch import format_result

    settings, counts = _settings(), {a: 0 for a in Action}
    files = [f for f in files if not is_ignored(f.name)]  # Thumbs.db, ~$lock files, partial copies
    for path in files:
        result = take_with_retries(path, store, archive=settings.archive, quarantine_dir=settings.quarantine,
                                   now=lambda: datetime.now(ZoneInfo(settings.timezone)))
        counts[result.action] += 1
        sys.stdout.write(format_result(result) + "\n")
    _say("done:", ", ".join(f"{n} {a.value}" for a, n in counts.items()))
    if files and counts[Action.quarantined] == len(files):
        raise typer.Exit(1)


@app.command()
def watch(
    inbox: Optional[Path] = typer.Argument(None, help="The folder to watch (default: $CONGVAN_INBOX or data/inbox)"),
    poll: bool = typer.Option(False, "--poll", help="Poll instead of native file events (network shares)"),
    delay: Optional[float] = typer.Option(None, "--delay", help="Seconds a file must stay unchanged (default 5)"),
    workers: Optional[int] = typer.Option(None, "--workers", help="Processes ingesting at once (default 2)"),
    once: bool = typer.Option(False, "--once", help="Stop when the inbox is empty"),
) -> None:
    """Watch a folder: take each file once it stops changing, store it, then archive or quarantine it.

    Runs without a Prefect server; one line per file on stdout. Stop with Ctrl-C or SIGTERM."""
    import signal
    import threading

    from pipeline.watch import format_result
    from pipeline.watch import watch as run

    settings = _settings(inbox=inbox, stable_delay=delay, workers=workers)
    _store()  # create and migrate the store once, before the workers open it
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    _say("watching:", f"{settings.inbox} ({'polling every %g s' % settings.poll_interval if poll else 'file events'}, "
                      f"stable after {settings.stable_delay:g} s, {settings.workers} worker(s)); "
                      f"archive {settings.archive}, quarantine {settings.quarantine}")

    def report(result) -> None:
        sys.stdout.write(format_result(result) + "\n")
        sys.stdout.flush()

    stats = run(settings, poll=poll, once=once, stop=stop, report=report)
    _say("done:", f"{stats.taken} taken" + "".join(f", {n} {a}" for a, n in sorted(stats.by_action.items())))


@app.command()
def retry(
    names: Optional[list[str]] = typer.Argument(None, help="Only these quarantined files (default: all)"),
    list_only: bool = typer.Option(False, "--list", help="List the quarantined files and why, move nothing"),
) -> None:
    """Re-queue quarantined files: move them back into the inbox, where the watcher takes them again."""
    from pipeline.intake import quarantined, retry_quarantined

    settings = _settings()
    if list_only:
        for file, info in quarantined(settings.quarantine):
            sys.stdout.write(f"{file.name}\t{info.get('step', '?')}\t{info.get('reason', '?')}\n")
        return
    moved = retry_quarantined(settings.quarantine, settings.inbox, names)
    for path in moved:
        sys.stdout.write(f"re-queued\t{path}\n")
    _say("done:", f"{len(moved)} re-queued into {settings.inbox}")


@app.command()
def nightly(
    date_: Optional[str] = typer.Option(None, "--date", help="The day the lists are for (default: today in CONGVAN_TIMEZONE)"),
    outbox: Optional[Path] = typer.Option(None, "--outbox", help="Where to write <date>/<unit>/ (default: data/outbox)"),
    no_mail: bool = typer.Option(False, "--no-mail", help="Do not send e-mail even when SMTP is configured"),
    resend: bool = typer.Option(False, "--resend", help="Send again to units already sent this date's list"),
) -> None:
    """Write each unit's open tasks (overdue, due soon, or undated) as tasks.xlsx, tasks.docx and tasks.ics
    under OUTBOX/<date>/<unit code>/, and e-mail them when SMTP is configured. No Prefect server needed."""
    from pipeline.nightly import NightlyError, run_nightly

    settings = _settings(outbox=outbox)
    try:
        summary = run_nightly(_store(), settings, day=date_, mail=not no_mail, resend=resend)
    except NightlyError as exc:
        _fail(str(exc))
    for unit in summary.units:
        sys.stdout.write(f"{unit.code}\t{unit.tasks} tasks ({unit.overdue} overdue)\t{unit.folder}\t{unit.mail}\n")
    _say("done:", summary.line())


@app.command()
def serve(
    poll: bool = typer.Option(False, "--poll", help="Poll the inbox instead of native file events"),
    events: bool = typer.Option(True, "--events/--no-events", help="Start watch-inbox on file events too"),
    pool: Optional[str] = typer.Option(None, "--pool", help="Register the deployments on this work pool instead "
                                                            "(run `prefect worker start --pool NAME` on each machine)"),
) -> None:
    """Serve the watch-inbox, nightly, reprocess and ingest-file deployments against a Prefect server
    (PREFECT_API_URL; start one with `prefect server start`)."""
    from flows.serve import main as serve_main

    serve_main(poll=poll, events=events, pool=pool)


@app.command()
def browse(
    port: int = typer.Option(8001, "--port", help="Port to listen on"),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (default: this machine only)"),
    open_: bool = typer.Option(False, "--open/--no-open", help="Open the page in the web browser"),
) -> None:
    """Browse the SQLite store in Datasette, read-only: canned queries (sắp đến hạn, quá hạn, theo
    trường, theo văn bản chỉ đạo) and facets. Stop with Ctrl-C."""
    from pipeline.browse import LOOPBACK, BrowseError, serve, sqlite_path, url_for

    try:
        path = sqlite_path()
        if host not in LOOPBACK:
            _say("warning:", f"listening on {host}: anyone who reaches this address can read the whole store")
        _say("browse:", f"{url_for(host, port, path)} (read-only, {path})")
        serve(path, host=host, port=port, open_browser=open_)
    except BrowseError as exc:
        _fail(str(exc))


# ---------------------------------------------------------------- the review gate

user_app = typer.Typer(no_args_is_help=True, help="Users of the review page (needed when it listens beyond loopback).")
app.add_typer(user_app, name="user")


@app.command()
def review(
    port: int = typer.Option(8002, "--port", help="Port to listen on"),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (beyond loopback a login is required)"),
    reviewer: Optional[str] = typer.Option(None, "--user", help="Who the changes are recorded as when no login "
                                                                 "is required (default: the system user)"),
    login: bool = typer.Option(False, "--login", help="Require a login on loopback too"),
    open_: bool = typer.Option(False, "--open/--no-open", help="Open the page in the web browser"),
) -> None:
    """The review page: the queue of dispatches waiting for an officer, each with its source text and
    highlighted spans beside the editable record (fix deadlines and assignees, split, merge or add
    tasks, approve or reject). Only approved tasks reach the nightly lists. Stop with Ctrl-C."""
    import getpass

    import uvicorn

    from pipeline.web.app import WebSettings, create_app
    from pipeline.web.security import LOOPBACK

    settings = _settings()
    store = _store()
    web = WebSettings(home=settings.home, host=host, reviewer=reviewer or getpass.getuser(), force_login=login)
    if host not in LOOPBACK or login:
        from pipeline.auth import list_users

        with store.session() as session:
            if not any(u.active for u in list_users(session)):
                _fail("a login is required but there is no user: add one with `congvan user add NAME`")
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/review"
    _say("review:", f"{url} ({'login required' if host not in LOOPBACK or login else 'as ' + web.reviewer})")
    if open_:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(create_app(store, web), host=host, port=port, log_level="warning")


@user_app.command("add")
def user_add(
    username: str = typer.Argument(..., help="The login name"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin"),
) -> None:
    """Add a user, or set a new password for one."""
    import getpass

    from pipeline.auth import AuthError, add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            _fail("the passwords differ")
    try:
        with _store().session() as session:
            add_user(session, username, password)
    except AuthError as exc:
        _fail(str(exc))
    _say("user:", f"{username} can log in")


@user_app.command("list")
def user_list() -> None:
    """Users and whether they may log in."""
    from pipeline.auth import list_users

    with _store().session() as session:
        for user in list_users(session):
            sys.stdout.write(f"{user.username}\t{'active' if user.active else 'disabled'}\t{user.created_at}\n")


@user_app.command("disable")
def user_disable(username: str = typer.Argument(...)) -> None:
    """Stop a user from logging in (the audit log keeps their changes)."""
    from pipeline.auth import AuthError, set_active

    try:
        with _store().session() as session:
            set_active(session, username, False)
    except AuthError as exc:
        _fail(str(exc))
    _say("user:", f"{username} disabled")


@app.command("export-gold")
def export_gold(
    out: Path = typer.Argument(..., help="Folder to write gold/, text/ and machine/ into"),
    ids: Optional[list[int]] = typer.Option(None, "--id", help="Only these dispatches (repeatable)"),
) -> None:
    """Write every dispatch an officer approved in the gold format of CONTRACT.md (gold/), with its
    text (text/) and the machine's uncorrected record (machine/). Then:
    `congvan evaluate OUT/gold` scores today's extractor on them, and
    `congvan evaluate OUT/gold --predictions OUT/machine` the extraction the officers corrected."""
    from pipeline.gold import export_gold as export

    with _store().session() as session:
        done = export(session, out, ids)
    for item in done:
        sys.stdout.write(f"#{item.dispatch_id}\t{item.tasks} tasks\t{out / 'gold' / (item.stem + '.json')}\n")
    if not done:
        _say("note:", "no dispatch reviewed by an officer yet: nothing written")
    _say("done:", f"{len(done)} dispatches")


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
