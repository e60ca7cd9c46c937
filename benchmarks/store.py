"""The tracking store at scale: build a store of 100,000 dispatches and 1,000,000 tasks, then time
every analyst query of `pipeline.query`.

    .venv/bin/python benchmarks/store.py [--dispatches 100000] [--tasks 1000000] [--runs 50]
                                         [--dir DIR] [--keep] [--json]

The store is made by the migrations (`Store.open`), then filled in bulk, not through the extractor:
the sample registry plus generated schools (about 500 units), dispatches from the Sở, the Phòng
GD&ĐT, the UBND and the Bộ over ten years, ~10 tasks each with due dates, statuses that depend on
whether the deadline has passed, assignments to the units each dispatch addresses (~3 a task),
references to central documents (a few are cited by many dispatches) and to stored dispatches
(Phòng dispatches implementing the Sở's). Search columns are built with `search_key` from
pre-computed pieces. Indexes and triggers are dropped during the load and re-created from the
migrated schema afterwards, so the store measured is the one the migrations make; nothing is
ANALYZEd (a real store has no statistics either).

Each query runs `--runs` times after two warm-up runs (one session per run, as the CLI does); the
report gives p50 and p95 in milliseconds and the rows returned. The store goes to a temporary
folder (about 2 GB at full size), removed at the end unless `--keep`.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.store.keys import due_by, number_key, search_key  # noqa: E402

TODAY = date(2026, 6, 15)          # the benchmark's "today": dispatches run up to it
FIRST_DAY = date(2016, 7, 1)       # ten years of dispatches
NOW = "2026-06-15T08:00:00+00:00"
VERSION = "bench"
CHUNK = 50_000


# ------------------------------------------------------------------ vocabulary

DISTRICTS = ["Nha Trang", "Cam Ranh", "Ninh Hòa", "Vạn Ninh", "Diên Khánh", "Cam Lâm", "Khánh Vĩnh",
             "Khánh Sơn", "Trường Sa"]
PLACE_NAMES = ["Họa Mi", "Hướng Dương", "Bình Minh", "Lê Lợi", "Quang Trung",
               "Trần Phú", "Nguyễn Du", "Lê Văn Tám", "Võ Thị Sáu", "Kim Đồng", "Chu Văn An", "Lý Thường Kiệt",
               "Nguyễn Huệ", "Hai Bà Trưng", "Ngô Quyền", "Phan Đình Phùng", "Trần Hưng Đạo", "Hùng Vương",
               "Lương Thế Vinh", "Nguyễn Bỉnh Khiêm", "Đinh Tiên Hoàng", "Bạch Đằng", "Vĩnh Hải", "Phước Long",
               "Ninh Đa", "Cam Đức", "Suối Dầu"]
LEVELS = [("Mầm non", "MN", 0.35), ("Tiểu học", "TH", 0.35), ("THCS", "THCS", 0.22), ("THPT", "THPT", 0.08)]
DEPARTMENTS = ["HSSV", "GDTrH", "GDMN", "GDTH", "TCCB", "KHTC", "CTTT", "VP", "GDPT", "KTKĐ", "THCS"]
VERBS = ["Triển khai", "Tổ chức", "Rà soát", "Xây dựng kế hoạch", "Báo cáo kết quả", "Tuyên truyền",
         "Kiểm tra", "Tăng cường", "Chỉ đạo thực hiện", "Tổng hợp", "Phối hợp thực hiện", "Đẩy mạnh",
         "Nâng cao chất lượng", "Cập nhật số liệu", "Đăng ký danh sách", "Gửi hồ sơ", "Quán triệt",
         "Thực hiện nghiêm", "Đánh giá", "Tập huấn"]
OBJECTS = ["công tác đảm bảo an ninh, trật tự", "phong trào toàn dân bảo vệ ANTQ", "phòng chống ma túy",
           "an toàn giao thông", "phòng cháy chữa cháy", "vệ sinh an toàn thực phẩm", "công tác y tế trường học",
           "chuyển đổi số", "kiểm định chất lượng giáo dục", "bồi dưỡng thường xuyên giáo viên",
           "tuyển sinh đầu cấp", "thi tốt nghiệp THPT", "giáo dục STEM", "công tác thi đua, khen thưởng",
           "quản lý tài chính, tài sản", "cơ sở vật chất, thiết bị dạy học", "phòng chống thiên tai",
           "giáo dục kỹ năng sống", "công tác xã hội hóa giáo dục", "phòng chống bạo lực học đường",
           "thư viện trường học", "giáo dục thể chất", "hoạt động trải nghiệm", "sinh hoạt chuyên môn",
           "phổ cập giáo dục, xóa mù chữ", "cải cách hành chính", "công tác dân vận", "bảo hiểm y tế học sinh",
           "bữa ăn bán trú", "phòng chống dịch bệnh"]
SCOPES = ["trong nhà trường", "năm học 2025-2026", "tại đơn vị", "theo hướng dẫn của Sở", "trên địa bàn",
          "đối với học sinh", "cho cán bộ, giáo viên, nhân viên", "theo kế hoạch", "học kỳ I", "học kỳ II",
          "trong dịp hè", "đầu năm học", "cuối năm học", "theo quy định", "đúng thời gian quy định"]
SUBJECTS = ["V/v " + o for o in OBJECTS]
BOILERPLATE = ("Thực hiện chỉ đạo của cấp trên và căn cứ tình hình thực tế, đề nghị các đơn vị tập trung "
               "triển khai thực hiện một số nội dung sau:")
CLOSING = "Đề nghị Thủ trưởng các đơn vị triển khai thực hiện nghiêm túc nội dung Công văn này./."


@dataclass(frozen=True)
class Issuer:
    issuer: str
    parent: str | None
    prefix: str                   # number prefix: "SGDĐT", "PGDĐT", …
    weight: float
    audience: str                 # "phong", "district", "province", "none"
    district: str | None = None


def issuers() -> list[Issuer]:
    out = [Issuer("Sở Giáo dục và Đào tạo", "UBND tỉnh Khánh Hòa", "SGDĐT", 0.25, "phong"),
           Issuer("Ủy ban nhân dân tỉnh Khánh Hòa", None, "UBND-VX", 0.05, "province"),
           Issuer("Bộ Giáo dục và Đào tạo", None, "BGDĐT", 0.06, "province")]
    for d in DISTRICTS[:8]:
        out.append(Issuer("Phòng Giáo dục và Đào tạo", f"UBND huyện {d}", f"PGDĐT-{_ascii(d)}", 0.07, "district", d))
        out.append(Issuer(f"Ủy ban nhân dân huyện {d}", None, f"UBND-{_ascii(d)}", 0.01, "district", d))
    out.append(Issuer("Công an tỉnh Khánh Hòa", None, "CAT-PV01", 0.02, "none"))
    return out


def _ascii(name: str) -> str:
    return "".join(w[0] for w in search_key(name).split()).upper()


def central_documents(rng: random.Random, n: int = 300) -> list[tuple[str, str, str]]:
    """(doc type, number, date) of laws and directives the dispatches cite; first ones most cited."""
    docs = []
    kinds = [("Nghị định", "NĐ-CP"), ("Thông tư", "TT-BGDĐT"), ("Quyết định", "QĐ-TTg"), ("Chỉ thị", "CT-TTg"),
             ("Nghị quyết", "NQ-CP"), ("Kế hoạch", "KH-UBND")]
    while len(docs) < n:
        kind, suffix = rng.choice(kinds)
        year = rng.randint(2010, 2025)
        docs.append((kind, f"{rng.randint(1, 200)}/{year}/{suffix}", f"{year}-{rng.randint(1, 12):02d}-15"))
    docs = list(dict.fromkeys(docs))
    # the documents of the samples, cited about as often as the 20th to 23rd most cited
    docs[20:20] = [("Chỉ thị", "46-CT/TW", "2015-06-22"), ("Chỉ thị", "09-CT/TW", "2011-12-01"),
                   ("Nghị định", "06/2013/NĐ-CP", "2013-01-09"), ("Thông tư", "23/2012/TT-BCA", "2012-04-27")]
    return docs[:n]


# ------------------------------------------------------------------ units

def make_units(n: int, rng: random.Random) -> list[dict]:
    """The sample registry, then generated schools until there are `n` units."""
    from pipeline.store import repository as repo

    units = repo.read_registry_csv(REPO / "samples" / "registry" / "khanh-hoa.csv")
    codes = {u["code"] for u in units}
    i = 0
    while len(units) < n:
        district = DISTRICTS[i % 8]
        level, short, _ = rng.choices(LEVELS, weights=[w for *_, w in LEVELS])[0]
        place = PLACE_NAMES[(i // 8) % len(PLACE_NAMES)]
        code = f"{_ascii(district)}-{short}-{i:04d}"
        i += 1
        if code in codes:
            continue
        codes.add(code)
        units.append({"code": code, "name": f"Trường {level} {place} {i}", "kind": "school", "level": level,
                      "district": district, "province": "Khánh Hòa", "email": None, "parent_code": None})
    return units


@dataclass
class Audience:
    """Unit ids a dispatch can be addressed to, by kind of issuer."""
    phong: list[int]
    province_schools: list[int]
    by_district_level: dict[tuple[str, str], list[int]]
    by_district: dict[str, list[int]]
    all_ids: list[int]

    def pick(self, issuer: Issuer, rng: random.Random) -> tuple[list[int], str]:
        roll = rng.random()
        if issuer.audience == "none" or roll < 0.10:
            return [], "Kính gửi"
        pool = {"phong": self.phong, "province": self.province_schools or self.all_ids}.get(
            issuer.audience, self.by_district.get(issuer.district or "", self.all_ids))
        if roll < 0.50:
            return [rng.choice(pool)], "Kính gửi"
        if roll < 0.75:
            return rng.sample(pool, min(len(pool), rng.randint(2, 3))), "Kính gửi"
        if issuer.audience == "district" and roll < 0.90:
            level = rng.choice(LEVELS)[0]
            group = self.by_district_level.get((issuer.district, level)) or pool
            return group[:14], f"các trường {level} trên địa bàn huyện [group-level]"
        return pool[:9] if issuer.audience != "phong" else pool, "các đơn vị [group]"


def audience(units: list[dict]) -> Audience:
    by_dl: dict[tuple[str, str], list[int]] = {}
    by_d: dict[str, list[int]] = {}
    for uid, u in enumerate(units, start=1):
        if u["kind"] == "school":
            by_dl.setdefault((u["district"], u["level"]), []).append(uid)
            by_d.setdefault(u["district"], []).append(uid)
    return Audience(phong=[i for i, u in enumerate(units, 1) if u["kind"] == "phong_gddt"],
                    province_schools=[i for i, u in enumerate(units, 1) if u["level"] == "THPT"],
                    by_district_level=by_dl, by_district=by_d, all_ids=list(range(1, len(units) + 1)))


# ------------------------------------------------------------------ rows

class Keys:
    """search_key of the pieces texts are made of, computed once."""

    def __init__(self) -> None:
        self._memo: dict[str, str] = {}

    def __call__(self, text: str | None) -> str:
        if text is None:
            return ""
        key = self._memo.get(text)
        if key is None:
            key = self._memo[text] = search_key(text).strip()
        return key


def join_keys(*keys: str) -> str:
    words = " ".join(k for k in keys if k)
    return f" {words} " if words else " "


@dataclass
class Sizes:
    dispatches: int
    tasks: int
    units: int


def tasks_per_dispatch(sizes: Sizes, rng: random.Random) -> list[int]:
    """How many tasks each dispatch has: 1 to ~25, summing to exactly `sizes.tasks`."""
    mean = sizes.tasks / sizes.dispatches
    counts = [max(1, min(int(rng.expovariate(1 / mean)) + 1, int(mean * 4))) for _ in range(sizes.dispatches)]
    diff = sizes.tasks - sum(counts)
    i = 0
    while diff:
        j = i % sizes.dispatches
        step = 1 if diff > 0 else -1
        if counts[j] + step >= 1:
            counts[j] += step
            diff -= step
        i += 1
    return counts


def _status(due: str | None, rng: random.Random) -> str:
    """Old tasks are mostly done; tasks still to come mostly open."""
    r = rng.random()
    if due is not None and due < TODAY.isoformat():
        return "done" if r < 0.86 else "cancelled" if r < 0.89 else "in_progress" if r < 0.93 else "open"
    return "open" if r < 0.70 else "in_progress" if r < 0.92 else "done"


@dataclass
class Generated:
    dispatches: int = 0
    tasks: int = 0
    assignments: int = 0
    references: int = 0
    recipients: int = 0
    sample_number: str = ""


def generate(conn: sqlite3.Connection, sizes: Sizes, rng: random.Random) -> Generated:
    units = make_units(sizes.units, rng)
    insert_units(conn, units)
    aud = audience(units)
    key = Keys()
    all_issuers = issuers()
    weights = [i.weight for i in all_issuers]
    centrals = central_documents(rng)
    central_weights = [1 / (r + 1) ** 1.1 for r in range(len(centrals))]
    counts = tasks_per_dispatch(sizes, rng)
    span = (TODAY - FIRST_DAY).days
    days = sorted(rng.randrange(span + 1) for _ in range(sizes.dispatches))
    serials: dict[tuple[str, int], int] = {}
    recent_so: list[tuple[int, str, str]] = []    # (id, number, date) of the Sở's latest dispatches
    out = Generated()
    buf: dict[str, list[tuple]] = {t: [] for t in ("dispatches", "tasks", "task_assignments",
                                                   "dispatch_references", "recipients", "source_files")}
    task_id = assignment_id = ref_id = recipient_id = 0
    for did in range(1, sizes.dispatches + 1):
        who = rng.choices(all_issuers, weights=weights)[0]
        issued = FIRST_DAY + timedelta(days=days[did - 1])
        year = issued.year
        serials[(who.prefix, year)] = serial = serials.get((who.prefix, year), 0) + rng.randint(1, 4)
        dept = rng.choice(DEPARTMENTS)
        number = f"{serial}/{who.prefix}-{dept}"
        subject = rng.choice(SUBJECTS)
        unit_ids, via = aud.pick(who, rng)
        addressee = via if via != "Kính gửi" else "Các đơn vị có tên trong danh sách"
        # references: central documents (a few cited very often) and, for the Phòng, a recent Sở dispatch
        refs = [rng.choices(centrals, weights=central_weights)[0] + (None,) for _ in range(rng.choice((0, 1, 1, 2, 3)))]
        if who.audience == "district" and recent_so and rng.random() < 0.4:
            target = rng.choice(recent_so[-30:])
            refs.append(("Công văn", target[1], target[2], target[0]))
        refs = list({r[1]: r for r in refs}.values())
        lines, task_records = [], []
        for position in range(counts[did - 1]):
            task_id += 1
            verb, obj, scope = rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(SCOPES)
            roll = rng.random()
            due_date = recurrence = deadline_text = None
            if roll < 0.68:
                due = issued + timedelta(days=rng.randint(5, 75))
                due_date, deadline_text = due.isoformat(), f"trước ngày {due.day:02d}/{due.month:02d}/{due.year}"
            elif roll < 0.73:
                due = issued + timedelta(days=rng.randint(20, 60))
                due_date, deadline_text = f"{due.year}-{due.month:02d}", f"trong tháng {due.month}/{due.year}"
            elif roll < 0.83:
                recurrence = rng.choice(("monthly", "quarterly", "semiannual", "yearly"))
            text = f"{position + 1}. {verb} {obj} {scope}" + (f" {deadline_text}" if deadline_text else "") + "."
            text_search = join_keys(str(position + 1), key(verb), key(obj), key(scope), key(deadline_text))
            last_day = due_by(due_date)
            status = _status(last_day, rng)
            buf["tasks"].append((task_id, did, position, text, text_search, verb, addressee, None, due_date,
                                 last_day, recurrence, deadline_text, 0, len(text), status, None, NOW, NOW))
            for unit_id in unit_ids:
                assignment_id += 1
                unit_status = status if status in ("done", "cancelled") else _status(last_day, rng) \
                    if rng.random() < 0.3 else status
                buf["task_assignments"].append((assignment_id, task_id, unit_id, unit_status, via, NOW))
            lines.append(text)
            task_records.append({"text": text, "assignees": [addressee], "span": [0, len(text)],
                                 "deadline": {"date": due_date, "recurrence": recurrence, "text": deadline_text}})
        body = "\n".join([f"Số: {number}", subject, f"Kính gửi: {addressee}", BOILERPLATE, *lines, CLOSING])
        text_search = join_keys(search_key(number).strip(), "cong van", key(who.issuer), key(who.parent),
                                key(subject), "so", search_key(number).strip(), key(subject),
                                key(f"Kính gửi: {addressee}"), key(BOILERPLATE),
                                *(t[4].strip() for t in buf["tasks"][-len(lines):]), key(CLOSING))
        record = {"doc_type": "Công văn", "number": number, "issued_date": issued.isoformat(),
                  "issuer": who.issuer, "parent_issuer": who.parent, "subject": subject,
                  "recipients": [{"name": addressee, "role": "to"}],
                  "references": [{"doc_type": r[0], "number": r[1], "date": r[2]} for r in refs],
                  "tasks": task_records}
        doc_key = f"{number_key(number)}|{key(who.issuer)}|{year}"
        buf["dispatches"].append((did, "Công văn", number, number_key(number), doc_key, issued.isoformat(),
                                  "Khánh Hòa", who.issuer, who.parent, subject, body, text_search,
                                  json.dumps(record, ensure_ascii=False), VERSION, NOW, NOW))
        for position, r in enumerate(refs):
            ref_id += 1
            buf["dispatch_references"].append((ref_id, did, position, r[0], r[1], number_key(r[1]), r[2],
                                               r[3]))
        recipient_id += 1
        buf["recipients"].append((recipient_id, did, 0, addressee, "to", len(unit_ids)))
        buf["source_files"].append((did, f"{did:064x}", f"cv-{did}.pdf", f"/srv/congvan/inbox/cv-{did}.pdf",
                                    "application/pdf", len(body) * 3, "stored", did, NOW, NOW))
        if who.prefix == "SGDĐT":
            recent_so.append((did, number, issued.isoformat()))
        if len(buf["tasks"]) >= CHUNK:
            flush(conn, buf)
        if did == sizes.dispatches // 2:
            out.sample_number = number
    flush(conn, buf)
    out.dispatches, out.tasks, out.assignments = sizes.dispatches, task_id, assignment_id
    out.references, out.recipients = ref_id, recipient_id
    return out


INSERTS = {
    "dispatches": "INSERT INTO dispatches (id, doc_type, number, number_key, doc_key, issued_date, place, issuer, "
                  "parent_issuer, subject, text, text_search, record, extractor_version, extracted_at, created_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "tasks": "INSERT INTO tasks (id, dispatch_id, position, text, text_search, action, assignees, report_to, "
             "due_date, due_by, recurrence, deadline_text, span_start, span_end, status, assigned_to, "
             "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "task_assignments": "INSERT INTO task_assignments (id, task_id, unit_id, status, via, updated_at) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
    "dispatch_references": "INSERT INTO dispatch_references (id, dispatch_id, position, doc_type, number, "
                           "number_key, date, target_dispatch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "recipients": "INSERT INTO recipients (id, dispatch_id, position, name, role, unit_count) "
                  "VALUES (?, ?, ?, ?, ?, ?)",
    "source_files": "INSERT INTO source_files (id, sha256, original_name, path, media_type, size, status, "
                    "dispatch_id, received_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
}


def flush(conn: sqlite3.Connection, buf: dict[str, list[tuple]]) -> None:
    for table in ("dispatches", "tasks", "task_assignments", "dispatch_references", "recipients", "source_files"):
        if buf[table]:
            conn.executemany(INSERTS[table], buf[table])
            buf[table].clear()


def insert_units(conn: sqlite3.Connection, units: list[dict]) -> None:
    from pipeline.store.repository import name_key

    conn.executemany(
        "INSERT INTO units (id, code, name, name_search, kind, level, district, province, email, parent_code, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(i, u["code"], u["name"], name_key(u["name"]), u["kind"], u["level"], u["district"], u["province"],
          u["email"], u["parent_code"], NOW) for i, u in enumerate(units, start=1)])


# ------------------------------------------------------------------ building

@dataclass
class Build:
    path: str
    seconds: float
    load_s: float
    index_s: float
    size_mb: float
    counts: dict = field(default_factory=dict)
    sample_number: str = ""


def _schema_objects(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(type, name, sql) of the indexes and triggers the migrations made (not the automatic ones)."""
    return conn.execute("SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
                        "AND sql IS NOT NULL ORDER BY type DESC, name").fetchall()


