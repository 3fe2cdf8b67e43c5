"""The referral's declaration: well formed, every route asks what it must (and nothing it must not), and every
question and option of the live service (../shared/referral-fields.md) is present."""

import re
from pathlib import Path

import pytest

from referrals.models import Route
from referrals.questions import EXPLOITATION_GROUPS, QUESTIONNAIRE, route_of
from referrals.questions.schema import Answers, DateRule, Kind, Option, Page, Question, Questionnaire, Section
from referrals.reference_lists import LISTS

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "referrals" / "reference"
REFERENCE_LISTS = {
    "organisations",
    "countries",
    "nationalities",
    "uk_towns",
    "uk_regions",
    "local_authorities",
    "police_forces",
}
CHOICE_KINDS = {Kind.RADIOS, Kind.CHECKBOXES}
LIST_KINDS = {Kind.SELECT, Kind.SELECT_MANY}

CHILD = {"under_18": "yes"}
CHILD_NOT_SURE = {"under_18": "not_sure"}
ADULT = {"under_18": "no", "consent": "yes"}
DUTY_TO_NOTIFY = {"under_18": "no", "consent": "no"}
DTN_COOPERATING = {**DUTY_TO_NOTIFY, "cooperate_with_authorities": "yes"}

# What a Duty to Notify must never ask: support, the decision, the responder's phone, evidence.
SUPPORT_KEYS = {
    "wants_support",
    "support_contact_method",
    "support_phone",
    "support_alternative_phone",
    "support_alternative_relationship",
    "support_no_phone_reason",
}
DECISION_KEYS = {
    "decision_recipient",
    "decision_recipient_name",
    "decision_recipient_relationship",
    "decision_recipient_permission",
    "contact_methods",
    "contact_email",
    "contact_email_safe",
    "address_line_1",
    "address_line_2",
    "address_town",
    "address_county",
    "address_postcode",
    "address_safe",
}
LOCAL_AUTHORITY_KEYS = {"la_name", "la_phone", "la_email", "la_contact_first_name", "la_contact_last_name"}


def all_pages() -> list[tuple[Section, Page]]:
    return [(section, page) for section in QUESTIONNAIRE.sections for page in section.pages]


def all_questions() -> list[tuple[Section, Page, Question]]:
    return [(section, page, question) for section, page in all_pages() for question in page.questions]


def applicable_pages(answers: Answers) -> list[Page]:
    """Every page shown for these answers (in order), whatever the choices that reveal questions on it."""
    return [
        page
        for section in QUESTIONNAIRE.sections
        if section.applies(answers)
        for page in section.pages
        if page.applies(answers)
    ]


def applicable_keys(answers: Answers) -> set[str]:
    """Every question that could be asked for these answers: revealed questions included, so that an exclusion
    holds whatever is chosen on the page."""
    return {
        question.key for page in applicable_pages(answers) for question in page.questions if question.applies(answers)
    }


def revealed_keys(page: Page) -> set[str]:
    return {key for question in page.questions for option in question.options for key in option.reveals}


def options_of(key: str) -> dict[str, str]:
    return {option.value: option.label for option in QUESTIONNAIRE.question(key).options}


# --- shape ----------------------------------------------------------------------------------------------------


def test_the_sections_are_the_task_list_in_order():
    assert [section.slug for section in QUESTIONNAIRE.sections] == [
        "setup",
        "age",
        "consent",
        "background",
        "account",
        "assessment",
        "location",
        "exploitation",
        "risk",
        "police",
        "person",
        "your_details",
        "evidence",
    ]
    assert all(section.title and section.pages for section in QUESTIONNAIRE.sections)


def test_every_page_has_a_unique_kebab_case_slug_a_title_and_questions():
    slugs = [page.slug for _, page in all_pages()]
    assert len(slugs) == len(set(slugs))
    for _, page in all_pages():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", page.slug), page.slug
        assert page.title.strip(), page.slug
        assert page.questions, page.slug


def test_every_key_is_declared_once():
    keys = [question.key for _, _, question in all_questions()]
    assert len(keys) == len(set(keys))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", key) for key in keys)
    first = QUESTIONNAIRE.sections[0]
    with pytest.raises(ValueError, match="declared twice"):
        Questionnaire(sections=(first, Section("again", "Again", pages=first.pages)))


