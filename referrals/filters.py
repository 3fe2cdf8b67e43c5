"""The search and filters of the organisation's referrals: one box for either reference, a status and a route,
all GET parameters. A value that is not one of the choices is reported on the page and ignored: never a 500."""

from django import forms
from django.db.models import Q, QuerySet

from referrals.case_view import referral_cases
from referrals.models import Referral, Route

ROUTE_LABELS = {
    Route.CHILD: "Child NRM referral",
    Route.ADULT: "Adult NRM referral",
    Route.DUTY_TO_NOTIFY: "Duty to Notify",
}

SEARCH_MAX_LENGTH = 100


class ReferralFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        label="Search by reference",
        help_text="Our reference (for example NRM-2026-004217) or your own, or the start of either",
        error_messages={"max_length": f"Search must be {SEARCH_MAX_LENGTH} characters or fewer"},
    )
    status = forms.ChoiceField(
        required=False,
        label="Status",
        choices=[("", "Any status")],  # the referrer's statuses, from casework (see __init__)
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    route = forms.ChoiceField(
        required=False,
        label="Route",
        choices=[("", "Any route"), *ROUTE_LABELS.items()],
        error_messages={"invalid_choice": "Select a route from the list"},
    )

    def __init__(self, data=None, **kwargs):
        # Only this form's own parameters: "page" and anything else in the query string is not its business.
        if data is not None:
            data = {name: data.get(name, "") for name in self.base_fields}
        super().__init__(data, **kwargs)
        # The statuses in the words the referral's page shows them (a decision under review reads as the decision
        # still awaited): casework declares them once, for the label and for this filter.
        self.fields["status"].choices = [("", "Any status"), *referral_cases().status_choices()]

    @property
    def active(self) -> bool:
        """True when a valid search or filter narrows the list."""
        return any(self.cleaned_values().values())

    def cleaned_values(self) -> dict[str, str]:
        """The valid values only; an invalid one (its error shown on the page) does not narrow the list."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: self.cleaned_data.get(name) or "" for name in self.fields if name not in self.errors}

    def apply(self, referrals: QuerySet[Referral]) -> QuerySet[Referral]:
        values = self.cleaned_values()
        if search := values.get("q"):
            # Our references are upper case, so the reference's own (pattern) index serves the prefix match.
            referrals = referrals.filter(
                Q(reference__startswith=search.upper()) | Q(responder_reference__istartswith=search)
            )
        if status := values.get("status"):
            referrals = referrals.filter(referral_cases().status_filter(status))
        if route := values.get("route"):
            referrals = referrals.filter(route=route)
        return referrals

    def error_links(self) -> list[tuple[str, str]]:
        return [(name, error) for name in self.fields for error in self.errors.get(name, [])]
