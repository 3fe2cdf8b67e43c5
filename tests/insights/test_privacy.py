"""No statistics page or export ever holds a person: every page and every download (CSV, XLSX and ODS of every
table, the research extract) is fetched as an analyst and as a manager over the seeded world, whose referrals carry
distinctive names, references, dates of birth and free-text answers, and scanned for them. XLSX and ODS are
zip files of XML: every member is read back and scanned."""

import io
import re
import zipfile

import pytest
from django.urls import reverse

from insights.scope import statistics_viewer
from insights.tables import TABLES

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r"\b(?:NRM|DTN)-\d{4}-\d{6}\b")
# This year in the tidy layout, and the whole seeded span (custom dates) as published.
QUERIES = [
    {"period": "y-2026", "layout": "tidy"},
    {
        "period": "custom",
        "start_0": "1",
        "start_1": "1",
        "start_2": "2025",
        "end_0": "30",
        "end_1": "11",
        "end_2": "2026",
    },
]
FORMATS = ("csv", "xlsx", "ods")


@pytest.fixture(autouse=True)
def _no_mfa_prompt(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False


def text_of(response) -> str:
    """Everything a response carries that a person could read: its body (each member of a zip file decoded) and
    its headers (the file name)."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    parts = [f"{key}: {value}" for key, value in response.headers.items()]
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            parts += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    else:
        parts.append(body.decode("utf-8-sig", "replace"))
    return "\n".join(parts)


def assert_no_person(world, response, where: str) -> None:
    assert response.status_code == 200, where
    text = text_of(response)
    found = [secret for secret in world.personal_strings if secret in text]
    assert found == [], f"{where} shows personal data: {found}"
    assert REFERENCE.findall(text) == [], f"{where} shows references"


def test_the_seeded_referrals_hold_the_personal_data_scanned_for(world):
    from referrals.models import Referral

    answers = " ".join(str(r.answers) for r in Referral.objects.all())
    references = " ".join(Referral.objects.values_list("reference", flat=True))
    assert all(secret in answers for secret in world.personal_strings)
    assert len(REFERENCE.findall(references)) == len(world.references) == 24


def _viewers(world):
    return {"analyst": world.analyst, "manager": world.sca_manager}


@pytest.mark.parametrize("who", ["analyst", "manager"])
def test_the_landing_page_and_the_dashboards_show_no_person(client, world, who):
    user = _viewers(world)[who]
    client.force_login(user)
    assert_no_person(world, client.get(reverse("insights:statistics")), f"{who} landing page")
    if who == "analyst":
        assert_no_person(world, client.get(reverse("insights:service_performance")), "service performance")
        for query in QUERIES:
            assert_no_person(world, client.get(reverse("insights:extract"), query), "extract page")
            for file_format in FORMATS:
                response = client.get(reverse("insights:extract_download", args=[file_format]), query)
                assert_no_person(world, response, f"research extract {file_format} {query}")
    else:
        assert_no_person(world, client.get(reverse("insights:operations")), "operations dashboard")


@pytest.mark.parametrize("who", ["analyst", "manager"])
@pytest.mark.parametrize("key", [table.key for table in TABLES])
def test_no_table_page_or_download_shows_a_person(client, world, who, key):
    user = _viewers(world)[who]
    if key not in {table.key for table in statistics_viewer(user).tables}:
        return  # a manager has no Duty to Notify tables (tests/insights/test_access.py)
    client.force_login(user)
    for query in QUERIES:
        page = client.get(reverse("insights:table", args=[key]), query)
        assert_no_person(world, page, f"{key} page {query}")
        if query is QUERIES[-1]:  # the whole seeded span: every table has figures to scan
            assert 'data-testid="figures-table"' in page.content.decode(), key
        for file_format in FORMATS:
            response = client.get(reverse("insights:export", args=[key, file_format]), query)
            assert_no_person(world, response, f"{key} {file_format} {query}")
            if query is QUERIES[-1] and file_format == "csv":
                assert len(text_of(response).splitlines()) > 3, key


def test_the_ieca_manager_sees_no_person_either(client, world):
    client.force_login(world.ieca_manager)
    for table in statistics_viewer(world.ieca_manager).tables:
        assert_no_person(world, client.get(reverse("insights:table", args=[table.key]), QUERIES[-1]), table.key)
    assert_no_person(world, client.get(reverse("insights:operations")), "operations dashboard")


def test_the_scan_finds_a_name_inside_a_zipped_spreadsheet_and_a_reference_in_a_file_name(world):
    from django.http import HttpResponse

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("xl/sharedStrings.xml", f"<sst><si><t>{world.personal_strings[0]}</t></si></sst>")
    with pytest.raises(AssertionError, match="personal data"):
        assert_no_person(world, HttpResponse(archive.getvalue()), "a spreadsheet")
    response = HttpResponse(b"Year,Total\n2026,3\n")
    response["Content-Disposition"] = f'attachment; filename="{world.references[0]}.csv"'
    with pytest.raises(AssertionError, match="references"):
        assert_no_person(world, response, "a file name")