def test_every_revealed_question_is_on_the_same_page_and_revealed_by_one_option_only():
    revealers: dict[str, list[str]] = {}
    for _, page, question in all_questions():
        page_keys = {q.key for q in page.questions}
        for option in question.options:
            for key in option.reveals:
                assert key in page_keys, f"{question.key}={option.value} reveals {key}, not on page {page.slug}"
                assert key != question.key
                revealers.setdefault(key, []).append(f"{question.key}={option.value}")
    assert {key: parents for key, parents in revealers.items() if len(parents) > 1} == {}


def test_no_reveal_is_nested_inside_another():
    """GOV.UK: do not nest conditional reveals. A further choice gets a page of its own."""
    for _, page in all_pages():
        revealed = revealed_keys(page)
        for question in page.questions:
            if question.key in revealed:
                assert not any(option.reveals for option in question.options), question.key


def test_every_list_question_names_a_known_reference_list_and_only_those_do():
    for _, _, question in all_questions():
        if question.kind in LIST_KINDS:
            assert question.reference_list in REFERENCE_LISTS, question.key
            assert question.reference_list in LISTS, question.key
        else:
            assert not question.reference_list, question.key
            assert not question.exclude, question.key
        if question.kind == Kind.SELECT_MANY:
            assert question.max_items > 1, question.key


def test_excluded_items_are_in_their_lists():
    for _, _, question in all_questions():
        if question.exclude:
            names = (REFERENCE_DIR / f"{question.reference_list}.txt").read_text().splitlines()
            assert set(question.exclude) <= set(names), question.key


def test_choice_questions_have_distinct_options_and_others_have_none():
    for _, _, question in all_questions():
        if question.kind in CHOICE_KINDS:
            values = [option.value for option in question.options]
            assert len(values) >= 2, question.key
            assert len(values) == len(set(values)), question.key
            assert all(option.label for option in question.options), question.key
        else:
            assert question.options == (), question.key


def test_one_question_pages_use_the_label_as_the_heading_and_others_have_their_own():
    """A page has one h1: its one question's label, or (several questions, or an intro such as the evidence
    page's and the consent page's) the page's title, each question then labelled below it."""
    for _, page in all_pages():
        revealed = revealed_keys(page)
        shown_always = [question for question in page.questions if question.key not in revealed]
        headings = [question for question in page.questions if question.label_is_page_heading]
        if len(shown_always) == 1 and not page.intro:
            assert headings == shown_always, page.slug
        else:
            assert headings == [], page.slug


def test_labels_are_plain_and_long_ones_have_a_short_label():
    for _, _, question in all_questions():
        assert question.label[0].isupper(), question.key
        assert question.label == question.label.strip()
        if len(question.label) > 60:
            assert question.summary_label, question.key
        assert len(question.short_label) <= 60, question.key


def test_every_condition_says_in_words_when_it_applies():
    """The prompt sheet prints these."""
    for section, page in all_pages():
        for condition in (section.show_if, page.show_if):
            if condition is not None:
                assert condition.description.strip(), page.slug
                assert "_" not in condition.description, f"{page.slug}: {condition.description}"


# --- conventions of the live service --------------------------------------------------------------------------


def test_free_text_is_at_most_15000_characters_and_a_relationship_250():
    for _, _, question in all_questions():
        if question.kind in (Kind.TEXT, Kind.TEXTAREA):
            assert 0 < question.max_length <= 15000, question.key
    for key in ("support_alternative_relationship", "decision_recipient_relationship"):
        assert QUESTIONNAIRE.question(key).max_length == 250
    assert QUESTIONNAIRE.question("made_to_do").max_length == 15000


def test_urls_are_refused_in_the_two_details_boxes_that_invite_contact_details():
    refusing = {question.key for _, _, question in all_questions() if question.refuse_urls}
    assert refusing == {"last_contact_details", "cooperation_details"}


def test_the_date_of_birth_is_an_optional_plausible_birth_date():
    question = QUESTIONNAIRE.question("date_of_birth")
    assert question.kind == Kind.DATE
    assert question.date_rule == DateRule.BIRTH
    assert not question.required


