"""Users of the review page: stored in the tracking store, passwords hashed with scrypt (stdlib
`hashlib.scrypt`, a memory-hard KDF) with a random salt; checked in constant time.

    congvan user add lan            # asks for the password twice (or --password-stdin)
    congvan user list
    congvan user disable lan
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.store.repository import now_iso
from pipeline.store.models import User

SCHEME = "scrypt"
N, R, P = 2 ** 14, 8, 1      # ≈ 16 MB and ≈ 50 ms per check on this kind of machine
MIN_PASSWORD = 8


class AuthError(ValueError):
    pass


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=128 * r * (n + p + 2) * 2,
                          dklen=32)


def hash_password(password: str) -> str:
    """`scrypt$N$r$p$salt$hash` (base64), so parameters can be raised later without breaking old hashes."""
    salt = secrets.token_bytes(16)
    return "$".join([SCHEME, str(N), str(R), str(P), _b64(salt), _b64(_derive(password, salt, N, R, P))])


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != SCHEME:
            return False
        expected = base64.b64decode(digest)
        actual = _derive(password, base64.b64decode(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def _check_name(username: str) -> str:
    username = username.strip()
    if not username or len(username) > 100 or any(c.isspace() for c in username):
        raise AuthError(f"{username!r}: a user name is 1–100 characters without spaces")
    return username


def add_user(session: Session, username: str, password: str) -> User:
    """A new user, or a new password for an existing one (who is then active again)."""
    username = _check_name(username)
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"the password needs at least {MIN_PASSWORD} characters")
    user = find_user(session, username)
    if user is None:
        user = User(username=username, created_at=now_iso())
        session.add(user)
    user.password_hash, user.active = hash_password(password), 1
    session.flush()
    return user


def find_user(session: Session, username: str) -> Optional[User]:
    return session.scalars(select(User).where(User.username == username.strip())).one_or_none()


def set_active(session: Session, username: str, active: bool) -> User:
    user = find_user(session, username)
    if user is None:
        raise AuthError(f"no user {username!r}")
    user.active = int(active)
    session.flush()
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


# a hash of a random password: a login for an unknown user costs the same time as a real one
_DUMMY = hash_password(secrets.token_urlsafe(16))


def authenticate(session: Session, username: str, password: str) -> Optional[User]:
    """The active user with this name and password, else None."""
    user = find_user(session, username) if username.strip() else None
    ok = verify_password(password, user.password_hash if user else _DUMMY)
    return user if ok and user is not None and user.active else None