def _fts_tables(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                       "AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%'")]


def build_store(folder: Path, sizes: Sizes, seed: int) -> Build:
    from pipeline.store.db import DB_FILE, Store

    path = folder / DB_FILE
    start = time.perf_counter()
    Store.open(f"sqlite:///{path}").close()                  # the migrated, empty schema
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -262144")              # 256 MB while loading
    objects = _schema_objects(conn)
    for kind, name, _ in objects:
        conn.execute(f'DROP {kind.upper()} "{name}"')
    conn.execute("BEGIN")
    made = generate(conn, sizes, random.Random(seed))
    conn.execute("COMMIT")
    load_s = time.perf_counter() - start
    conn.execute("BEGIN")
    for _, _, sql in sorted(objects, key=lambda o: o[0] != "index"):
        conn.execute(sql)
    for table in _fts_tables(conn):
        conn.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    seconds = time.perf_counter() - start
    counts = {"units": sizes.units, "dispatches": made.dispatches, "tasks": made.tasks,
              "task_assignments": made.assignments, "dispatch_references": made.references,
              "recipients": made.recipients}
    return Build(str(path), round(seconds, 1), round(load_s, 1), round(seconds - load_s, 1),
                 round(path.stat().st_size / 2**20, 1), counts, made.sample_number)