def test_the_columns_the_submission_reads_have_the_expected_kinds():
    expected = {
        "responder_reference": Kind.TEXT,
        "organisation": Kind.SELECT,
        "nation": Kind.RADIOS,
        "under_18": Kind.RADIOS,
        "child_during_exploitation": Kind.RADIOS,
        "consent": Kind.RADIOS,
        "first_name": Kind.TEXT,
        "last_name": Kind.TEXT,
        "nickname": Kind.TEXT,
        "date_of_birth": Kind.DATE,
        "gender": Kind.RADIOS,
        "nationality": Kind.SELECT,
        "second_nationality": Kind.SELECT,
        "home_office_reference_held": Kind.RADIOS,
        "home_office_reference_type": Kind.TEXT,
        "home_office_reference": Kind.TEXT,
        "exploitation_types": Kind.CHECKBOXES,
        "exploitation_other": Kind.TEXTAREA,
        "exploited_in": Kind.RADIOS,
        "uk_towns": Kind.SELECT_MANY,
        "uk_location_details": Kind.TEXTAREA,
        "countries": Kind.SELECT_MANY,
        "current_town": Kind.SELECT,
        "current_region": Kind.SELECT,
        "wants_support": Kind.RADIOS,
        "decision_recipient": Kind.RADIOS,
        "la_name": Kind.SELECT,
        "la_phone": Kind.PHONE,
        "la_email": Kind.EMAIL,
        "no_consent_reason": Kind.TEXTAREA,
        "cooperate_with_authorities": Kind.RADIOS,
        "children_count": Kind.NUMBER,
        "responder_phone": Kind.PHONE,
        "evidence_notes": Kind.TEXTAREA,
    }
    assert {key: QUESTIONNAIRE.question(key).kind for key in expected} == expected
    assert QUESTIONNAIRE.question("organisation").reference_list == "organisations"
    nationality = QUESTIONNAIRE.question("nationality")
    assert nationality.reference_list == "nationalities"
    assert nationality.required
    assert not QUESTIONNAIRE.question("second_nationality").required
    assert QUESTIONNAIRE.question("second_nationality").reference_list == "nationalities"
    assert QUESTIONNAIRE.question("first_name").required
    assert QUESTIONNAIRE.question("last_name").required
    assert not QUESTIONNAIRE.question("nickname").required


@pytest.mark.parametrize(
    ("key", "reference_list"),
    [("current_town", "uk_towns"), ("current_region", "uk_regions"), ("nationality", "nationalities")],
)
def test_unknown_is_a_choice_where_the_person_may_not_know(key, reference_list):
    question = QUESTIONNAIRE.question(key)
    assert question.reference_list == reference_list
    assert "Unknown" in (REFERENCE_DIR / f"{reference_list}.txt").read_text().splitlines()
    assert question.required
    assert "Unknown" in question.hint


def test_towns_and_countries_hold_one_to_ten_and_countries_exclude_the_uk():
    towns, countries = QUESTIONNAIRE.question("uk_towns"), QUESTIONNAIRE.question("countries")
    assert (towns.reference_list, towns.max_items, towns.required) == ("uk_towns", 10, True)
    assert (countries.reference_list, countries.max_items, countries.required) == ("countries", 10, True)
    assert countries.exclude == ("United Kingdom",)
    assert not QUESTIONNAIRE.question("uk_location_details").required


def test_children_count_is_revealed_by_yes_and_holds_1_to_30():
    count = QUESTIONNAIRE.question("children_count")
    assert (count.min_value, count.max_value) == (1, 30)
    assert QUESTIONNAIRE.question("children").options[0] == Option("yes", "Yes", reveals=("children_count",))


# --- the live service's options --------------------------------------------------------------------------------


def test_setup_asks_the_reference_organisation_and_nation():
    assert "do not include the person" in QUESTIONNAIRE.question("responder_reference").hint.lower()
    assert options_of("nation") == {
        "england": "England",
        "wales": "Wales",
        "scotland": "Scotland",
        "northern_ireland": "Northern Ireland",
    }


def test_age_options():
    assert options_of("under_18") == {"yes": "Yes", "no": "No", "not_sure": "Not sure"}
    assert options_of("child_during_exploitation") == {"yes": "Yes", "no": "No", "not_sure": "Not sure"}
    assert options_of("consent") == {"yes": "Yes", "no": "No"}


