"""The statistics filter (a GET form: the filters are in the page's address, which holds no personal data):
period, nation, competent authority (analysts only: a manager's figures are always their authority's) and
layout. Every table page, chart and download reads the same form."""

from datetime import date

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.utils import timezone

from accounts.models import Nation, Organisation
from casework.forms.case.base import DayMonthYearField
from insights import periods
from insights.figures import Filters
from insights.scope import Viewer

YEARS_OFFERED = 10
LAYOUTS = (("published", "As published"), ("tidy", "One row per figure (tidy data)"))


def period_choices(today: date) -> list[tuple[str, str]]:
    year = today.year
    current_quarter = periods.quarter_of(today)
    choices = [("custom", "Custom dates")]
    quarters = [
        (f"q-{y}-{n}", f"{periods.quarter(y, n).label}")
        for y in range(year, year - YEARS_OFFERED, -1)
        for n in range(4, 0, -1)
        if (y, n) <= (year, current_quarter)
    ]
    years = [(f"y-{y}", f"{y} (January to December)") for y in range(year, year - YEARS_OFFERED, -1)]
    first_fy = year if today.month >= 4 else year - 1
    financial = [(f"fy-{y}", f"Financial year {y} to {y + 1}") for y in range(first_fy, first_fy - YEARS_OFFERED, -1)]
    return [
        ("Years", years),
        ("Financial years", financial),
        ("Quarters", quarters),
        ("Other", choices),
    ]


def default_period(today: date) -> str:
    return f"y-{today.year}"


class StatisticsFilterForm(forms.Form):
    period = forms.ChoiceField(label="Period", error_messages={"invalid_choice": "Select a period from the list"})
    start = DayMonthYearField(name="Start date", label="Start date", required=False, help_text="For example, 1 4 2025")
    end = DayMonthYearField(name="End date", label="End date", required=False, help_text="For example, 31 3 2026")
    nation = forms.ChoiceField(
        label="Nation",
        required=False,
        choices=[("", "All of the UK"), *Nation.choices],
        error_messages={"invalid_choice": "Select a nation from the list"},
    )
    authority = forms.TypedChoiceField(
        label="Competent authority",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Select a competent authority from the list"},
    )
    layout = forms.ChoiceField(
        label="Layout",
        required=False,
        choices=LAYOUTS,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select a layout"},
    )

    def __init__(self, data=None, *, viewer: Viewer, **kwargs):
        self.today = timezone.localdate()
        data = data.copy() if data is not None else {}
        for key, value in (("period", default_period(self.today)), ("layout", "published")):
            if not data.get(key):
                data[key] = value
        super().__init__(data, **kwargs)
        self.viewer = viewer
        self.fields["period"].choices = period_choices(self.today)
        if viewer.is_analyst:
            authorities = Organisation.objects.filter(kind=Organisation.Kind.COMPETENT_AUTHORITY).order_by("name")
            self.fields["authority"].choices = [("", "All competent authorities")] + [
                (organisation.pk, organisation.name) for organisation in authorities
            ]
        else:
            del self.fields["authority"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *[
                Field(name, context={"label_size": Size.for_label("s"), "legend_size": Size.for_legend("s")})
                for name in self.fields
            ]
        )

    def clean(self):
        data = super().clean()
        if data.get("period") == "custom":
            start, end = data.get("start"), data.get("end")
            if start is None and "start" not in self.errors:
                self.add_error("start", "Enter the start date")
            if end is None and "end" not in self.errors:
                self.add_error("end", "Enter the end date")
            if start and end and end < start:
                self.add_error("end", "End date must be the same as or after the start date")
            if start and start > self.today:
                self.add_error("start", "Start date must be today or in the past")
        return data

    def filters(self) -> Filters | None:
        """The filters, or None while the form has errors (the page then shows them and no figures)."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        kind, *parts = data["period"].split("-")
        if kind == "q":
            period = periods.quarter(int(parts[0]), int(parts[1]))
        elif kind == "y":
            period = periods.calendar_year(int(parts[0]))
        elif kind == "fy":
            period = periods.financial_year(int(parts[0]))
        else:
            period = periods.custom(data["start"], data["end"])
        authority = data.get("authority") if self.viewer.is_analyst else self.viewer.authority_id
        return Filters(period=period, nation=data.get("nation") or "", authority_id=authority)

    @property
    def layout_choice(self) -> str:
        return (self.cleaned_data.get("layout") if self.is_valid() else None) or "published"

    def error_links(self) -> list[tuple[str, str]]:
        links = []
        for name, messages in self.errors.items():
            anchor = f"id_{name}" if name not in ("start", "end") else f"id_{name}_0"
            links += [(anchor, str(message)) for message in messages]
        return links
