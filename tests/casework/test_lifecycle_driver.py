"""Every state of the lifecycle is reachable through the services alone (the demo seed relies on it)."""

import pytest

from casework.models import Case
from tests.casework.factories import case_in_state

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", [s for s in Case.Status if s != Case.Status.MERGED])
def test_every_state(status):
    case = case_in_state(status, opened_days_ago=130)
    assert case.status == status


def test_merged():
    other = case_in_state(Case.Status.AWAITING_RG)
    case = case_in_state(Case.Status.MERGED, other=other)
    assert case.merged_into == other
