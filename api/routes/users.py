"""Users: who am I (/api/me, any role), and for admins, the list of users, adding one (its
token is in that answer only) and removing one."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, HTTPException, Request, status

from api.access import Admin, Viewer, accounts
from api.schemas.accounts import UserCreated, UserIn, UserOut, user_out
from api.schemas.common import Problem
from index.store.accounts import AccountError

router = APIRouter(prefix="/api", tags=["users"], responses={401: {"model": Problem}, 403: {"model": Problem}})


@router.get("/me", response_model=UserOut)
def me(user: Viewer) -> UserOut:
    """The user this request comes from ('local', an admin, when the tracker has no accounts)."""
    return user_out(user)


@router.get("/users", response_model=list[UserOut])
def list_users(request: Request, _admin: Admin) -> list[UserOut]:
    return [user_out(user) for user in accounts(request).all()]


@router.post(
    "/users", response_model=UserCreated, status_code=status.HTTP_201_CREATED, responses={409: {"model": Problem}}
)
def add_user(request: Request, new: UserIn, _admin: Admin) -> UserCreated:
    """Add a user; the answer holds their API token, which is not stored and not shown again."""
    try:
        user, token = accounts(request).add(new.name, new.role, dt.datetime.now(dt.UTC))
    except AccountError as error:
        raise HTTPException(409, str(error)) from None
    return UserCreated(user=user_out(user), token=token)


@router.delete("/users/{name}", status_code=status.HTTP_204_NO_CONTENT, responses={404: {"model": Problem}})
def remove_user(request: Request, name: str, _admin: Admin) -> None:
    try:
        accounts(request).remove(name)
    except AccountError as error:
        raise HTTPException(404, str(error)) from None