def test_last_contact_has_the_seven_options_of_the_live_service():
    assert list(options_of("last_contact").values()) == [
        "Within the last week",
        "Within the last month",
        "Within the last 3 months",
        "Within the last 6 months",
        "6 to 12 months ago",
        "Over a year ago",
        "Not sure",
    ]
    details = QUESTIONNAIRE.question("last_contact_details")
    assert not details.required
    _, page = QUESTIONNAIRE.page("since-the-exploitation")
    keys = [question.key for question in page.questions]
    assert keys.index("last_contact") + 1 == keys.index("last_contact_details")


def test_exploitation_types_have_every_live_option_and_other_reveals_a_required_description():
    question = QUESTIONNAIRE.question("exploitation_types")
    assert question.kind == Kind.CHECKBOXES
    assert question.required
    assert list(options_of("exploitation_types")) == [
        "forced_labour",
        "wages_taken",
        "forced_fraud",
        "forced_prostitution",
        "child_sexual_exploitation",
        "held_sexually_assaulted",
        "forced_criminality",
        "organ_removal",
        "domestic_servitude",
        "other",
    ]
    other = next(option for option in question.options if option.value == "other")
    assert other.reveals == ("exploitation_other",)
    assert QUESTIONNAIRE.question("exploitation_other").required
    criminal = next(option for option in question.options if option.value == "forced_criminality")
    for example in ("cannabis", "drug dealing", "county lines", "begging"):
        assert example in criminal.hint


def test_exploitation_groups_cover_every_checkbox_value_exactly_once():
    values = [value for group in EXPLOITATION_GROUPS.values() for value in group]
    assert sorted(values) == sorted(options_of("exploitation_types"))
    assert len(values) == len(set(values))
    assert set(EXPLOITATION_GROUPS) == {"labour", "sexual", "criminal", "domestic", "organ", "other"}
    assert EXPLOITATION_GROUPS["organ"] == ("organ_removal",)
    assert EXPLOITATION_GROUPS["other"] == ("other",)


def test_where_exploited_and_the_pages_it_shows():
    assert options_of("exploited_in") == {"uk": "In the UK", "overseas": "Overseas", "both": "In the UK and overseas"}
    _, towns = QUESTIONNAIRE.page("uk-towns")
    _, countries = QUESTIONNAIRE.page("countries")
    shown = {
        place: (towns.applies({"exploited_in": place}), countries.applies({"exploited_in": place}))
        for place in ("uk", "overseas", "both")
    }
    assert shown == {"uk": (True, False), "overseas": (False, True), "both": (True, True)}
    assert not towns.applies({})
    assert not countries.applies({})


def test_the_other_yes_no_not_sure_questions_of_the_live_service():
    assert options_of("more_than_one_situation") == {"yes": "Yes", "no": "No", "dont_know": "I don't know"}
    assert options_of("reported_before") == {"yes": "Yes", "no": "No", "not_sure": "Not sure"}
    assert options_of("other_victims") == {"yes": "Yes", "no": "No", "not_sure": "Not sure"}
    assert options_of("gender") == {
        "female": "Female",
        "male": "Male",
        "other": "They do not identify as male or female",
    }


@pytest.mark.parametrize(
    ("key", "option", "revealed"),
    [
        ("taken_somewhere", "yes", ("journey_details",)),
        ("still_exploited", "yes", ("still_exploited_reasons",)),
        ("still_exploited", "no", ("how_they_left",)),
        ("reported_before", "yes", ("reported_before_details",)),
        ("reported_before", "not_sure", ("reported_before_not_sure_details",)),
        ("reported_before", "no", ("not_reported_reason",)),
        ("indicators_identified", "yes", ("indicators_details",)),
        ("credibility_concerns", "yes", ("credibility_evidence",)),
        ("other_professionals", "yes", ("other_professionals_details",)),
        ("re_exploitation_risk", "yes", ("re_exploitation_reasons",)),
        ("crime_reference_held", "yes", ("police_force", "crime_reference")),
        ("willing_to_cooperate", "yes", ("cooperation_details",)),
        ("interpreter_needed", "yes", ("interpreter_language",)),
        ("communication_help", "yes", ("communication_help_details",)),
        ("home_office_reference_held", "yes", ("home_office_reference_type", "home_office_reference")),
        (
            "decision_recipient",
            "someone_else",
            ("decision_recipient_name", "decision_recipient_relationship", "decision_recipient_permission"),
        ),
        ("contact_methods", "email", ("contact_email", "contact_email_safe")),
    ],
)
def test_details_are_revealed_by_the_answers_that_call_for_them(key, option, revealed):
    chosen = next(o for o in QUESTIONNAIRE.question(key).options if o.value == option)
    assert chosen.reveals == revealed


