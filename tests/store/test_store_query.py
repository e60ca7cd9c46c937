"""The analysts' questions on a small store: filters, per-school rows, overdue, references walked
through stored dispatches, full-text search with or without accents, status changes and history."""
from __future__ import annotations

import pytest

from pipeline.query import QueryError, search, task_rows, tasks_frame
from pipeline.store import repository as repo
from storekit import case, dispatch, dispatch_text

V = "test-v1"
# the Sở's dispatch, citing Chỉ thị 46-CT/TW
SO = dispatch("2094/SGDĐT-HSSV", issued="2018-09-04", issuer="Sở Giáo dục và Đào tạo", parent="UBND tỉnh Khánh Hòa",
              place="Khánh Hòa", subject="đẩy mạnh phong trào toàn dân bảo vệ ANTQ trong nhà trường",
              to=("Các phòng giáo dục và đào tạo", "Các đơn vị trực thuộc Sở"),
              refs=[("Chỉ thị", "46-CT/TW", "2015-06-22")],
              tasks=[("Các phòng GD&ĐT chỉ đạo các trường xây dựng kế hoạch.", ["Các phòng giáo dục và đào tạo"], "2018-09-30"),
                     ("Định kỳ hằng năm báo cáo về Sở.", ["các đơn vị trực thuộc"], None, "yearly")])
# the district's dispatch, implementing the Sở's (so it rests on 46-CT/TW through it)
PHONG = dispatch("512/PGDĐT-THCS", issued="2018-10-05", refs=[("Công văn", "2094/SGDĐT-HSSV", "2018-09-04")],
                 tasks=[("1. Rà soát phương án đảm bảo an ninh, trật tự trong nhà trường.", ["các trường"], "2018-10-20"),
                        ("2. Tuyên truyền phòng chống ma túy cho học sinh.", ["các trường"], "2018-11-30"),
                        ("3. Định kỳ hằng quý báo cáo kết quả.", ["các trường"], None, "quarterly")])
# s01 in shape: no header; addressed to the Mầm non, Tiểu học, THCS schools of "the district"
S01 = dispatch(None, issued=None, issuer=None, parent=None, place=None, subject=None,
               to=("Hiệu trưởng các trường Mầm non, Tiểu học, THCS trên địa bàn huyện",),
               refs=[("Chỉ thị", "09-CT/TW", "2011-12-01")],
               tasks=[("1. Tiếp tục quán triệt về đảm bảo an ninh trật tự.", ["các trường"]),
                      ("Đề nghị các trường triển khai thực hiện.", ["các trường"])])


@pytest.fixture
def data(registry_store):
    ids = {}
    with registry_store.session() as session:
        for name, record in (("so", SO), ("phong", PHONG), ("s01", S01)):
            ids[name] = repo.store_dispatch(session, record, text=dispatch_text(record), version=V).id
    return registry_store, ids


def texts(rows) -> list[str]:
    return [r["task"] for r in rows]


T_SO = [t.text for t in SO.tasks]
T_PHONG = [t.text for t in PHONG.tasks]
T_S01 = [t.text for t in S01.tasks]

