"""Users on the wire: never their token's hash; the token itself only in the answer that made it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from index.store.accounts import User

Role = Literal["viewer", "editor", "admin"]


class UserOut(BaseModel):
    name: str
    role: Role
    created_at: str


class UserIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    role: Role = "viewer"


class UserCreated(BaseModel):
    user: UserOut
    token: str = Field(description="The user's API token: shown this once, stored only hashed.")


def user_out(user: User) -> UserOut:
    return UserOut(name=user.name, role=user.role, created_at=user.created_at.isoformat())  # type: ignore[arg-type]