def test_the_statutory_guidance_and_the_effect_of_trauma_are_pointed_out():
    _, indicators = QUESTIONNAIRE.page("indicators")
    assert "statutory guidance" in QUESTIONNAIRE.question("indicators_identified").hint
    assert "gov.uk" in indicators.intro
    assert "trauma" in QUESTIONNAIRE.question("credibility_concerns").hint


def test_the_police_reference_needs_the_force_and_the_number():
    assert QUESTIONNAIRE.question("police_force").reference_list == "police_forces"
    assert QUESTIONNAIRE.question("police_force").required
    assert QUESTIONNAIRE.question("crime_reference").required


def test_support_contact_options_and_the_safety_warning():
    assert set(options_of("support_contact_method")) == {"own_phone", "alternative_phone", "cannot_provide"}
    assert QUESTIONNAIRE.question("support_alternative_phone").warning
    assert QUESTIONNAIRE.question("support_no_phone_reason").required


def test_each_way_of_sending_the_decision_needs_a_confirmation_that_it_is_safe():
    post = next(o for o in QUESTIONNAIRE.question("contact_methods").options if o.value == "post")
    assert {"address_line_1", "address_town", "address_county", "address_postcode", "address_safe"} <= set(post.reveals)
    for key in ("contact_email_safe", "address_safe", "decision_recipient_permission"):
        assert QUESTIONNAIRE.question(key).kind == Kind.CONFIRM
        assert QUESTIONNAIRE.question(key).required
    assert not QUESTIONNAIRE.question("address_county").required
    assert QUESTIONNAIRE.question("address_postcode").required


# --- routes -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "route"),
    [
        ({}, None),
        (CHILD, Route.CHILD),
        (CHILD_NOT_SURE, Route.CHILD),
        ({**CHILD, "consent": "no"}, Route.CHILD),
        ({"under_18": "no"}, None),
        (ADULT, Route.ADULT),
        (DUTY_TO_NOTIFY, Route.DUTY_TO_NOTIFY),
        ({"consent": "yes"}, None),
    ],
)
def test_route_of(answers, route):
    assert route_of(answers) == route


def test_the_content_sections_wait_for_the_age_and_an_adults_consent():
    assert QUESTIONNAIRE.section("age").needs == ()
    assert QUESTIONNAIRE.section("consent").needs == ("age",)
    for section in QUESTIONNAIRE.sections[3:]:
        assert set(section.needs) == {"age", "consent"}, section.slug


def test_nothing_about_the_person_is_asked_until_the_route_is_known():
    assert not {"first_name", "gender", "nationality", "no_consent_reason"} & applicable_keys({"under_18": "no"})
    assert "consent" not in applicable_keys({})


@pytest.mark.parametrize("answers", [CHILD, ADULT, DUTY_TO_NOTIFY])
def test_the_account_of_the_exploitation_is_asked_on_every_route(answers):
    keys = applicable_keys(answers)
    assert {
        "how_it_started",
        "last_contact",
        "indicators_identified",
        "exploited_in",
        "exploitation_types",
        "other_victims",
        "crime_reference_held",
        "gender",
        "nationality",
        "current_town",
    } <= keys


@pytest.mark.parametrize("answers", [DUTY_TO_NOTIFY, DTN_COOPERATING])
def test_a_duty_to_notify_asks_nothing_about_support_the_decision_the_responders_phone_or_evidence(answers):
    keys = applicable_keys(answers)
    assert not keys & SUPPORT_KEYS
    assert not keys & DECISION_KEYS
    assert not keys & LOCAL_AUTHORITY_KEYS
    assert not keys & {"responder_phone", "responder_first_name", "alternative_contact_email", "evidence_notes"}
    assert not keys & {"date_of_birth", "children", "interpreter_needed", "home_office_reference_held"}
    slugs = {page.slug for page in applicable_pages(answers)}
    assert not slugs & {"more-about-them", "support-contact", "decision", "your-details", "evidence"}
    assert not keys & {"nickname", "immediate_safeguarding_needs", "willing_to_cooperate"}  # not asked live
    assert {"no_consent_reason", "gender", "nationality", "second_nationality", "cooperate_with_authorities"} <= keys


