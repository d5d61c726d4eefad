"""Subscriptions: saved searches that alert their owner (editors and admins). Each user sees and
removes their own; an admin sees everyone's with ?all=true."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, status

from api.access import Editor
from api.schemas.common import Problem
from api.schemas.subscriptions import SubscriptionId, SubscriptionIn, SubscriptionOut, subscription_out
from api.vocabulary import VocabularyError
from index.store.accounts import User
from index.store.subscriptions import NewSubscription, Subscription, SubscriptionError, Subscriptions

router = APIRouter(prefix="/api", tags=["subscriptions"], responses={401: {"model": Problem}, 403: {"model": Problem}})


def subscriptions(request: Request) -> Subscriptions:
    return Subscriptions(request.app.state.store().engine)


def owner_id(user: User) -> int | None:
    """Subscriptions made without accounts belong to nobody (the local person)."""
    return user.id or None


def save(request: Request, new: NewSubscription, user: User) -> Subscription:
    """Check a subscription against the vocabulary and its own rules, and store it; the pages
    save through here too. Raises HTTPException(400) saying what to change."""
    vocabulary = request.app.state.vocabulary()
    try:
        vocabulary.check_subscription(new)
        return subscriptions(request).add(new, owner_id(user), dt.datetime.now(dt.UTC))
    except (VocabularyError, SubscriptionError) as error:
        raise HTTPException(400, str(error)) from None


def owned(request: Request, subscription_id: SubscriptionId, user: User) -> Subscription:
    found = subscriptions(request).get(subscription_id)
    if found is None or (found.owner_id != owner_id(user) and not user.may("admin")):
        raise HTTPException(404, f"No subscription {subscription_id} of yours: GET /api/subscriptions lists them.")
    return found


@router.get("/subscriptions", response_model=list[SubscriptionOut])
def list_subscriptions(
    request: Request, user: Editor, all: Annotated[bool, Query(description="Everyone's (admins).")] = False
) -> list[SubscriptionOut]:
    kept = subscriptions(request)
    chosen = kept.all() if all and user.may("admin") else kept.owned_by(owner_id(user))
    return [subscription_out(each) for each in chosen]


@router.post(
    "/subscriptions",
    response_model=SubscriptionOut,
    status_code=status.HTTP_201_CREATED,
    responses={400: {"model": Problem}},
)
def add_subscription(request: Request, new: SubscriptionIn, user: Editor) -> SubscriptionOut:
    """Subscribe to a search. A query that cannot be run, an unknown harm area or document
    type, a malformed channel or time zone is refused with a 400 saying what to change."""
    return subscription_out(save(request, new.to_new(), user))


@router.get("/subscriptions/{subscription_id}", response_model=SubscriptionOut, responses={404: {"model": Problem}})
def get_subscription(request: Request, subscription_id: SubscriptionId, user: Editor) -> SubscriptionOut:
    return subscription_out(owned(request, subscription_id, user))


@router.delete(
    "/subscriptions/{subscription_id}", status_code=status.HTTP_204_NO_CONTENT, responses={404: {"model": Problem}}
)
def remove_subscription(request: Request, subscription_id: SubscriptionId, user: Editor) -> None:
    subscriptions(request).remove(owned(request, subscription_id, user).id)
