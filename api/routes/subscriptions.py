"""Subscriptions: saved searches and trend watches that alert their owner (editors and admins).
Each user sees and removes their own, with the deliveries that failed; an admin also sees the
tracker's own source-health subscription, and everyone's with ?all=true."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, status

from api.access import Editor
from api.schemas.common import Problem
from api.schemas.subscriptions import SubscriptionId, SubscriptionIn, SubscriptionOut, subscription_out
from api.vocabulary import VocabularyError
from index.store.accounts import User
from index.store.alert_log import AlertLog, DeliveryProblem
from index.store.story_index import chunks
from index.store.subscriptions import HEALTH, NewSubscription, Subscription, SubscriptionError, Subscriptions

router = APIRouter(prefix="/api", tags=["subscriptions"], responses={401: {"model": Problem}, 403: {"model": Problem}})


def subscriptions(request: Request) -> Subscriptions:
    return Subscriptions(request.app.state.store().engine, request.app.state.settings.webhook_allow_private)


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


def listed(request: Request, user: User, everyone: bool = False) -> list[Subscription]:
    """The subscriptions `user` sees, oldest first: their own, and for an admin the tracker's own
    source-health one too (or, with `everyone`, all of them)."""
    kept = subscriptions(request)
    if everyone and user.may("admin"):
        return kept.all()
    chosen = kept.owned_by(owner_id(user))
    if user.may("admin") and owner_id(user) is not None:  # without accounts it is among the local person's
        chosen += [each for each in kept.owned_by(None) if each.kind == HEALTH]
    return chosen


def delivery_problems(request: Request, chosen: Sequence[Subscription]) -> dict[int, list[DeliveryProblem]]:
    """Subscription id -> its deliveries that failed or were given up on."""
    alert_log = AlertLog(request.app.state.store().engine)
    found: dict[int, list[DeliveryProblem]] = {}
    for chunk in chunks([each.id for each in chosen]):  # an admin's ?all=true may be thousands
        for problem in alert_log.problems(chunk):
            found.setdefault(problem.subscription_id, []).append(problem)
    return found


def with_problems(request: Request, chosen: Sequence[Subscription]) -> list[SubscriptionOut]:
    problems = delivery_problems(request, chosen)
    return [subscription_out(each, problems.get(each.id, ())) for each in chosen]


@router.get("/subscriptions", response_model=list[SubscriptionOut])
def list_subscriptions(
    request: Request, user: Editor, all: Annotated[bool, Query(description="Everyone's (admins).")] = False
) -> list[SubscriptionOut]:
    """Your subscriptions (an admin's include the tracker's source-health one), each with the
    deliveries that failed."""
    return with_problems(request, listed(request, user, everyone=all))


@router.post(
    "/subscriptions",
    response_model=SubscriptionOut,
    status_code=status.HTTP_201_CREATED,
    responses={400: {"model": Problem}},
)
def add_subscription(request: Request, new: SubscriptionIn, user: Editor) -> SubscriptionOut:
    """Subscribe to a search, or to a trend on harm areas. A query that cannot be run, an unknown
    harm area or document type, a trend with a query or without a harm area, a malformed channel
    or time zone is refused with a 400 saying what to change."""
    return subscription_out(save(request, new.to_new(), user))


@router.get("/subscriptions/{subscription_id}", response_model=SubscriptionOut, responses={404: {"model": Problem}})
def get_subscription(request: Request, subscription_id: SubscriptionId, user: Editor) -> SubscriptionOut:
    return with_problems(request, [owned(request, subscription_id, user)])[0]


@router.delete(
    "/subscriptions/{subscription_id}", status_code=status.HTTP_204_NO_CONTENT, responses={404: {"model": Problem}}
)
def remove_subscription(request: Request, subscription_id: SubscriptionId, user: Editor) -> None:
    subscriptions(request).remove(owned(request, subscription_id, user).id)