def test_a_duty_to_notify_asks_the_name_and_a_contact_only_of_someone_who_will_cooperate():
    assert not applicable_keys(DUTY_TO_NOTIFY) & {"first_name", "last_name", "nickname", "dtn_contact_method"}
    assert not applicable_keys({**DUTY_TO_NOTIFY, "cooperate_with_authorities": "no"}) & {"first_name"}
    assert {"first_name", "last_name", "dtn_contact_method", "dtn_contact_phone"} <= applicable_keys(DTN_COOPERATING)
    order = [page.slug for page in applicable_pages(DTN_COOPERATING)]
    assert order.index("no-consent") < order.index("person") < order.index("dtn-contact")


def test_the_child_route_asks_for_the_local_authority_and_never_for_consent():
    for answers in (CHILD, CHILD_NOT_SURE):
        keys = applicable_keys(answers)
        assert "consent" not in keys
        assert keys >= LOCAL_AUTHORITY_KEYS
        assert not keys & SUPPORT_KEYS
        assert not keys & DECISION_KEYS
        assert "child_during_exploitation" not in keys
        assert not QUESTIONNAIRE.section("consent").applies(answers)
    required = {key for key in LOCAL_AUTHORITY_KEYS if QUESTIONNAIRE.question(key).required}
    assert required == {"la_name", "la_phone", "la_email"}
    assert QUESTIONNAIRE.question("la_name").reference_list == "local_authorities"
    _, page = QUESTIONNAIRE.page("local-authority")
    assert "local authority" in page.intro


def test_the_child_route_asks_the_nrm_questions_about_the_person_and_the_responder():
    keys = applicable_keys(CHILD)
    assert {
        "first_name",
        "last_name",
        "nickname",
        "date_of_birth",
        "gender",
        "children",
        "nationality",
        "interpreter_needed",
        "communication_help",
        "home_office_reference_held",
        "responder_phone",
        "alternative_contact_email",
        "evidence_notes",
    } <= keys
    assert "cooperate_with_authorities" not in keys
    assert "no_consent_reason" not in keys


def test_an_adult_who_consents_is_asked_everything_of_an_nrm_referral():
    keys = applicable_keys(ADULT)
    assert {"consent", "child_during_exploitation", "first_name", "date_of_birth", "children"} <= keys
    assert keys | applicable_keys({**ADULT, "wants_support": "yes"}) >= SUPPORT_KEYS
    assert "support_contact_method" not in keys  # only once they want support
    assert keys >= DECISION_KEYS
    assert {"responder_first_name", "responder_phone", "alternative_contact_email", "evidence_notes"} <= keys
    assert not keys & LOCAL_AUTHORITY_KEYS
    assert not keys & {"no_consent_reason", "cooperate_with_authorities", "dtn_contact_method"}


def test_every_applicable_page_on_each_route_comes_once():
    for answers in (CHILD, ADULT, DUTY_TO_NOTIFY, DTN_COOPERATING):
        slugs = [page.slug for page in applicable_pages(answers)]
        assert len(slugs) == len(set(slugs))


def test_the_situation_dates_page_depends_on_how_many_situations():
    _, single = QUESTIONNAIRE.page("exploitation-dates")
    _, several = QUESTIONNAIRE.page("situations-dates")
    for answer, expected in (("yes", (False, True)), ("no", (True, False)), ("dont_know", (True, False))):
        answers = {"more_than_one_situation": answer}
        assert (single.applies(answers), several.applies(answers)) == expected


def test_evidence_is_an_optional_section_of_one_page_for_nrm_referrals():
    evidence = QUESTIONNAIRE.section("evidence")
    assert evidence.optional
    assert [page.slug for page in evidence.pages] == ["evidence"]
    assert [question.key for question in evidence.pages[0].questions] == ["evidence_notes"]
    assert not QUESTIONNAIRE.question("evidence_notes").required
    assert evidence.applies(CHILD)
    assert evidence.applies(ADULT)
    assert not evidence.applies(DUTY_TO_NOTIFY)
    assert not QUESTIONNAIRE.section("your_details").applies(DUTY_TO_NOTIFY)
