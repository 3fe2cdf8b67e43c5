"""Celery tasks of accounts: the daily expiry of requests to join an organisation (declared in nrm/celery.py),
safe to run twice."""

from celery import shared_task

from accounts.membership import membership_requests_expire


@shared_task(acks_late=True)
def membership_requests_expire_task() -> int:
    return membership_requests_expire()