# ------------------------------------------------------------------ the queries

PAGE = 100   # rows an analyst sees at once (Datasette's page, a screen of `congvan tasks`)


@dataclass(frozen=True)
class Query:
    name: str
    kind: str            # "filtered" (a task filter: the ≤ 100 ms target), "text" or "show"
    call: str            # how an analyst writes it
    run: Callable[[int | None], list]   # (limit) → the rows
    pages: bool = True   # False: the query has its own limit (search, show)


def analyst_queries(store, sample_number: str) -> list[Query]:
    from pipeline.query import make_filter, query_tasks, search, task_rows
    from pipeline.store import repository as repo

    today = TODAY.isoformat()
    month = (TODAY + timedelta(days=30)).isoformat()
    rare = f"trước ngày 15/03/{TODAY.year - 7}"

    def rows(**filters) -> Callable[[int | None], int]:
        return lambda limit: task_rows(store, limit=limit, today=today, **filters)

    def show(_limit) -> list:   # what `congvan show NUMBER` reads
        with store.session() as session:
            rows = []
            for d in repo.find_dispatches(session, sample_number):
                rows += query_tasks(session, make_filter(dispatch_id=d.id))
                repo.source_of(session, d.id)
                _ = (d.record, d.recipients, d.references)    # what the printout shows
            return rows

    school = "Trường Mầm non Hoa Sen"
    return [
        Query("by school", "filtered", f"tasks --school {school!r}", rows(school=school)),
        Query("by school, overdue", "filtered", f"tasks --school {school!r} --overdue",
              rows(school=school, overdue=True)),
        Query("by status", "filtered", "tasks --status in_progress", rows(status="in_progress")),
        Query("overdue", "filtered", "tasks --overdue", rows(overdue=True)),
        Query("due before", "filtered", f"tasks --due-before {today}", rows(due_before=today)),
        Query("due after", "filtered", f"tasks --due-after {today}", rows(due_after=today)),
        Query("due in the next 30 days", "filtered", f"tasks --due-after {today} --due-before {month}",
              rows(due_after=today, due_before=month)),
        Query("by issuer", "filtered", "tasks --issuer 'UBND huyện Diên Khánh'",
              rows(issuer="UBND huyện Diên Khánh")),
        Query("by issuer, the Sở", "filtered", "tasks --issuer 'Sở Giáo dục và Đào tạo'",
              rows(issuer="Sở Giáo dục và Đào tạo")),
        Query("by referenced document", "filtered", "tasks --references 'Chỉ thị 46-CT/TW'",
              rows(references="Chỉ thị 46-CT/TW")),
        Query("tasks --text, common phrase", "text", "tasks --text 'phong chong ma tuy'",
              rows(text="phong chong ma tuy")),
        Query("tasks --text, rare phrase", "text", f"tasks --text {rare!r}", rows(text=rare)),
        Query("search, common phrase", "text", "search 'an ninh trat tu'",
              lambda _limit: search("an ninh trat tu", store), pages=False),
        Query("search, rare phrase", "text", f"search {rare!r}", lambda _limit: search(rare, store), pages=False),
        Query("show one dispatch", "show", f"show {sample_number}", show, pages=False),
    ]