FILTER_CASES = [
    case("all", {}, T_SO[:1] + T_PHONG[:2] + T_SO[1:] + T_PHONG[2:] + T_S01),
    case("school-by-name-s01-and-district", {"school": "Trường THCS Nguyễn Trãi"}, T_PHONG[:2] + T_PHONG[2:] + T_S01),
    case("school-without-accents", {"school": "thcs nguyen trai"}, T_PHONG + T_S01),
    case("mam-non-school-gets-only-s01", {"school": "Trường Mầm non Hoa Sen"}, T_S01),
    case("school-by-code", {"school": "DK-MN-HOASEN"}, T_S01),
    case("thpt-school-gets-the-so-yearly-report", {"school": "THPT Lý Tự Trọng"}, T_SO[1:]),
    case("unit-phong", {"unit": "PGDDT-DK"}, T_SO[:1]),
    case("unit-name-abbreviated", {"unit": "Phòng GD&ĐT Diên Khánh"}, T_SO[:1]),
    case("school-filter-ignores-non-schools", {"school": "PGDDT-DK"}, []),
    case("due-before-inclusive", {"due_before": "2018-10-20"}, T_SO[:1] + T_PHONG[:1]),
    case("due-after-inclusive", {"due_after": "2018-10-20"}, T_PHONG[:2]),
    case("overdue", {"overdue": True, "today": "2018-11-01"}, T_SO[:1] + T_PHONG[:1]),
    case("nothing-overdue-before-any-deadline", {"overdue": True, "today": "2018-09-01"}, []),
    case("issuer-words-without-accents", {"issuer": "huyen dien khanh"}, T_PHONG),
    case("issuer-of-the-so", {"issuer": "Sở Giáo dục"}, T_SO),
    case("issuer-abbreviation-written-out", {"issuer": "Ủy ban nhân dân huyện Diên Khánh"}, T_PHONG),
    case("references-walk-through-stored-dispatches", {"references": "Chỉ thị 46-CT/TW"}, T_SO[:1] + T_PHONG[:2] + T_SO[1:] + T_PHONG[2:]),
    case("references-direct-only", {"references": "09-CT/TW"}, T_S01),
    case("references-the-stored-dispatch-itself", {"references": "2094/SGDDT-HSSV"}, T_SO[:1] + T_PHONG[:2] + T_SO[1:] + T_PHONG[2:]),
    case("text-with-accents", {"text": "ma túy"}, T_PHONG[1:2]),
    case("text-without-accents", {"text": "an ninh trat tu"}, T_PHONG[:1] + T_S01[:1]),
    case("status", {"status": "done"}, []),
    case("combined", {"school": "Trường Tiểu học Diên An", "overdue": True, "today": "2018-12-31"}, T_PHONG[:2]),
]


@pytest.mark.parametrize("filters, expected", FILTER_CASES)
def test_task_filters(data, filters, expected):
    store, _ = data
    assert texts(task_rows(store, **filters)) == expected


def test_one_row_per_task_and_unit_with_a_unit_filter(data):
    store, ids = data
    rows = task_rows(store, school="Diên")  # every school with "Diên" in its name
    assert {r["unit_code"] for r in rows} >= {"DK-TH-DIENAN", "DK-MN-DIENPHU"}
    assert all(r["status"] == "open" for r in rows)
    per_task = {r["task"]: r["units"] for r in task_rows(store)}
    assert per_task[T_PHONG[0]] == 14 and per_task[T_S01[0]] == 21 and per_task[T_SO[0]] == 8


def test_status_changes_per_task_and_per_unit_with_history(data):
    store, ids = data
    with store.session() as session:
        first = next(r["task_id"] for r in task_rows(store) if r["task"] == T_PHONG[0])
        repo.set_task_status(session, first, "done", unit="Trường THCS Nguyễn Trãi", actor="Lan", note="đã nộp")
    assert texts(task_rows(store, school="Trường THCS Nguyễn Trãi", status="done")) == T_PHONG[:1]
    assert T_PHONG[0] not in texts(task_rows(store, school="THCS Nguyễn Trãi", overdue=True, today="2018-12-01"))
    assert T_PHONG[0] in texts(task_rows(store, school="THCS Lý Tự Trọng", overdue=True, today="2018-12-01"))
    with store.session() as session:
        repo.set_task_status(session, first, "cancelled")
        history = [(h.old_status, h.new_status, h.actor, h.assignment_id is not None)
                   for h in repo.task_history(session, first)]
    assert history == [("open", "done", "Lan", True), ("open", "cancelled", None, False)]
    # a cancelled task is cancelled for every school
    assert {r["status"] for r in task_rows(store, unit="Diên") if r["task"] == T_PHONG[0]} == {"cancelled"}
    assert T_PHONG[0] not in texts(task_rows(store, overdue=True, today="2018-12-01"))


