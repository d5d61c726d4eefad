"""Accounts in the store: users with a role and a hashed API token, and the web page's login
sessions. Tokens and session ids are random (256 bits), so a SHA-256 of each is what is kept
and looked up: a slow password hash protects guessable secrets, and these are not guessable."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from index.store.engine import write_transaction
from index.store.models import login_sessions, users

ROLES = ("viewer", "editor", "admin")  # each may do what the ones before it may
TOKEN_PREFIX = "radar_"
SESSION_LIFETIME = dt.timedelta(days=7)
NAME_LENGTH = 100


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    created_at: dt.datetime

    def may(self, role: str) -> bool:
        """Whether this user has `role` or a higher one."""
        return ROLES.index(self.role) >= ROLES.index(role)


class AccountError(ValueError):
    """A change to the accounts that cannot be made, with a message a person can act on."""


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _user(row: object) -> User:
    return User(id=row.id, name=row.name, role=row.role, created_at=row.created_at)  # type: ignore[attr-defined]


class Accounts:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, name: str, role: str, now: dt.datetime) -> tuple[User, str]:
        """A new user and their API token, which is shown this once and never stored."""
        name = name.strip()
        if not name or len(name) > NAME_LENGTH:
            raise AccountError(f"A user's name is 1 to {NAME_LENGTH} characters; got {name!r}.")
        if role not in ROLES:
            raise AccountError(f"Unknown role {role!r}: use one of {', '.join(ROLES)}.")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        try:
            with write_transaction(self.engine) as conn:
                conn.execute(insert(users).values(name=name, role=role, token_hash=_hash(token), created_at=now))
        except IntegrityError:
            raise AccountError(f"There is already a user called {name!r}.") from None
        found = self.named(name)
        assert found is not None
        return found, token

    def new_token(self, name: str) -> str:
        """Replace a user's token (the old one stops working at once) and return the new one."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with write_transaction(self.engine) as conn:
            changed = conn.execute(update(users).where(users.c.name == name).values(token_hash=_hash(token)))
            if changed.rowcount == 0:
                raise AccountError(f"No user called {name!r}.")
            conn.execute(
                delete(login_sessions).where(
                    login_sessions.c.user_id == select(users.c.id).where(users.c.name == name).scalar_subquery()
                )
            )
        return token

    def remove(self, name: str) -> None:
        with write_transaction(self.engine) as conn:
            if conn.execute(delete(users).where(users.c.name == name)).rowcount == 0:
                raise AccountError(f"No user called {name!r}.")

    def all(self) -> list[User]:
        with self.engine.connect() as conn:
            return [_user(row) for row in conn.execute(select(users).order_by(users.c.name))]

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(users)).scalar_one())

    def named(self, name: str) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.name == name)).first()
        return _user(row) if row else None

    def by_token(self, token: str) -> User | None:
        """The user whose API token this is, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.token_hash == _hash(token))).first()
        return _user(row) if row else None

    def log_in(self, name: str, token: str, now: dt.datetime) -> tuple[User, str] | None:
        """A new login session for the user `name` if `token` is theirs: (user, session id)."""
        user = self.by_token(token)
        # As bytes: compare_digest refuses str with non-ASCII characters (names may have them).
        if user is None or not secrets.compare_digest(user.name.encode(), name.strip().encode()):
            return None
        session_id = secrets.token_urlsafe(32)
        with write_transaction(self.engine) as conn:
            conn.execute(delete(login_sessions).where(login_sessions.c.expires_at < now))
            conn.execute(
                insert(login_sessions).values(
                    id_hash=_hash(session_id), user_id=user.id, created_at=now, expires_at=now + SESSION_LIFETIME
                )
            )
        return user, session_id

    def by_session(self, session_id: str, now: dt.datetime) -> User | None:
        """The user of a login session that has not expired, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(users)
                .join(login_sessions, login_sessions.c.user_id == users.c.id)
                .where(login_sessions.c.id_hash == _hash(session_id), login_sessions.c.expires_at > now)
            ).first()
        return _user(row) if row else None

    def log_out(self, session_id: str) -> None:
        with write_transaction(self.engine) as conn:
            conn.execute(delete(login_sessions).where(login_sessions.c.id_hash == _hash(session_id)))
