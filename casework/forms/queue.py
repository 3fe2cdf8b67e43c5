"""The queue's filters (a GET form: a value that is not one of the choices is reported on the page and ignored,
never a 500) and the team page's "Assign selected to" form."""

import functools

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Div, Field, Layout, Size
from django import forms

from accounts.models import Nation, User
from casework.models import Case
from casework.queue import ANY_STATUS, ROUTE_LABELS, QueueFilters, Sort
from referrals.choices import FixedChoices
from referrals.questions.definition import EXPLOITATION_GROUP_LABELS


def _column(*fields, width: str = "one-quarter") -> Div:
    return Div(*fields, css_class=f"govuk-grid-column-{width}")


def _select(name: str) -> Field:
    return Field(name, css_class="govuk-!-width-full", context={"label_size": Size.for_label(Size.SMALL)})


@functools.cache
def _filters_helper() -> FormHelper:
    """The filters' layout, the same for every form: made once per process, not for each page."""
    helper = FormHelper()
    helper.form_tag = False  # the template writes the GET form with the tab as a hidden input
    helper.layout = Layout(
        Div(
            _column(_select("status")),
            _column(_select("route")),
            _column(_select("exploitation_type")),
            _column(_select("age")),
            css_class="govuk-grid-row",
        ),
        Div(
            _column(_select("nation")),
            _column(_select("sort")),
            _column(Field.checkbox("overdue", small=True), width="one-half app-queue-filters__checkbox"),
            css_class="govuk-grid-row",
        ),
    )
    return helper


class QueueFilterForm(forms.Form):
    # Fixed choices (referrals.choices): the same pairs serve every form, never copied or normalised again.
    status = forms.ChoiceField(
        required=False,
        label="Status",
        choices=FixedChoices(
            [("", "Any open status"), (ANY_STATUS, "Any status, open or closed"), *Case.Status.choices]
        ),
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    route = forms.ChoiceField(
        required=False,
        label="Referral route",
        choices=FixedChoices([("", "Any route"), *ROUTE_LABELS.items()]),
        error_messages={"invalid_choice": "Select a referral route from the list"},
    )
    exploitation_type = forms.ChoiceField(
        required=False,
        label="Type of exploitation",
        choices=FixedChoices([("", "Any type"), *EXPLOITATION_GROUP_LABELS.items()]),
        error_messages={"invalid_choice": "Select a type of exploitation from the list"},
    )
    age = forms.ChoiceField(
        required=False,
        label="Child or adult",
        choices=FixedChoices([("", "Children and adults"), ("child", "Children"), ("adult", "Adults")]),
        error_messages={"invalid_choice": "Select children, adults or both"},
    )
    nation = forms.ChoiceField(
        required=False,
        label="Nation",
        choices=FixedChoices([("", "Any nation"), *Nation.choices]),
        error_messages={"invalid_choice": "Select a nation from the list"},
    )
    sort = forms.ChoiceField(
        required=False,
        label="Sort by",
        choices=FixedChoices(Sort.choices),
        error_messages={"invalid_choice": "Select an order from the list"},
    )
    overdue = forms.BooleanField(required=False, label="Overdue cases only")

    def __init__(self, data=None, **kwargs):
        # Only this form's own parameters: the tab, the page and anything else are not its business.
        if data is not None:
            data = {name: data.get(name, "") for name in self.base_fields}
        super().__init__(data, **kwargs)

    @property
    def helper(self) -> FormHelper:
        return _filters_helper()

    def markup_key(self) -> tuple | None:
        """What the filters' markup depends on (common.templatetags.govuk.crispy_kept): the value each field
        shows; None when a value is refused (its error is shown, and such markup is not kept)."""
        if self.errors:
            return None
        return tuple(self[name].value() for name in self.fields)

    def filters(self) -> QueueFilters:
        """The valid values only; an invalid one (its error shown on the page) does not narrow the list."""
        if not self.is_bound:
            return QueueFilters()
        self.is_valid()
        values = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        return QueueFilters(
            status=values.get("status") or "",
            route=values.get("route") or "",
            exploitation_type=values.get("exploitation_type") or "",
            age=values.get("age") or "",
            nation=values.get("nation") or "",
            overdue=bool(values.get("overdue")),
            sort=values.get("sort") or Sort.URGENCY,
        )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        return f"{user.full_name or user.email} ({user.get_role_display().lower()})"


class BulkAssignForm(forms.Form):
    """Cases of the manager's authority (`cases` is scoped: an id outside it is refused) given to one of its
    active caseworkers or managers."""

    cases = forms.ModelMultipleChoiceField(
        queryset=Case.objects.none(),
        error_messages={
            "required": "Select the cases to assign",
            "invalid_choice": "Select cases from the list",
            "invalid_pk_value": "Select cases from the list",
        },
    )
    assignee = StaffChoiceField(
        queryset=User.objects.none(),
        label="Assign selected cases to",
        empty_label="Choose a caseworker",
        error_messages={
            "required": "Select who to assign the cases to",
            "invalid_choice": "Select a caseworker from the list",
        },
    )

    def __init__(self, *args, cases, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases
        self.fields["assignee"].queryset = staff
        self.helper = FormHelper()  # for its error summary: the team page writes the fields (_queue.html)
        self.helper.form_tag = False

    def selected_ids(self) -> set[str]:
        """The case ids ticked, as posted: kept ticked when the page is shown again with an error."""
        return set(self.data.getlist("cases")) if self.is_bound else set()

    def chosen(self) -> str:
        return str(self.data.get("assignee", "")) if self.is_bound else ""
