"""The timeline's wording and the status colours come from one table each (casework.selectors.timeline): every
event kind has its words and every status its colour, so a new kind or status cannot reach the page unworded."""

from casework.models import Case, CaseEvent
from casework.selectors.timeline import EVENT_WORDING, STATUS_COLOURS, Details, Lookups, timeline_entry

GOVUK_TAG_COLOURS = {"grey", "green", "turquoise", "blue", "light-blue", "purple", "pink", "red", "orange", "yellow"}


def test_every_event_kind_has_its_wording():
    assert set(EVENT_WORDING) == set(CaseEvent.Kind.values)
    assert all(callable(describer) for describer in EVENT_WORDING.values())


def test_every_status_has_a_govuk_tag_colour():
    assert set(STATUS_COLOURS) == set(Case.Status.values)
    assert set(STATUS_COLOURS.values()) <= GOVUK_TAG_COLOURS


def nothing_to_look_up() -> Lookups:
    """Lookups for events that name no row (so nothing is read)."""
    return Lookups([], notes=[], decisions=[], information_requests=[], reconsiderations=[], cases={})


def test_every_kind_is_worded_from_its_data_alone_without_the_from_and_to_status():
    lookups = nothing_to_look_up()
    for kind in CaseEvent.Kind:
        entry = timeline_entry(CaseEvent(kind=kind, data={}), lookups)
        assert entry.title == kind.label
        assert all(entry.lines), kind


def test_the_wording_may_use_the_status_an_event_entered():
    lookups = nothing_to_look_up()
    data = {"from_status": Case.Status.SUSPENDED, "to_status": Case.Status.AWAITING_CG}
    entry = timeline_entry(CaseEvent(kind=CaseEvent.Kind.RESUMED, data=data), lookups)
    assert entry.lines == ("Back to: awaiting conclusive grounds decision",)
    assert EVENT_WORDING[CaseEvent.Kind.OPENED]({}, lookups) == Details()