@pytest.mark.parametrize("call, message", [
    case("unknown-task", lambda s: repo.set_task_status(s, 999_999, "done"), "no task #999999"),
    case("unit-not-assigned", lambda s: repo.set_task_status(s, 1, "done", unit="KH-THPT-LQD"), "not assigned to a unit"),
])
def test_status_change_errors(data, call, message):
    store, _ = data
    with pytest.raises(repo.NotFound, match=message), store.session() as session:
        call(session)


def test_bad_filters_are_refused(data):
    store, _ = data
    with pytest.raises(QueryError, match="status"):
        task_rows(store, status="finished")
    with pytest.raises(QueryError, match="due_before"):
        task_rows(store, due_before="20/10/2018")


@pytest.mark.parametrize("query", [case("without-accents", "an ninh trat tu"), case("with-accents", "an ninh trật tự"),
                                   case("upper-case-and-comma", "AN NINH, TRẬT TỰ")])
def test_search_finds_both_spellings(data, query):
    store, ids = data
    hits = {(h.kind, h.dispatch_id, h.task_id is not None) for h in search(query, store)}
    assert hits == {("dispatch", ids["phong"], False), ("dispatch", ids["s01"], False),
                    ("task", ids["phong"], True), ("task", ids["s01"], True)}
    snippet = next(h.snippet for h in search(query, store) if h.kind == "task" and h.dispatch_id == ids["s01"])
    assert "an ninh trật tự" in snippet


def test_search_whole_words_only(data):
    store, _ = data
    assert search("an nin", store) == []
    assert search("  ,, ", store) == []


def test_tasks_frame_has_fixed_columns_even_when_empty(data):
    store, _ = data
    frame = tasks_frame(store, school="Trường THCS Nguyễn Trãi")
    assert list(frame.columns)[:8] == ["task_id", "dispatch_id", "number", "issued_date", "issuer", "subject",
                                       "unit_code", "unit_name"]
    assert len(frame) == 5 and set(frame["unit_code"]) == {"DK-THCS-NGUYENTRAI"}
    empty = tasks_frame(store, text="không có cụm từ này")
    assert empty.empty and "units" in empty.columns


def test_reloading_the_registry_keeps_unit_statuses(data):
    from storekit import REGISTRY_CSV

    store, _ = data
    first = next(r["task_id"] for r in task_rows(store) if r["task"] == T_PHONG[0])
    with store.session() as session:
        repo.set_task_status(session, first, "done", unit="DK-TH-DIENAN")
    with store.session() as session:
        assert repo.upsert_units(session, repo.read_registry_csv(REGISTRY_CSV)) == (0, 48)
        repo.resolve_all(session)
    assert texts(task_rows(store, school="DK-TH-DIENAN", status="done")) == T_PHONG[:1]


@pytest.mark.parametrize("csv_text, message", [
    case("unknown-column", "code,name,kind,website\nX,Trường X,school,x.vn\n", "unknown \\['website'\\]"),
    case("bad-kind", "code,name,kind\nX,Trường X,university\n", "line 2: kind 'university'"),
    case("bad-level", "code,name,kind,level\nX,Trường X,school,Đại học\n", "line 2: level 'Đại học'"),
    case("missing-name", "code,name,kind\nX,,school\n", "line 2: code and name"),
])
def test_registry_csv_errors(tmp_path, csv_text, message):
    path = tmp_path / "units.csv"
    path.write_text(csv_text, encoding="utf-8")
    with pytest.raises(repo.RegistryFileError, match=message):
        repo.read_registry_csv(path)


def test_registry_levels_are_read_in_any_spelling(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("code,name,kind,level\nA,Trường A,school,MN\nB,Trường B,school,trung học cơ sở\n"
                    "C,Trường C,school,tieu hoc\n", encoding="utf-8")
    assert [r["level"] for r in repo.read_registry_csv(path)] == ["Mầm non", "THCS", "Tiểu học"]
