"""`congvan browse`: the tracking store in Datasette, for analysts, read-only.

    congvan browse [--port 8001] [--host 127.0.0.1] [--open]

Four canned queries with Vietnamese titles — Sắp đến hạn (`sap_den_han`), Quá hạn (`qua_han`),
Theo trường (`theo_truong`, parameter `school`), Theo văn bản chỉ đạo (`theo_van_ban_chi_dao`,
parameter `number`) — and facets on status, level, district and issuer over `task_view`. They ask
what `congvan tasks` asks (`--due-after/--due-before`, `--overdue`, `--school`, `--references`) and
give the same rows.

Read-only three times over: the server answers only GET and HEAD (anything else: 405); Datasette
opens the file with `mode=ro`; every connection to it has `PRAGMA query_only`. The file is not
opened `immutable` (that would skip the write-ahead log and read stale or broken pages while an
ingest runs). Datasette reads SQLite only: a PostgreSQL store is refused with a message.

The canned queries call three SQL functions registered on each connection (a Datasette plugin):
`congvan_name_match(name_search, words)` (all the words of a unit name, accents and abbreviations
optional, as `--school`), `congvan_number_key(text)` (a document number as compared: 'Chỉ thị
46-CT/TW' → '46-CT/TW') and `congvan_search_key(text)` (accents folded, for `LIKE` on the
`*_search` columns in your own SQL).
"""
from __future__ import annotations

import socket
import sqlite3
from pathlib import Path
from types import ModuleType
from typing import Callable, Optional

from pipeline.store.db import StoreSettings, is_sqlite
from pipeline.store.keys import query_number_key, search_key
from pipeline.store.models import STILL_OPEN_SQL

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001
PLUGIN = "congvan"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
REQUIRED = ("tasks", "dispatches", "task_assignments", "units", "dispatch_references", "task_view")
UPCOMING_DAYS = 14


class BrowseError(RuntimeError):
    """Why the store cannot be browsed (PostgreSQL, no store yet, port taken), for the user."""


# ------------------------------------------------------------------ the store file

def sqlite_path(url: Optional[str] = None) -> Path:
    """The store's SQLite file (`CONGVAN_DB_URL`, else `$CONGVAN_HOME/congvan.sqlite3`), checked
    to exist and to be a congvan store. Nothing is created or migrated: browsing writes nothing."""
    from sqlalchemy.engine import make_url

    settings = StoreSettings.from_env(url)
    if not is_sqlite(settings.url):
        backend = make_url(settings.url).get_backend_name()
        raise BrowseError(f"congvan browse reads the SQLite store only (Datasette opens SQLite files), and "
                          f"CONGVAN_DB_URL names a {backend} database; for PostgreSQL use `congvan tasks`, "
                          "or a SQL client")
    database = make_url(settings.url).database
    if not database or database == ":memory:":
        raise BrowseError("the store is an in-memory SQLite database: nothing to browse")
    path = Path(database)
    if not path.is_file():
        raise BrowseError(f"no store at {path} yet (congvan ingest FILES makes it; CONGVAN_HOME names its folder)")
    missing = sorted(set(REQUIRED) - _names(path))
    if missing:
        raise BrowseError(f"{path} is not a congvan store (no {', '.join(missing)}): open it once with congvan "
                          "ingest or congvan tasks to create its tables")
    return path


def _names(path: Path) -> set[str]:
    """Tables and views in the file, read without writing anything."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise BrowseError(f"{path}: not readable as SQLite ({exc})") from None


# ------------------------------------------------------------------ canned queries and facets

# a task still to be done: approved (open, in progress), not finished; pending review and rejected
# ones are not obligations yet (the same list as models.STILL_OPEN_SQL, whose index it uses)
_STILL_OPEN = STILL_OPEN_SQL.replace("status", "t.status", 1)

# columns of one row per task, as `congvan tasks` prints them
_TASK = """t.id AS task_id, d.id AS dispatch_id, d.number, d.issued_date,
       coalesce(nullif(d.issuer, ''), d.parent_issuer) AS issuer, d.subject, t.text AS task, t.assignees,
       t.report_to, t.due_date, t.recurrence, t.status, t.assigned_to,
       (SELECT count(*) FROM task_assignments a WHERE a.task_id = t.id) AS units,
       (SELECT count(*) FROM task_assignments a WHERE a.task_id = t.id
         AND t.status IN ('open', 'in_progress') AND a.status NOT IN ('done', 'cancelled')) AS units_open"""
_TODAY = "coalesce(nullif(:today, ''), date('now', 'localtime'))"
# deadline (none last), issue date (none last), dispatch, position: as `congvan tasks`; NULLS LAST so
# that SQLite walks the due_by indexes and stops at Datasette's 1,000 rows instead of sorting them all
_ORDER = "t.due_by NULLS LAST, d.issued_date NULLS LAST, d.id, t.position"

UPCOMING_SQL = f"""SELECT CAST(julianday(t.due_by) - julianday({_TODAY}) AS INTEGER) AS days_left, {_TASK}
FROM tasks t JOIN dispatches d ON d.id = t.dispatch_id
WHERE {_STILL_OPEN}
  AND t.due_by >= {_TODAY}
  AND t.due_by <= date({_TODAY}, '+' || coalesce(nullif(:days, ''), '{UPCOMING_DAYS}') || ' days')
