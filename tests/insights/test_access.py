"""Who may open which insights page (design.md, roles): analysts see every statistic and export and the research
extract; an authority's managers see their authority's statistics and its operational dashboard; everyone else gets
a 404 and the signed-out are sent to sign in. A manager's figures are always their own authority's, whatever the
address asks for."""

import re

import pytest
from django.urls import reverse

from accounts.models import Organisation
from accounts.roles import Role
from casework.models import Case
from insights.refresh import facts_refresh
from tests.casework.factories import case_in_state
from tests.factories import (
    ORGANISATION_FACTORY_FOR_ROLE,
    AuthorityFactory,
    FirstResponderOrganisationFactory,
    UserFactory,
)

# (name, URL name, arguments): one of each kind of insights page.
PAGES = [
    ("statistics", "insights:statistics", []),
    ("referrals table", "insights:table", ["referrals-by-gender"]),
    ("decisions table", "insights:table", ["reasonable-grounds-decisions"]),
    ("duty to notify table", "insights:table", ["duty-to-notify-by-quarter"]),
    ("referrals export", "insights:export", ["referrals-by-gender", "csv"]),
    ("duty to notify export", "insights:export", ["duty-to-notify-by-nationality", "ods"]),
    ("research extract", "insights:extract", []),
    ("research extract download", "insights:extract_download", ["csv"]),
    ("operations", "insights:operations", []),
    ("service performance", "insights:service_performance", []),
]

ANALYST_PAGES = {name for name, _, _ in PAGES} - {"operations"}
MANAGER_PAGES = {"statistics", "referrals table", "decisions table", "referrals export", "operations"}
NOBODY_ELSE = [
    Role.FIRST_RESPONDER,
    Role.ORGANISATION_ADMIN,
    Role.CASEWORKER,
    Role.PANEL_CHAIR,
    Role.PANEL_MEMBER,
    Role.SUPPORT_PROVIDER,
    Role.ADMIN,
    Role.DATA_PROTECTION,
]


@pytest.fixture(autouse=True)
def _no_mfa_prompt(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False


@pytest.fixture
def sca(project_data):
    return Organisation.objects.get(name="Single Competent Authority", kind=Organisation.Kind.COMPETENT_AUTHORITY)


@pytest.fixture
def ieca(project_data):
    return Organisation.objects.get(
        name="Immigration Enforcement Competent Authority", kind=Organisation.Kind.COMPETENT_AUTHORITY
    )


def statuses(client) -> dict[str, int]:
    return {name: client.get(reverse(url, args=args)).status_code for name, url, args in PAGES}


def test_an_analyst_opens_every_statistics_page_export_and_the_extract(client, project_data):
    client.force_login(UserFactory(role=Role.ANALYST))
    assert statuses(client) == {name: 200 if name in ANALYST_PAGES else 404 for name, _, _ in PAGES}


def test_an_authority_manager_opens_their_statistics_and_dashboard_but_not_duty_to_notify_or_the_extract(client, sca):
    client.force_login(UserFactory(role=Role.MANAGER, organisation=sca))
    assert statuses(client) == {name: 200 if name in MANAGER_PAGES else 404 for name, _, _ in PAGES}


def test_a_manager_of_an_organisation_that_is_not_an_authority_sees_none_of_it(client, project_data):
    client.force_login(UserFactory(role=Role.MANAGER, organisation=FirstResponderOrganisationFactory()))
    assert set(statuses(client).values()) == {404}


@pytest.mark.parametrize("role", NOBODY_ELSE)
def test_every_other_role_gets_not_found_everywhere(client, project_data, role):
    # The data protection team sits in an authority here: a role, not an organisation, opens the statistics.
    organisation = ORGANISATION_FACTORY_FOR_ROLE.get(role, AuthorityFactory)()
    client.force_login(UserFactory(role=role, organisation=organisation))
    assert statuses(client) == {name: 404 for name, _, _ in PAGES}


def test_an_analyst_who_is_no_longer_active_sees_none_of_it(client, project_data):
    analyst = UserFactory(role=Role.ANALYST)
    client.force_login(analyst)
    analyst.is_active = False
    analyst.save(update_fields=["is_active"])
    for name, url, args in PAGES:
        response = client.get(reverse(url, args=args))
        assert response.status_code in (302, 404), name


def test_the_signed_out_are_sent_to_sign_in(client, project_data):
    for name, url, args in PAGES:
        response = client.get(reverse(url, args=args))
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("account_login")), name


def test_the_pages_answer_only_get(client, project_data):
    client.force_login(UserFactory(role=Role.ANALYST))
    for url, args in (("insights:statistics", []), ("insights:table", ["referrals-by-gender"])):
        assert client.post(reverse(url, args=args)).status_code == 405


def test_an_unknown_table_is_not_found(client, project_data):
    client.force_login(UserFactory(role=Role.ANALYST))
    assert client.get(reverse("insights:table", args=["table-19"])).status_code == 404


def total_of(response) -> str:
    """The grand total as the page shows it: the Total column of the Total row."""
    grid = response.context["grid"]
    index = next(i for i, column in enumerate(grid.columns) if column.title == "Total")
    assert grid.rows[-1].labels[0] == "Total"
    shown = grid.rows[-1].cells[index].shown
    assert f">{shown}</td>" in response.text
    return shown


@pytest.fixture
def two_authorities(sca, ieca):
    """Two SCA referrals and three IECA referrals, each with a served RG decision, this year."""
    for _ in range(2):
        case_in_state(Case.Status.RECOVERY, authority=sca)
    for _ in range(3):
        case_in_state(Case.Status.RECOVERY, authority=ieca)
    facts_refresh()


def test_a_managers_figures_never_include_another_authoritys_cases(client, sca, ieca, two_authorities):
    client.force_login(UserFactory(role=Role.MANAGER, organisation=sca))
    for key in ("referrals-by-gender", "reasonable-grounds-decisions", "decisions-by-competent-authority"):
        url = reverse("insights:table", args=[key])
        assert total_of(client.get(url)) == "2", key
        response = client.get(url, {"authority": ieca.pk})
        assert response.status_code == 200
        assert total_of(response) == "2", key
        assert ieca.name not in response.text
    landing = client.get(reverse("insights:statistics"), {"authority": ieca.pk}).text
    headline = re.search(r'data-testid="headline-referrals">.*?app-headlines__value">([^<]*)<', landing, re.S)
    assert headline.group(1).strip() == "2"


def test_an_analyst_can_narrow_the_figures_to_one_authority(client, sca, ieca, two_authorities):
    client.force_login(UserFactory(role=Role.ANALYST))
    url = reverse("insights:table", args=["referrals-by-gender"])
    assert total_of(client.get(url)) == "5"
    assert total_of(client.get(url, {"authority": ieca.pk})) == "3"
    assert total_of(client.get(url, {"authority": sca.pk})) == "2"
