""" "Get next case" pressed by many caseworkers at the same moment: each thread is one caseworker on its own database
connection, all released together. Nobody gets a case someone else got, and nobody gets two."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.models import Case, CaseEvent
from casework.services import case_claim_next, single_competent_authority
from casework.urgency import urgency_order
from tests.casework.factories import (
    AwaitingRgCaseFactory,
    ChildReferralFactory,
    SubmittedReferralFactory,
    staff_of,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def authority(transactional_db, project_data):
    return single_competent_authority()


def waiting_cases(count: int) -> list[Case]:
    """Unassigned cases with every kind of urgency: overdue, children, near and far deadlines, none."""
    cases = []
    for number in range(count):
        opened_at = timezone.now() - timedelta(days=number % 11 + 1)
        factory = ChildReferralFactory if number % 3 == 0 else SubmittedReferralFactory
        deadline = timezone.now() + timedelta(hours=number * 7 - 40) if number % 5 else None
        cases.append(
            AwaitingRgCaseFactory(
                referral=factory(submitted_at=opened_at),
                opened_at=opened_at,
                status=Case.Status.AWAITING_RG if deadline else Case.Status.AWAITING_CG,
                rg_due_at=deadline,  # the next deadline the services work out again when they save the case
                next_deadline_at=deadline,
            )
        )
    return cases


def at_once(calls) -> list:
    """Runs each call in its own thread (its own connection, closed after), released together; returns what each
    returned, in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list = []

    def run(index, call):
        try:
            barrier.wait(timeout=20)
            results[index] = call()
        except Exception as error:  # reported by the test, whatever it is
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_twenty_caseworkers_pressing_at_once_get_twenty_different_cases(authority):
    cases = waiting_cases(30)
    most_urgent = set(Case.objects.order_by(*urgency_order()).values_list("pk", flat=True)[:20])
    caseworkers = [staff_of(authority) for _ in range(20)]
    results = at_once([lambda worker=worker: case_claim_next(actor=worker) for worker in caseworkers])
    assert all(isinstance(result, Case) for result in results), results
    assert len({result.pk for result in results}) == 20
    assigned = dict(Case.objects.filter(assignee__isnull=False).values_list("pk", "assignee_id"))
    assert assigned == {result.pk: worker.pk for result, worker in zip(results, caseworkers, strict=True)}
    # The twenty handed out are the twenty most urgent (a row being claimed is skipped, never waited for, so the
    # exact pairing depends on timing, but nothing less urgent goes while a more urgent case waits).
    assert set(assigned) == most_urgent
    assert len(cases) - len(assigned) == 10
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.ASSIGNED).count() == 20


def test_with_more_caseworkers_than_cases_nobody_gets_a_case_twice(authority, settings):
    settings.NRM_REQUIRE_STAFF_MFA = False
    cases = waiting_cases(7)
    caseworkers = [staff_of(authority) for _ in range(20)]
    clients = []
    for worker in caseworkers:
        client = Client()
        client.force_login(worker)
        clients.append(client)
    # Pressing the button on the page: a redirect to the case, or back to the queue when none is left.
    responses = at_once([lambda client=client: client.post(reverse("casework:claim_next")) for client in clients])
    locations = [response["Location"] for response in responses]
    assert all(response.status_code == 302 for response in responses)
    opened = [location for location in locations if location != reverse("casework:queue")]
    assert sorted(opened) == sorted(reverse("casework:case", args=[case.reference]) for case in cases)
    assert locations.count(reverse("casework:queue")) == 13
    for case in cases:
        case.refresh_from_db()
        assert case.assignee_id in {worker.pk for worker in caseworkers}
        assert case.events.filter(kind=CaseEvent.Kind.ASSIGNED).count() == 1
    holders = list(Case.objects.values_list("assignee_id", flat=True))
    assert len(holders) == len(set(holders)) == 7  # nobody holds two