ORDER BY {_ORDER}"""

OVERDUE_SQL = f"""SELECT CAST(julianday({_TODAY}) - julianday(t.due_by) AS INTEGER) AS days_late, {_TASK}
FROM tasks t JOIN dispatches d ON d.id = t.dispatch_id
WHERE {_STILL_OPEN} AND t.due_by < {_TODAY}
ORDER BY {_ORDER}"""

# a code matches exactly, else every word of the name (as `congvan tasks --school`); the units are
# chosen first, so that SQLite starts from their assignments (an index) rather than from every task
BY_SCHOOL_SQL = f"""SELECT u.code AS unit_code, u.name AS unit_name, t.id AS task_id, d.id AS dispatch_id, d.number,
       d.issued_date, coalesce(nullif(d.issuer, ''), d.parent_issuer) AS issuer, d.subject, t.text AS task,
       t.assignees, t.report_to, t.due_date, t.recurrence,
       CASE WHEN t.status NOT IN ('open', 'in_progress') THEN t.status ELSE a.status END AS status, t.assigned_to
FROM task_assignments a
JOIN units u ON u.id = a.unit_id
JOIN tasks t ON t.id = a.task_id
JOIN dispatches d ON d.id = t.dispatch_id
WHERE a.unit_id IN (
    SELECT s.id FROM units s WHERE s.kind = 'school' AND CASE
        WHEN EXISTS (SELECT 1 FROM units c WHERE c.kind = 'school' AND upper(c.code) = upper(trim(:school)))
        THEN upper(s.code) = upper(trim(:school))
        ELSE congvan_name_match(s.name_search, :school) END)
ORDER BY {_ORDER}, u.code"""

# the document itself if stored (0), dispatches citing it (1), dispatches citing a stored dispatch
# that rests on it (2, 3, …), as `congvan tasks --references`
BY_DOCUMENT_SQL = f"""WITH RECURSIVE resting(id, depth) AS (
    SELECT id, 0 FROM dispatches WHERE number_key = congvan_number_key(:number)
    UNION
    SELECT dispatch_id, 1 FROM dispatch_references WHERE number_key = congvan_number_key(:number)
    UNION
    SELECT r.dispatch_id, resting.depth + 1 FROM dispatch_references r JOIN resting ON r.target_dispatch_id = resting.id
    WHERE resting.depth < 20
), found AS (SELECT id, min(depth) AS depth FROM resting GROUP BY id)
SELECT CASE found.depth WHEN 0 THEN 'chính văn bản' WHEN 1 THEN 'trích dẫn trực tiếp'
            ELSE 'qua văn bản đã lưu' END AS link, {_TASK}
FROM found JOIN dispatches d ON d.id = found.id JOIN tasks t ON t.dispatch_id = d.id
ORDER BY {_ORDER}"""


def canned_queries() -> dict[str, dict]:
    """The four analyst queries, keyed by their URL name; none of them writes."""
    today = "today: YYYY-MM-DD, để trống là hôm nay"
    return {
        "sap_den_han": {
            "title": "Sắp đến hạn",
            "description": f"Nhiệm vụ chưa xong (open, in_progress) có hạn trong {UPCOMING_DAYS} ngày tới "
                           f"(days: số ngày; {today}). Một dòng mỗi nhiệm vụ; units_open: số đơn vị chưa xong.",
            "sql": UPCOMING_SQL, "params": ["days", "today"]},
        "qua_han": {
            "title": "Quá hạn",
            "description": f"Nhiệm vụ đã quá hạn mà chưa xong (open, in_progress); {today}. "
                           "days_late: số ngày quá hạn.",
            "sql": OVERDUE_SQL, "params": ["today"]},
        "theo_truong": {
            "title": "Theo trường",
            "description": "Nhiệm vụ của một trường: mã trường (DK-MN-HOASEN) hoặc các từ trong tên, có dấu "
                           "hay không dấu (truong mam non hoa sen). Trạng thái là của trường đó.",
            "sql": BY_SCHOOL_SQL, "params": ["school"]},
        "theo_van_ban_chi_dao": {
            "title": "Theo văn bản chỉ đạo",
            "description": "Nhiệm vụ của các văn bản thực hiện một văn bản chỉ đạo (số hiệu: 46-CT/TW, "
                           "2094/SGDĐT-HSSV): văn bản trích dẫn nó, chính nó nếu đã lưu, và văn bản trích dẫn "
                           "một văn bản đã lưu thực hiện nó.",
            "sql": BY_DOCUMENT_SQL, "params": ["number"]},
    }


TABLES = {
    "task_view": {"title": "Nhiệm vụ theo đơn vị", "facets": ["status", "unit_level", "unit_district", "issuer"],
                  "description": "Một dòng mỗi nhiệm vụ và đơn vị được giao; status: trạng thái của đơn vị "
                                 "(hoặc của nhiệm vụ khi đã xong hay hủy)."},
    "tasks": {"title": "Nhiệm vụ", "facets": ["status", "recurrence"]},
    "dispatches": {"title": "Văn bản", "facets": ["issuer", "doc_type"]},
    "units": {"title": "Danh mục đơn vị", "facets": ["kind", "level", "district"], "label_column": "name"},
}

SETTINGS = {
    "default_page_size": 100,
    "sql_time_limit_ms": 5000,        # a canned query over a million tasks, sorted
    "facet_time_limit_ms": 200,       # per facet; on a million tasks they time out unless filtered
    "suggest_facets": False,          # counting every column of a million rows on each page
    "truncate_cells_html": 300,
}


def metadata(db_name: str) -> dict:
    """Datasette metadata: titles, the canned queries, facets."""
    queries = canned_queries()
    assert not any(q.get("write") for q in queries.values()), "browse is read-only"
    return {
        "title": "congvan — nhiệm vụ từ công văn",
        "description": "Kho theo dõi nhiệm vụ (chỉ đọc). Truy vấn sẵn: sắp đến hạn, quá hạn, theo trường, "
                       "theo văn bản chỉ đạo.",
        "databases": {db_name: {"queries": queries, "tables": TABLES}},
    }


# ------------------------------------------------------------------ SQL functions, read-only connections

def name_match(name_search: Optional[str], words: Optional[str]) -> int:
    """1 when every word of `words` (as `repo.name_key`: accents folded, abbreviations written out)
    is a word of the unit's `name_search`; no words match nothing."""
    from pipeline.store.repository import name_key

    wanted = name_key(words or "").split()
    return int(bool(wanted) and bool(name_search) and all(f" {w} " in name_search for w in wanted))


