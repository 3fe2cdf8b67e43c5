"""Two people acting on one case at the same moment, in two threads on two database connections: one wins, the
other is refused, and nothing is written twice."""

import threading

import pytest
from django.db import connection

from accounts.roles import Role
from casework.models import Case, CaseEvent, Decision, Policy
from casework.services import (
    CaseworkError,
    IllegalTransition,
    StaleCase,
    single_competent_authority,
)
from tests.casework.factories import (
    make_decision,
    staff_of,
    worked_case,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sca_staff(transactional_db, project_data):
    Policy.objects.update(review_negative_rg=False)
    authority = single_competent_authority()
    return staff_of(authority, Role.MANAGER), staff_of(authority, Role.MANAGER)


def at_once(*calls) -> list:
    """Runs each call in its own thread, released together; returns what each returned or raised, in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except CaseworkError as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.parametrize(("with_version", "loser_error"), [(True, StaleCase), (False, IllegalTransition)])
def test_two_decisions_on_one_case_at_once_one_wins(sca_staff, with_version, loser_error):
    first, second = sca_staff
    case = worked_case(caseworker=first, manager=first)
    version = case.version if with_version else None
    results = at_once(
        lambda: make_decision(case, first, outcome="positive", expected_version=version),
        lambda: make_decision(case, second, outcome="negative", expected_version=version),
    )
    winners = [result for result in results if isinstance(result, Decision)]
    losers = [result for result in results if isinstance(result, CaseworkError)]
    assert len(winners) == 1, results
    assert [type(loser) for loser in losers] == [loser_error], results
    assert Decision.objects.filter(case=case).count() == 1
    case.refresh_from_db()
    assert case.version == 3
    assert case.status == (Case.Status.RECOVERY if winners[0].outcome == "positive" else Case.Status.RG_NEGATIVE_SERVED)
    assert case.events.filter(kind=CaseEvent.Kind.DECISION_SERVED).count() == 1
    assert case.events.filter(kind=CaseEvent.Kind.RG_DECIDED).count() == 1