@dataclass
class Timing:
    name: str
    kind: str
    call: str
    rows: int                     # all the rows the query returns
    p50_ms: float                 # the first page (PAGE rows), or the whole query when it has its own limit
    p95_ms: float
    max_ms: float
    runs: int
    all_p50_ms: float | None      # every row (what `congvan tasks` prints today)
    all_p95_ms: float | None
    all_runs: int
    page_is_head: bool | None     # the page equals the first PAGE rows of the whole result


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered), -(-len(ordered) * p // 100)) - 1)]


BUDGET_S = 30.0   # a slow query stops after this long, once it has MIN_RUNS runs
MIN_RUNS = 10


def _times(q: Query, limit: int | None, runs: int) -> tuple[list[float], list]:
    rows: list = []
    for _ in range(2):                       # warm-up: caches, the first session
        rows = q.run(limit)
    times: list[float] = []
    while len(times) < runs and (len(times) < MIN_RUNS or sum(times) < BUDGET_S * 1000):
        start = time.perf_counter()
        rows = q.run(limit)
        times.append((time.perf_counter() - start) * 1000)
    return times, rows


def time_query(q: Query, runs: int, all_runs: int) -> Timing:
    page, rows = _times(q, PAGE if q.pages else None, runs)
    every, all_rows = _times(q, None, min(all_runs, MIN_RUNS)) if q.pages and all_runs else ([], rows)
    return Timing(q.name, q.kind, q.call, len(all_rows if every else rows), round(statistics.median(page), 1),
                  round(percentile(page, 95), 1), round(max(page), 1), len(page),
                  round(statistics.median(every), 1) if every else None,
                  round(percentile(every, 95), 1) if every else None, len(every),
                  rows == all_rows[:PAGE] if every else None)


# ------------------------------------------------------------------ report

def run(sizes: Sizes, runs: int, all_runs: int, folder: Path, seed: int, only: list[str] | None = None) -> dict:
    from pipeline.store.db import Store

    build = build_store(folder, sizes, seed)
    store = Store.open(f"sqlite:///{build.path}")
    load_before = os.getloadavg()[0]
    try:
        queries = [q for q in analyst_queries(store, build.sample_number) if not only or q.name in only]
        timings = [time_query(q, runs, all_runs) for q in queries]
    finally:
        store.close()
    load = (round(load_before, 2), round(os.getloadavg()[0], 2))
    filtered = [t for t in timings if t.kind == "filtered"]
    return {"build": asdict(build), "page": PAGE, "runs": runs, "all_runs": min(all_runs, MIN_RUNS),
            "today": TODAY.isoformat(),
            "timings": [asdict(t) for t in timings],
            "filtered_p95_max_ms": max((t.p95_ms for t in filtered), default=None),
            "sqlite": sqlite3.sqlite_version, "python": platform.python_version(), "cpus": os.cpu_count(),
            "load_average": load}


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def render(r: dict) -> str:
    b = r["build"]
    c = b["counts"]
    lines = [f"store: {c['dispatches']:,} dispatches, {c['tasks']:,} tasks, {c['task_assignments']:,} assignments, "
             f"{c['units']} units, {c['dispatch_references']:,} references — built in {b['seconds']} s "
             f"(load {b['load_s']} s, indexes {b['index_s']} s), {b['size_mb']:,.1f} MB",
             f"today = {r['today']}; SQLite {r['sqlite']}; 'page' = the first {r['page']} rows "
             f"('runs' of it: {r['runs']}, fewer for a query past {BUDGET_S:.0f} s), 'all' = every row "
             f"({r['all_runs']} runs); search and show have their own limits; ms, after 2 warm-up runs",
             f"{r['cpus']} CPUs, load average {r['load_average'][0]} before the queries and "
             f"{r['load_average'][1]} after (other work on the machine shows in p95)"]
    rows = [("query", "kind", "rows", "page p50", "page p95", "runs", "all p50", "all p95", "as the CLI")]
    rows += [(t["name"], t["kind"], f"{t['rows']:,}", _ms(t["p50_ms"]), _ms(t["p95_ms"]), str(t["runs"]),
              _ms(t["all_p50_ms"]), _ms(t["all_p95_ms"]), t["call"]) for t in r["timings"]]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines += ["  ".join(c.rjust(w) if 2 <= i <= 7 else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip()
              for row in rows]
    wrong = [t["name"] for t in r["timings"] if t["page_is_head"] is False]
    if wrong:
        lines.append(f"WRONG: the first page differs from the head of all rows for {', '.join(wrong)}")
    if r["filtered_p95_max_ms"] is not None:
        verdict = "meets" if r["filtered_p95_max_ms"] <= 100 else "MISSES"
        lines.append(f"filtered task queries, first page: worst p95 {r['filtered_p95_max_ms']:.1f} ms "
                     f"({verdict} the ≤ 100 ms target)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dispatches", type=int, default=100_000, help="dispatches to generate (100,000)")
    parser.add_argument("--tasks", type=int, default=1_000_000, help="tasks to generate (1,000,000)")
    parser.add_argument("--units", type=int, default=500, help="registry units (500)")
    parser.add_argument("--runs", type=int, default=50, help="timed runs of each query's first page (50)")
    parser.add_argument("--all-runs", type=int, default=MIN_RUNS,
                        help=f"timed runs of each query returning every row ({MIN_RUNS} at most; 0: skip)")
    parser.add_argument("--seed", type=int, default=4, help="random seed")
    parser.add_argument("--query", action="append", help="only this query (repeatable)")
    parser.add_argument("--dir", type=Path, help="build the store here (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the store (its path is printed)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if args.tasks < args.dispatches:
        parser.error("--tasks must be at least --dispatches (every dispatch has a task)")
    folder = Path(tempfile.mkdtemp(prefix="congvan-bench-", dir=args.dir))
    try:
        result = run(Sizes(args.dispatches, args.tasks, args.units), max(1, args.runs), max(0, args.all_runs),
                     folder, args.seed, args.query)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else render(result))
    if args.keep:
        print(f"kept: {folder}", file=sys.stderr)


if __name__ == "__main__":
    main()