def number_key(text: Optional[str]) -> Optional[str]:
    return query_number_key(text) if text and text.strip() else None


def _plugin(db_name: str):
    """The Datasette plugin: the SQL functions, and `query_only` on every connection to the store."""
    from datasette import hookimpl

    @hookimpl
    def prepare_connection(conn, database, datasette):
        conn.create_function("congvan_name_match", 2, name_match, deterministic=True)
        conn.create_function("congvan_number_key", 1, number_key, deterministic=True)
        conn.create_function("congvan_search_key", 1, search_key, deterministic=True)
        if database == db_name:
            conn.execute("PRAGMA query_only = 1")

    plugin = ModuleType("congvan_browse_plugin")   # Datasette lists plugins by module name
    plugin.prepare_connection = prepare_connection
    return plugin


def _register(db_name: str) -> None:
    from datasette.plugins import pm

    if pm.has_plugin(PLUGIN):
        pm.unregister(name=PLUGIN)
    pm.register(_plugin(db_name), name=PLUGIN)


def read_only(app: Callable) -> Callable:
    """ASGI middleware: GET and HEAD pass, any other method is answered 405."""
    async def guarded(scope, receive, send):
        if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD"):
            await send({"type": "http.response.start", "status": 405,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"allow", b"GET, HEAD")]})
            await send({"type": "http.response.body", "body": "congvan browse is read-only\n".encode()})
            return
        await app(scope, receive, send)

    return guarded


# ------------------------------------------------------------------ the server

def make_datasette(path: Path):
    """A Datasette for the store file: canned queries, facets, read-only connections."""
    from datasette.app import Datasette

    db_name = path.stem
    _register(db_name)
    return Datasette([str(path)], metadata=metadata(db_name), settings=SETTINGS, cors=False)


def make_app(path: Path):
    """The ASGI app `congvan browse` serves (Datasette's start-up hooks already run)."""
    import asyncio

    ds = make_datasette(path)
    asyncio.run(ds.invoke_startup())
    return read_only(ds.app())


def url_for(host: str, port: int, path: Path) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/{path.stem}"


def check_port(host: str, port: int) -> None:
    """Refuse a port that is taken, before Datasette starts (uvicorn would only log it)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            raise BrowseError(f"cannot listen on {host}:{port} ({exc.strerror or exc}): "
                              "choose another --port") from None


def serve(path: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, open_browser: bool = False) -> None:
    """Serve the store until interrupted (Ctrl-C, SIGTERM)."""
    import threading
    import time
    import webbrowser

    import uvicorn

    check_port(host, port)
    server = uvicorn.Server(uvicorn.Config(make_app(path), host=host, port=port, log_level="warning",
                                           lifespan="on", workers=1))
    if open_browser:
        def _open_when_started() -> None:
            while not server.started and not server.should_exit:
                time.sleep(0.1)
            if server.started:
                webbrowser.open(url_for(host, port, path))

        threading.Thread(target=_open_when_started, daemon=True).start()
    server.run()


__all__ = ["BrowseError", "DEFAULT_HOST", "DEFAULT_PORT", "LOOPBACK", "canned_queries", "make_app",
           "make_datasette", "metadata", "name_match", "read_only", "serve", "sqlite_path", "url_for"]
