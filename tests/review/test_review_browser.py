"""End to end through a real browser: ingest s01 with the gate closed, review it in headless Chromium
(Playwright driving Debian's chromium), correct a deadline, reject a task, add a missed one by
selecting its text, approve; then the nightly Prefect flow writes the school's list: the corrected
deadline is in its tasks.ics and the rejected task is in no file of the outbox."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CONGVAN = REPO / ".venv" / "bin" / "congvan"
S01 = REPO / "samples" / "s01_phong-gddt-antq-truong-hoc.txt"
REGISTRY = REPO / "samples" / "registry" / "khanh-hoa.csv"
SCHOOL = "DK-MN-HOASEN"          # a Mầm non school of huyện Diên Khánh, addressed by s01
DAY = "2019-07-01"
NEW_DEADLINE = "2019-07-20"

playwright = pytest.importorskip("playwright.sync_api")


def chromium() -> str:
    path = os.environ.get("CONGVAN_TEST_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.skip("no chromium (setup.sh installs Debian's)")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(env: dict, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    command = [str(CONGVAN), *args] if CONGVAN.exists() else [sys.executable, "-m", "pipeline.cli", *args]
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, cwd=REPO)
    assert run.returncode == 0, run.stderr
    return run


def wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped: {process.stderr.read()}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in {seconds} s")


@pytest.fixture
def env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONGVAN_", "PREFECT_"))}
    env.update(CONGVAN_HOME=str(tmp_path / "home"), CONGVAN_AUTO_APPROVE="off", PYTHONUNBUFFERED="1",
               PREFECT_HOME=str(tmp_path / "prefect"), PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="90",
               PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_LOGGING_LEVEL="WARNING")
    return env


@pytest.fixture
def server(env):
    port = free_port()
    command = [str(CONGVAN), "review", "--port", str(port), "--user", "co-lan"]
    process = subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(f"http://127.0.0.1:{port}/review", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


def outbox_texts(root: Path) -> str:
    """Every task text written for any unit: the .ics, the .xlsx cells and the .docx paragraphs."""
    import docx
    from icalendar import Calendar
    from openpyxl import load_workbook

    texts = []
    for path in root.rglob("*"):
        if path.suffix == ".ics":
            calendar = Calendar.from_ical(path.read_bytes())
            texts += [str(c.get("description", "")) + str(c.get("summary", "")) for c in calendar.walk()]
        elif path.suffix == ".xlsx":
            texts += [str(v) for row in load_workbook(path).active.iter_rows(values_only=True) for v in row if v]
        elif path.suffix == ".docx":
            document = docx.Document(str(path))
            texts += [p.text for p in document.paragraphs]
            texts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join(" ".join(t.split()) for t in texts)


def test_review_correct_approve_then_nightly_sends_the_correction(env, server, tmp_path):
    from icalendar import Calendar
    from playwright.sync_api import expect, sync_playwright

    cli(env, "registry", "load", str(REGISTRY))
    ingested = cli(env, "ingest", str(S01)).stdout
    assert "\tstored\t" in ingested or ingested.startswith("stored"), ingested

    # before review: nothing for the school
    cli(env, "nightly", "--date", DAY, "--no-mail")
    assert not (tmp_path / "home" / "outbox" / DAY / SCHOOL).exists()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), headless=True)
        page = browser.new_page()
        page.goto(f"{server}/review")
        expect(page.locator("table.queue")).to_contain_text("Công văn")
        page.locator("table.queue a").first.click()
        expect(page.locator("#source-text")).to_contain_text("Kính gửi")

        cards = page.locator("article.task")
        assert cards.count() >= 3
        first, second = cards.nth(0), cards.nth(1)
        first_text = first.locator("textarea[name=text]").input_value()
        rejected_text = second.locator("textarea[name=text]").input_value()
        first_id = first.get_attribute("id")

        # correct the first task's deadline
        first.locator("input[name=due_date]").fill(NEW_DEADLINE)
        first.get_by_role("button", name="Lưu nhiệm vụ").click()
        expect(page.locator(f"#{first_id} input[name=due_date]")).to_have_value(NEW_DEADLINE)

        # reject the second
        page.locator("article.task").nth(1).get_by_role("button", name="Loại nhiệm vụ").click()
        expect(page.locator("article.task.rejected")).to_have_count(1)

        # add a missed task by selecting its text in the source (the last sentence before "Nơi nhận")
        source = page.locator("#source-text").inner_text()
        missed = "Đề nghị các trường triển khai thực hiện"
        start = source.find(missed)
        assert start >= 0
        page.evaluate("""([start, end]) => {
            const pre = document.getElementById('source-text');
            const spans = [...pre.children];
            const locate = (offset) => {
              const span = spans.filter(s => Number(s.dataset.s) <= offset).pop();
              return [span.firstChild, offset - Number(span.dataset.s)];
            };
            const range = document.createRange();
            range.setStart(...locate(start)); range.setEnd(...locate(end));
            const sel = document.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        }""", [start, start + len(missed)])
        expect(page.locator("#add-task .selection")).to_have_text(missed)
        before = page.locator("article.task").count()
        page.get_by_role("button", name="Thêm nhiệm vụ").click()
        expect(page.locator("article.task")).to_have_count(before + 1)

        page.get_by_role("button", name="Duyệt (approve)").click()
        expect(page.locator("h1 .badge")).to_contain_text("approved")
        expect(page.locator("details table.trail")).to_contain_text("co-lan")
        browser.close()

    # the nightly Prefect flow (a temporary Prefect server in its own process)
    flow = subprocess.run(
        [sys.executable, "-c", f"from flows.nightly import nightly; nightly(day={DAY!r}, mail=False)"],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert flow.returncode == 0, flow.stderr[-3000:]

    root = tmp_path / "home" / "outbox" / DAY
    ics = root / SCHOOL / "tasks.ics"
    assert ics.is_file(), sorted(p.name for p in root.iterdir())
    todos = [c for c in Calendar.from_ical(ics.read_bytes()).walk() if c.name in ("VEVENT", "VTODO")]
    corrected = [c for c in todos if " ".join(first_text.split())[:40] in " ".join(str(c.get("description", "")).split())]
    assert corrected, [str(c.get("summary")) for c in todos]
    dates = {c.decoded(key).isoformat()[:10] for c in corrected for key in ("dtstart", "due") if c.get(key)}
    assert NEW_DEADLINE in dates
    written = outbox_texts(root)
    assert " ".join(rejected_text.split())[:60] not in written
