"""Sessions, login and cross-site request forgery protection for the review page.

- The session is Starlette's signed cookie (itsdangerous), `SameSite=Lax`, `HttpOnly`; its key is
  `CONGVAN_SECRET_KEY`, else a random key kept in `$CONGVAN_HOME/review-secret` (mode 0600).
- Login is required whenever the server listens beyond loopback (or with `--login`): a request
  without a logged-in session gets the login page (GET) or 401 (anything else).
- Every request that changes something (not GET/HEAD) must carry the session's CSRF token, as the
  form field `csrf_token` or the header `X-CSRF-Token`, and, when the browser says where it comes
  from (`Origin`), come from this server. A session without a token is refused too: a forged
  cross-site post carries no Lax cookie, so it has none.
"""
from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from starlette.datastructures import FormData

LOOPBACK = ("127.0.0.1", "localhost", "::1")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SECRET_FILE = "review-secret"


def secret_key(home: Path) -> str:
    if os.environ.get("CONGVAN_SECRET_KEY"):
        return os.environ["CONGVAN_SECRET_KEY"]
    path = home / SECRET_FILE
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def csrf_token(request: Request) -> str:
    """The session's token (made on first use; the page's forms carry it)."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


async def checked_form(request: Request) -> FormData:
    """The posted form, once its CSRF token and origin are checked (403 otherwise)."""
    form = await request.form()
    expected = request.session.get("csrf")
    given = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    if not expected or not isinstance(given, str) or not hmac.compare_digest(given, expected):
        raise HTTPException(403, "CSRF token missing or wrong: reload the page and try again")
    if not _same_origin(request):
        raise HTTPException(403, "cross-site request refused")
    return form


class LoginRequired(Exception):
    """Raised for a request without a logged-in session when login is required."""


def current_user(request: Request) -> Optional[str]:
    """Who is acting: the logged-in user; without login (loopback), the reviewer named at start."""
    user = request.session.get("user")
    if user:
        return user
    if request.app.state.require_login:
        raise LoginRequired()
    return request.app.state.reviewer
