"""The review page (`congvan review`): server-rendered FastAPI + Jinja2, plain HTML forms
(post, then redirect back), one small script that turns a text selection into offsets.

    GET  /review                       the queue (?status=pending|approved|rejected)
    GET  /review/{id}                  source text with every span highlighted, the record beside it
    GET  /review/{id}/page/{n}.png     page n of the original (scans: the image the text was read from)
    POST /review/{id}/header           correct header fields
    POST /review/{id}/tasks            add a task from a selected span
    POST /review/{id}/tasks/{t}        correct a task; …/reject, …/restore, …/split, …/merge
    POST /review/{id}/approve|reject   release the dispatch's tasks, or none of them
    GET|POST /login, POST /logout

Every change goes through `pipeline.review` (one transaction, one audit entry per change).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from pipeline import review as rv
from pipeline.store import repository as repo
from pipeline.store.db import Store
from pipeline.store.models import RECURRENCES, ReviewStatus, TaskStatus
from pipeline.web.highlight import marks_of, segments
from pipeline.web.pages import PageError, page_png
from pipeline.web.security import (
    CSRF_FIELD,
    LOOPBACK,
    LoginRequired,
    checked_form,
    csrf_token,
    current_user,
    secret_key,
)

HERE = Path(__file__).parent
SESSION_COOKIE = "congvan_review"


@dataclass(frozen=True)
class WebSettings:
    home: Path
    host: str = "127.0.0.1"
    reviewer: str = "reviewer"     # who acts when no login is required
    force_login: bool = False
    secure_cookie: bool = False    # behind HTTPS


def create_app(store: Store, settings: WebSettings) -> FastAPI:
    app = FastAPI(title="congvan review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.store = store
    app.state.require_login = settings.force_login or settings.host not in LOOPBACK
    app.state.reviewer = settings.reviewer
    app.add_middleware(SessionMiddleware, secret_key=secret_key(settings.home), session_cookie=SESSION_COOKIE,
                       same_site="lax", https_only=settings.secure_cookie, max_age=12 * 3600)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")
    from extractors.rules import load_rules

    why = {name: c.get("why", name) for name, c in load_rules("confidence").get("conflicts", {}).items()}
    templates.env.globals.update(csrf_field=CSRF_FIELD, recurrences=RECURRENCES, statuses=ReviewStatus,
                                 conflict_why=why)

    def render(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
        context.update(user=request.session.get("user") or (None if app.state.require_login else app.state.reviewer),
                       csrf=csrf_token(request), flash=request.session.pop("flash", None),
                       require_login=app.state.require_login)
        return templates.TemplateResponse(request, name, context, status_code=status_code)

    def back(dispatch_id: int, anchor: str = "", message: Optional[str] = None, request: Optional[Request] = None):
        if message and request is not None:
            request.session["flash"] = message
        return RedirectResponse(f"/review/{dispatch_id}{'#' + anchor if anchor else ''}", status_code=303)

    def actor(request: Request) -> rv.Actor:
        return rv.Actor(current_user(request), request.client.host if request.client else None)

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, _exc: LoginRequired):
        if request.method in ("GET", "HEAD"):
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        return Response("login required", status_code=401)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException):
        return render(request, "error.html", status_code=exc.status_code, message=exc.detail)

    # ---------------------------------------------------------------- login

    @app.get("/login", response_class=HTMLResponse)
    async def login_page(request: Request, next: str = "/review"):
        return render(request, "login.html", next=next if next.startswith("/") else "/review")

    @app.post("/login")
    async def login(request: Request):
        from pipeline.auth import authenticate

        form = await checked_form(request)
        username, password = str(form.get("username") or ""), str(form.get("password") or "")
        target = str(form.get("next") or "/review")
        with store.session() as session:
            user = authenticate(session, username, password)
            if user is not None:
                rv.log(session, rv.Actor(user.username, request.client.host if request.client else None), "login", None)
        if user is None:
            return render(request, "login.html", status_code=401, next=target,
                          error="Sai tên đăng nhập hoặc mật khẩu (wrong user name or password)")
        request.session.clear()
        request.session["user"] = user.username
        return RedirectResponse(target if target.startswith("/") else "/review", status_code=303)

    @app.post("/logout")
    async def logout(request: Request):
        await checked_form(request)
        request.session.clear()
        return RedirectResponse("/login" if app.state.require_login else "/review", status_code=303)

    # ---------------------------------------------------------------- pages

    @app.get("/")
    async def root():
        return RedirectResponse("/review", status_code=303)

    @app.get("/review", response_class=HTMLResponse)
    async def queue(request: Request, status: str = ReviewStatus.pending.value):
        current_user(request)
        if status not in {s.value for s in ReviewStatus}:
            raise HTTPException(404, f"no review status {status!r}")
        with store.session() as session:
            items, counts = rv.review_queue(session, status), rv.review_counts(session)
        return render(request, "queue.html", items=items, counts=counts, status=status)

    @app.get("/review/{dispatch_id}", response_class=HTMLResponse)
    async def dispatch_page(request: Request, dispatch_id: int):
        current_user(request)
        with store.session() as session:
            row = _dispatch(session, dispatch_id)
            tasks = sorted(row.tasks, key=lambda t: t.position)
            record = row.record or {}
            source = record.get("source") or {}
            context = dict(
                row=row, record=record, tasks=tasks, fields=rv.HEADER_FIELDS,
                values={f: getattr(row, column) for f, (column, _) in rv.HEADER_FIELDS.items()},
                confidence=record.get("confidence") or {},
                segments=segments(row.text, marks_of(record, tasks)),
                pages=range(source.get("pages") or 0) if source.get("ocr") and _has_original(session, row.id) else [],
                trail=rv.audit_trail(session, row.id), source=source,
                units=_units_of(session, tasks),
                field_conflicts=record.get("conflicts") or {},
                task_conflicts={tuple(t["span"]): t.get("conflicts") or []
                                for t in (row.machine_record or {}).get("tasks", []) if t.get("span")},
            )
            return render(request, "dispatch.html", **context)

    @app.get("/review/{dispatch_id}/page/{number}.png")
    async def page_image(request: Request, dispatch_id: int, number: int):
        current_user(request)
        with store.session() as session:
            _dispatch(session, dispatch_id)
            source = repo.source_of(session, dispatch_id)
            path = Path(source.archive_path or source.path) if source else None
        try:
            data = page_png(path, number)
        except PageError as exc:
            raise HTTPException(404, str(exc)) from None
        return Response(data, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})

    # ---------------------------------------------------------------- changes

    async def change(request: Request, dispatch_id: int, apply, anchor: str = ""):
        """Check the form, run one change in one transaction, go back to the dispatch."""
        form = await checked_form(request)
        who = actor(request)
        try:
            with store.session() as session:
                _dispatch(session, dispatch_id)
                result = apply(session, form, who)
        except rv.ReviewError as exc:
            return back(dispatch_id, anchor, f"Không lưu được (not saved): {exc}", request)
        return back(dispatch_id, result if isinstance(result, str) else anchor, None)

    @app.post("/review/{dispatch_id}/header")
    async def header(request: Request, dispatch_id: int):
        def apply(session, form, who):
            for field in rv.HEADER_FIELDS:
                if field in form:
                    rv.update_header(session, dispatch_id, field, str(form[field]), who)
            return "header"
        return await change(request, dispatch_id, apply, "header")

    @app.post("/review/{dispatch_id}/tasks")
    async def add_task(request: Request, dispatch_id: int):
        def apply(session, form, who):
            start, end = _int(form, "start"), _int(form, "end")
            task = rv.add_task(session, dispatch_id, min(start, end), max(start, end), who)
            return f"task-{task.id}"
        return await change(request, dispatch_id, apply)

    @app.post("/review/{dispatch_id}/tasks/{task_id}")
    async def edit_task(request: Request, dispatch_id: int, task_id: int):
        def apply(session, form, who):
            _task_in(session, task_id, dispatch_id)
            rv.update_task(session, task_id, {f: str(form[f]) for f in rv.TASK_FIELDS if f in form}, who)
            return f"task-{task_id}"
        return await change(request, dispatch_id, apply, f"task-{task_id}")

    @app.post("/review/{dispatch_id}/tasks/{task_id}/{action}")
    async def task_action(request: Request, dispatch_id: int, task_id: int, action: str):
        def apply(session, form, who):
            task = _task_in(session, task_id, dispatch_id)
            if action == "reject":
                rv.reject_task(session, task_id, who)
            elif action == "restore":
                rv.restore_task(session, task_id, who)
            elif action == "split":
                rv.split_task(session, task_id, _split_at(task, form), who)
            elif action == "merge":
                following = [t for t in sorted(task.dispatch.tasks, key=lambda t: t.position)
                             if t.position > task.position and t.status != TaskStatus.rejected.value]
                if not following:
                    raise rv.ReviewError("no task after this one to merge with")
                rv.merge_tasks(session, task_id, following[0].id, who)
            else:
                raise HTTPException(404, f"no task action {action!r}")
            return f"task-{task_id}"
        return await change(request, dispatch_id, apply, f"task-{task_id}")

    DECISIONS = {"approve": (rv.approve, "Đã duyệt (approved)"), "reject": (rv.reject, "Đã loại (rejected)")}

    @app.post("/review/{dispatch_id}/{decision}")
    async def decide(request: Request, dispatch_id: int, decision: str):
        if decision not in DECISIONS:
            raise HTTPException(404, f"no decision {decision!r}")
        decide_, done = DECISIONS[decision]

        def apply(session, _form, who):
            decide_(session, dispatch_id, who)
            request.session["flash"] = f"{done} #{dispatch_id}"
            return ""
        return await change(request, dispatch_id, apply)

    return app


# ---------------------------------------------------------------- helpers

def _dispatch(session, dispatch_id: int):
    try:
        return rv.get_dispatch(session, dispatch_id)
    except rv.ReviewError as exc:
        raise HTTPException(404, str(exc)) from None


def _task_in(session, task_id: int, dispatch_id: int):
    try:
        return rv.get_task(session, task_id, dispatch_id)
    except rv.ReviewError as exc:
        raise HTTPException(404, str(exc)) from None


def _int(form, name: str) -> int:
    try:
        return int(str(form.get(name, "")).strip())
    except ValueError:
        raise rv.ReviewError(f"{name}: select the text first") from None


def _split_at(task, form) -> int:
    """The cut: an offset from the page's selection (`at`), else where `phrase` starts in the task."""
    if str(form.get("at") or "").strip():
        return _int(form, "at")
    phrase = " ".join(str(form.get("phrase") or "").split())
    if not phrase:
        raise rv.ReviewError("put the cursor where the second task starts, or type its first words")
    pattern = r"\s+".join(map(re.escape, phrase.split()))
    text = task.dispatch.text
    found = re.compile(pattern).search(text, task.span_start + 1, task.span_end)
    if found is None:
        raise rv.ReviewError(f"{phrase!r} is not in task {task.position + 1}")
    return found.start()


def _units_of(session, tasks) -> dict[int, list[str]]:
    """task id → the names of the registry units it is assigned to (who will get it)."""
    from pipeline.store.models import Unit

    ids = {a.unit_id for t in tasks for a in t.assignments}
    names = {u.id: u.name for u in session.query(Unit).filter(Unit.id.in_(ids))} if ids else {}
    return {t.id: sorted(names[a.unit_id] for a in t.assignments if a.unit_id in names) for t in tasks}


def _has_original(session, dispatch_id: int) -> bool:
    source = repo.source_of(session, dispatch_id)
    return bool(source and Path(source.archive_path or source.path).is_file())


__all__ = ["WebSettings", "create_app"]
