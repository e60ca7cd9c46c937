"""The review page's access rules and forms, in process (FastAPI's TestClient) and, once, as a real
`congvan review --host 0.0.0.0` server: login beyond loopback, CSRF on every change, the audit log."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pipeline import review as rv
from pipeline.auth import add_user, authenticate, hash_password, verify_password
from pipeline.ingest import ingest_path
from pipeline.store import repository as repo
from pipeline.store.db import Store
from pipeline.store.models import AuditEntry, Task
from pipeline.web.app import WebSettings, create_app

REPO = Path(__file__).resolve().parents[2]
S01 = REPO / "samples" / "s01_phong-gddt-antq-truong-hoc.txt"
REGISTRY = REPO / "samples" / "registry" / "khanh-hoa.csv"
PASSWORD = "mật-khẩu-dài-123"


@pytest.fixture
def store(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    with store.session() as session:
        repo.upsert_units(session, repo.read_registry_csv(REGISTRY))
        add_user(session, "lan", PASSWORD)
    assert ingest_path(S01, store, auto_approve=2.0).outcome.value == "stored"
    yield store
    store.close()


def client(store, tmp_path, host: str = "127.0.0.1", **kw) -> TestClient:
    app = create_app(store, WebSettings(home=tmp_path, host=host, reviewer="co-lan", **kw))
    return TestClient(app, base_url="http://testserver")


def token(page_html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page_html).group(1)


def first_task(store) -> Task:
    with store.session() as session:
        return rv.get_dispatch(session, 1).tasks[0]


# ---------------------------------------------------------------- passwords

def test_passwords_are_salted_scrypt_and_checked():
    one, two = hash_password(PASSWORD), hash_password(PASSWORD)
    assert one != two and one.startswith("scrypt$") and PASSWORD not in one
    assert verify_password(PASSWORD, one) and verify_password(PASSWORD, two)
    assert not verify_password(PASSWORD + "x", one)
    assert not verify_password(PASSWORD, "md5$abc") and not verify_password(PASSWORD, "garbage")


def test_authenticate_only_active_users_with_the_right_password(store):
    with store.session() as session:
        assert authenticate(session, "lan", PASSWORD).username == "lan"
        assert authenticate(session, "lan", "wrong-password") is None
        assert authenticate(session, "nobody", PASSWORD) is None
        from pipeline.auth import AuthError, set_active
        set_active(session, "lan", False)
        assert authenticate(session, "lan", PASSWORD) is None
        with pytest.raises(AuthError):
            add_user(session, "lan", "short")
        with pytest.raises(AuthError):
            add_user(session, "two words", PASSWORD)


# ---------------------------------------------------------------- loopback: no login, CSRF still

def test_on_loopback_the_queue_and_page_need_no_login(store, tmp_path):
    web = client(store, tmp_path)
    queue = web.get("/review")
    assert queue.status_code == 200 and "/review/1" in queue.text
    page = web.get("/review/1")
    assert page.status_code == 200 and 'id="source-text"' in page.text and "Kính gửi" in page.text
    assert 'class="task"' in page.text or 'class="task ' in page.text
    assert "Gửi tới 21 đơn vị" in page.text  # s01's tasks reach the 21 schools of huyện Diên Khánh


@pytest.mark.parametrize("case, data, headers", [
    ("no token", {"due_date": "2019-07-20"}, {}),
    ("wrong token", {"due_date": "2019-07-20", "csrf_token": "forged"}, {}),
    ("token of another session", {"due_date": "2019-07-20", "csrf_token": "OTHER"}, {}),
    ("cross-site origin", {"due_date": "2019-07-20", "csrf_token": "OWN"}, {"Origin": "http://evil.example"}),
])
def test_a_change_without_its_csrf_token_is_refused(store, tmp_path, case, data, headers):
    web = client(store, tmp_path)
    own = token(web.get("/review/1").text)
    other = token(client(store, tmp_path).get("/review/1").text)
    data = {k: {"OWN": own, "OTHER": other}.get(v, v) for k, v in data.items()}
    task = first_task(store)
    response = web.post(f"/review/1/tasks/{task.id}", data=data, headers=headers, follow_redirects=False)
    assert response.status_code == 403, case
    assert first_task(store).due_date == task.due_date
    with store.session() as session:
        assert rv.audit_trail(session, 1) == []


def test_a_change_with_its_token_is_saved_and_audited_with_who_and_where(store, tmp_path):
    web = client(store, tmp_path)
    task = first_task(store)
    response = web.post(f"/review/1/tasks/{task.id}", data={"due_date": "2019-07-20", "csrf_token": token(
        web.get("/review/1").text)}, headers={"Origin": "http://testserver"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/review/1#task-{task.id}"
    assert first_task(store).due_date == "2019-07-20"
    with store.session() as session:
        [entry] = rv.audit_trail(session, 1)
    assert (entry.actor, entry.action, entry.field, entry.new_value, entry.remote) == \
        ("co-lan", "correct_task", "due_date", {"value": "2019-07-20"}, "testclient")
    assert entry.at


def test_a_wrong_value_is_not_saved_and_the_page_says_why(store, tmp_path):
    web = client(store, tmp_path)
    task = first_task(store)
    page = web.post(f"/review/1/tasks/{task.id}", data={"due_date": "20/7/2019", "csrf_token": token(
        web.get("/review/1").text)}, follow_redirects=True)
    assert page.status_code == 200 and "not a date" in page.text
    assert first_task(store).due_date == task.due_date


# ---------------------------------------------------------------- beyond loopback: login

@pytest.mark.parametrize("method, path", [
    ("GET", "/review"), ("GET", "/review/1"), ("GET", "/review/1/page/0.png"),
    ("POST", "/review/1/approve"), ("POST", "/review/1/tasks"),
])
def test_beyond_loopback_requests_without_a_session_are_refused(store, tmp_path, method, path):
    web = client(store, tmp_path, host="0.0.0.0")
    login = web.get("/login")  # a session with a CSRF token, but nobody logged in
    response = web.request(method, path, data={"csrf_token": token(login.text)} if method == "POST" else None,
                           follow_redirects=False)
    if method == "GET":
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
    else:
        assert response.status_code == 401
    with store.session() as session:
        assert rv.get_dispatch(session, 1).review_status == "pending"


def test_login_then_review_then_logout(store, tmp_path):
    web = client(store, tmp_path, host="0.0.0.0")
    form = token(web.get("/login").text)
    bad = web.post("/login", data={"username": "lan", "password": "nope-nope", "csrf_token": form})
    assert bad.status_code == 401 and "wrong user name or password" in bad.text
    no_token = web.post("/login", data={"username": "lan", "password": PASSWORD}, follow_redirects=False)
    assert no_token.status_code == 403
    ok = web.post("/login", data={"username": "lan", "password": PASSWORD, "csrf_token": form,
                                  "next": "/review/1"}, follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == "/review/1"
    page = web.get("/review/1")
    assert page.status_code == 200 and "lan" in page.text
    approve = web.post("/review/1/approve", data={"csrf_token": token(page.text)}, follow_redirects=False)
    assert approve.status_code == 303
    with store.session() as session:
        row = rv.get_dispatch(session, 1)
        assert (row.review_status, row.reviewed_by) == ("approved", "lan")
        actions = [e.action for e in session.query(AuditEntry).order_by(AuditEntry.id)]
    assert actions == ["login", "approve"]
    web.post("/logout", data={"csrf_token": token(web.get("/review").text)})
    assert web.get("/review", follow_redirects=False).status_code == 303


def test_login_can_be_required_on_loopback_too(store, tmp_path):
    web = client(store, tmp_path, force_login=True)
    assert web.get("/review", follow_redirects=False).status_code == 303


# ---------------------------------------------------------------- the real server

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_server_bound_beyond_loopback_refuses_without_a_user_then_asks_for_login(tmp_path):
    congvan = REPO / ".venv" / "bin" / "congvan"
    if not congvan.exists():
        pytest.skip("the console script is installed by setup.sh")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONGVAN_")}
    env["CONGVAN_HOME"] = str(tmp_path / "home")
    port = str(_free_port())
    refused = subprocess.run([str(congvan), "review", "--host", "0.0.0.0", "--port", port], env=env,
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "congvan user add" in refused.stderr
    added = subprocess.run([str(congvan), "user", "add", "lan", "--password-stdin"], input=PASSWORD + "\n",
                           env=env, capture_output=True, text=True, timeout=120)
    assert added.returncode == 0, added.stderr
    server = subprocess.Popen([str(congvan), "review", "--host", "0.0.0.0", "--port", port], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2).close()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "the server did not start"
                time.sleep(0.3)

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None
        opener = urllib.request.build_opener(NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as got:
            opener.open(f"http://127.0.0.1:{port}/review", timeout=5)
        assert got.value.code == 303 and got.value.headers["location"].startswith("/login")
        with pytest.raises(urllib.error.HTTPError) as posted:
            opener.open(urllib.request.Request(f"http://127.0.0.1:{port}/review/1/approve", data=b"x=1"), timeout=5)
        assert posted.value.code in (401, 403)
    finally:
        server.terminate()
        server.wait(timeout=20)
