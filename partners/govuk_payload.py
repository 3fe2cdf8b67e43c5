"""The live GOV.UK "Report modern slavery" service's case payload (a flat JSON object of string values), read into
our referral's answers and written from them, key by key, in ONE declaration: MAPPING.

Each entry of MAPPING names the GOV.UK keys it carries and knows both directions: `read` (payload -> answers, with
an error per GOV.UK key for an unknown or malformed value) and `write` (answers -> payload). A plain `Field` is one
key to one question with a codec; the few composite entries (the kind of report, the exploitation type flags,
the numbered towns and countries, the contact method, the person's or the decision recipient's contact) say why.
Keys our questionnaire has no question for are KEPT as received (ImportedReferral.kept) and written back on
export, so that nothing an import carried is lost. The questions the live service never asks get a stated value
(ASSUMED below) so that an imported report passes the same checks as the web's.

import_answers(payload) -> Imported(answers, external_id, kept, route); export_payload(referral) -> dict.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from referrals.models import Route

NRM_TYPE = "560734"
DTN_TYPE = "662265"
NOT_SURE_DETAILS = "No further information provided"
# Our own identifier of a referral made here, in the GOV.UK payload's ExternalId (stable: derived from the reference).
EXTERNAL_ID_NAMESPACE = uuid.UUID("6f1c3b1e-7d2a-4c55-9a86-2f0f8b6b1d14")

ADULT_ROUTES = frozenset({Route.ADULT, Route.DUTY_TO_NOTIFY})
NRM_ROUTES = frozenset({Route.ADULT, Route.CHILD})
ALL_ROUTES = frozenset(Route)

# Questions the live service never asks, and what an imported report answers to them (ADR 0029): visible to the
# caseworker as such, never a guess about the person.
ASSUMED: dict[str, tuple[frozenset[Route], str, str]] = {
    # key: (routes, value, why)
    "immediate_safeguarding_needs": (NRM_ROUTES, "yes", "not asked by the GOV.UK service: treated as to be checked"),
    "safeguarding_details": (
        NRM_ROUTES,
        "Not asked by the GOV.UK service that made this report: check the person's immediate safeguarding needs "
        "with the first responder.",
        "the details the 'yes' above needs",
    ),
    "decision_recipient_relationship": (
        frozenset({Route.ADULT}),
        "Not recorded by the GOV.UK service",
        "the live service names the other recipient but does not ask the relationship",
    ),
    "home_office_reference_type": (
        ALL_ROUTES,
        "Home Office reference (CID)",
        "the live service's CIDReference is the Home Office's CID reference",
    ),
}

# Keys the questionnaire has no question for: kept as received and given back on export.
KEPT_KEYS = ("Agent.Email", "MultipleExploitationSituations", "ReasonForMakingReferral", "ExploitationWhyTheyStayed")
DOCUMENT_KEY = re.compile(r"^Document([1-9][0-9]{0,2})\.(URL|Name|MimeType|URLLoadContent)$")


class PayloadError(Exception):
    """The payload cannot be read: `errors` maps each GOV.UK key to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{key}: {' '.join(messages)}" for key, messages in errors.items()))


@dataclass
class Reading:
    """One payload being read: its values (stripped strings), the route, the answers so far, the errors."""

    payload: Mapping[str, str]
    route: Route | None = None
    answers: dict = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    # For each answer key, the GOV.UK key it came from (to name the key in a later validation error).
    source: dict[str, str] = field(default_factory=dict)
    # The GOV.UK keys an entry has read: a value no entry read has no place in this report (an error, not a loss).
    consumed: set[str] = field(default_factory=set)

    def get(self, key: str) -> str:
        self.consumed.add(key)
        return self.payload.get(key, "")

    def error(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)

    def set(self, answer_key: str, value, *, from_key: str) -> None:
        if value in (None, "", []):
            return
        self.answers[answer_key] = value
        self.source.setdefault(answer_key, from_key)


# ---------------------------------------------------------------------------------------------------------------
# Codecs: a GOV.UK string <-> one stored answer
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Codec:
    read: Callable[[str], object]  # raises ValueError with a message naming the allowed values
    write: Callable[[object], str]


def _text_read(value: str) -> str:
    return value


TEXT = Codec(_text_read, lambda answer: str(answer))


def choice(pairs: Mapping[str, str]) -> Codec:
    """Our option value <-> the GOV.UK value, exactly (keys are case-sensitive, values too)."""
    back = {payload: ours for ours, payload in pairs.items()}

    def read(value: str) -> str:
        if value not in back:
            raise ValueError(f"must be one of: {', '.join(repr(v) for v in back)}")
        return back[value]

    return Codec(read, lambda answer: pairs[answer])


UF_YES_NO = choice({"yes": "Yes", "no": "No"})  # UF(yes/no)
YES_NO_NOT_SURE = choice({"yes": "Yes", "no": "No", "not_sure": "Not sure"})
AGE = choice({"no": "Adult", "yes": "Child", "not_sure": "Unknown"})


def _confirm_read(value: str) -> str:
    if value not in ("Yes", "No"):
        raise ValueError("must be 'Yes' or 'No'")
    return "yes" if value == "Yes" else ""


CONFIRM = Codec(_confirm_read, lambda answer: "Yes" if answer == "yes" else "No")


def _date_read(value: str) -> str:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("must be a date as YYYY-MM-DD")
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError("must be a real date as YYYY-MM-DD") from None


DATE = Codec(_date_read, lambda answer: str(answer))


def _number_read(value: str) -> int:
    if not re.fullmatch(r"[0-9]{1,6}", value):
        raise ValueError("must be a whole number, like 2")
    return int(value)


NUMBER = Codec(_number_read, lambda answer: str(answer))

LAST_CONTACT = choice(
    {
        "within_week": "within-the-last-week",
        "within_month": "within-the-last-month",
        "within_3_months": "within-the-last-3-months",
        "within_6_months": "within-the-last-6-months",
        "6_to_12_months": "within-the-last-year",
        "over_a_year": "over-a-year-ago",
        "not_sure": "dont-know",
    }
)

NATIONS = {  # our nation: (Case.Jurisdiction, Country, CountryLabel)
    "england": ("ENGLAND", "ENG", "England"),
    "wales": ("WALES", "WAL", "Wales"),
    "scotland": ("SCOTLAND", "SCOT", "Scotland"),
    "northern_ireland": ("NORTHERNIRELAND", "NI", "Northern-ireland"),  # the live service's capitalisation
}

EXPLOITATION_FLAGS = {  # GOV.UK flag: our exploitation_types option
    "ComponentForcedToWorkForNothing": "forced_labour",
    "ComponentWagesTaken": "wages_taken",
    "ComponentFraud": "forced_fraud",
    "ComponentProstitution": "forced_prostitution",
    "ComponentChildExploitation": "child_sexual_exploitation",
    "ComponentSexuallyassaulted": "held_sexually_assaulted",
    "ComponentForcedCrime": "forced_criminality",
    "ComponentOrgansRemoved": "organ_removal",
    "ComponentDomesticServitude": "domestic_servitude",
}


# ---------------------------------------------------------------------------------------------------------------
# Entries of the declaration
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One GOV.UK key <-> one question, on the given routes (another entry may carry the key on other routes)."""

    key: str
    answer: str
    codec: Codec = TEXT
    routes: frozenset[Route] = ALL_ROUTES
    # Only when another answer holds (a revealed question sharing a GOV.UK key with another, say).
    when: Callable[[Mapping], bool] | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.key,)

    def applies(self, route: Route, answers: Mapping) -> bool:
        return route in self.routes and (self.when is None or self.when(answers))

    def read(self, reading: Reading) -> None:
        if not self.applies(reading.route, reading.answers):
            return
        value = reading.get(self.key)
        if not value:
            return
        try:
            reading.set(self.answer, self.codec.read(value), from_key=self.key)
        except ValueError as error:
            reading.error(self.key, f"{self.key} {error}")

    def write(self, route: Route, answers: Mapping, payload: dict) -> None:
        value = answers.get(self.answer)
        if value in (None, "", []) or not self.applies(route, answers):
            return
        payload[self.key] = self.codec.write(value)


@dataclass(frozen=True)
class KindOfReport:
    """Type, NRMOrDuty, AdultOrChild: the route (read first). The consent is NRM (yes) or DTN (no) for an adult."""

    keys: tuple[str, ...] = ("Type", "NRMOrDuty", "AdultOrChild")

    def read(self, reading: Reading) -> None:
        try:
            under_18 = AGE.read(reading.get("AdultOrChild"))
        except ValueError as error:
            reading.error("AdultOrChild", f"AdultOrChild {error}")
            return
        kind = reading.get("NRMOrDuty")
        if kind not in ("NRM", "DTN"):
            reading.error("NRMOrDuty", "NRMOrDuty must be one of: 'NRM', 'DTN'")
            return
        if under_18 != "no" and kind == "DTN":
            reading.error("NRMOrDuty", "NRMOrDuty must be 'NRM' for a child (AdultOrChild 'Child' or 'Unknown')")
            return
        expected_type = DTN_TYPE if kind == "DTN" else NRM_TYPE
        if reading.get("Type") and reading.get("Type") != expected_type:
            reading.error("Type", f"Type must be {expected_type!r} for NRMOrDuty {kind!r}")
            return
        reading.set("under_18", under_18, from_key="AdultOrChild")
        if under_18 == "no":
            reading.set("consent", "yes" if kind == "NRM" else "no", from_key="NRMOrDuty")
            reading.route = Route.ADULT if kind == "NRM" else Route.DUTY_TO_NOTIFY
        else:
            reading.route = Route.CHILD

    def write(self, route: Route, answers: Mapping, payload: dict) -> None:
        dtn = route == Route.DUTY_TO_NOTIFY
        payload["Type"] = DTN_TYPE if dtn else NRM_TYPE
        payload["NRMOrDuty"] = "DTN" if dtn else "NRM"
        payload["AdultOrChild"] = AGE.write(answers["under_18"])


@dataclass(frozen=True)
class Jurisdiction:
    """Case.Jurisdiction, Country and CountryLabel: the nation, three ways (they must agree)."""

    keys: tuple[str, ...] = ("Case.Jurisdiction", "Country", "CountryLabel")

    def read(self, reading: Reading) -> None:
        found = None
        for position, key in enumerate(self.keys):
            value = reading.get(key)
            if not value:
                continue
            nation = next((ours for ours, values in NATIONS.items() if values[position] == value), None)
            if nation is None:
                allowed = ", ".join(repr(values[position]) for values in NATIONS.values())
                reading.error(key, f"{key} must be one of: {allowed}")
            elif found and nation != found[1]:
                reading.error(key, f"{key} does not agree with {found[0]}")
            else:
                found = found or (key, nation)
        if found:
            reading.set("nation", found[1], from_key=found[0])

    def write(self, route: Route, answers: Mapping, payload: dict) -> None:
        payload.update(zip(self.keys, NATIONS[answers["nation"]], strict=True))


@dataclass(frozen=True)
class Numbered:
    """City1..City10 (or Country1..Country10) <-> a list answer, in order."""

    prefix: str
    answer: str
    count: int = 10

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f"{self.prefix}{n}" for n in range(1, self.count + 1))

    def read(self, reading: Reading) -> None:
        items = [reading.get(key) for key in self.keys if reading.get(key)]
        first = next((key for key in self.keys if reading.get(key)), "")
        reading.set(self.answer, list(dict.fromkeys(items)), from_key=first)

    def write(self, route: Route, answers: Mapping, payload: dict) -> None:
        for key, item in zip(self.keys, answers.get(self.answer) or [], strict=False):
            payload[key] = item


@dataclass(frozen=True)
class ExploitationTypes:
    """The Component* flags ('Yes' for each ticked) and ExploitationOther (the other type, when ticked)."""

    keys: tuple[str, ...] = (*EXPLOITATION_FLAGS, "ExploitationOther")

    def read(self, reading: Reading) -> None:
        chosen = []
        for flag, option in EXPLOITATION_FLAGS.items():
            value = reading.get(flag)
            if value == "Yes":
                chosen.append(option)
            elif value not in ("", "No"):
                reading.error(flag, f"{flag} must be 'Yes' (or left out)")
        if reading.get("ExploitationOther"):
            chosen.append("other")
            reading.set("exploitation_other", reading.get("ExploitationOther"), from_key="ExploitationOther")
        first = next((flag for flag in self.keys if reading.get(flag)), "ComponentForcedToWorkForNothing")
        reading.set("exploitation_types", chosen, from_key=first)

    def write(self, route: Route, answers: Mapping, payload: dict) -> None:
        chosen = set(answers.get("exploitation_types") or [])
        for flag, option in EXPLOITATION_FLAGS.items():
            if option in chosen:
                payload[flag] = "Yes"
        if "other" in chosen and answers.get("exploitation_other"):
            payload["ExploitationOther"] = answers["exploitation_other"]


@dataclass(frozen=True)
class DateOfBirth:
    """Customer.Custom7 ('Yes' when a date of birth is given) and Customer.DOB."""

    keys: tuple[str, ...] = ("Customer.Custom7", "Customer.DOB")

    def read(self, reading: Reading) -> None:
        given, value = reading.get("Customer.Custom7"), reading.get("Customer.DOB")
        if given not in ("", "Yes", "No"):
            reading.error("Customer.Custom7", "Customer.Custom7 must be 'Yes' or 'No'")
        elif value:
            try:
                reading.set("date_of_birth", DATE.read(value), from_key="Customer.DOB")
            except ValueError as error:
                reading.error("Customer.DOB", f"Customer.DOB {error}")

    def write(self, route: Route, answers: Mapping, payload: dict) -> None:
        if answers.get("date_of_birth"):
            payload["Customer.Custom7"] = "Yes"
            payload["Customer.DOB"] = answers["date_of_birth"]


@dataclass(frozen=True)
class Birthplace:
    """PVBirthplace (free text) <-> the country of birth (from the list) and the town: 'Town, Country'."""

    keys: tuple[str, ...] = ("PVBirthplace",)

    def read(self, reading: Reading) -> None:
        from referrals.reference_lists import UNKNOWN, reference_names

        value = reading.get("PVBirthplace")
        countries = set(reference_names("countries"))
        town, _, country = value.rpartition(",")
        if value in countries:
            town, country = "", value
        elif country.strip() in countries:
            town, country = town.strip(), country.strip()
        else:
            town, country = value, UNKNOWN
        reading.set("birth_country", country, from_key="PVBirthplace")
        reading.set("birth_town", town, from_key="PVBirthplace")

    def write(self, route: Route, answers: Mapping, payload: dict) -> None:
        from referrals.reference_lists import UNKNOWN

        country, town = answers.get("birth_country", ""), answers.get("birth_town", "")
        parts = [town, "" if country == UNKNOWN and town else country]
        if any(parts):
            payload["PVBirthplace"] = ", ".join(part for part in parts if part)


@dataclass(frozen=True)
class DecisionContact:
    """How the decision is sent (adults): Customer.ContactMethod and HowToNotify ('Email', 'Post', 'Email, Post'),
    and the email and address: the person's (Customer.*) or, when someone else receives the decision, theirs
    (AltContact*). The address's first line and second line travel as two lines of Customer.Address."""

    keys: tuple[str, ...] = ("Customer.ContactMethod", "HowToNotify")
    methods = {"Email": ["email"], "Post": ["post"], "Email, Post": ["email", "post"]}

    def read(self, reading: Reading) -> None:
        if reading.route != Route.ADULT:
            return
        values = {key: reading.get(key) for key in self.keys if reading.get(key)}
        for key, value in values.items():
            if value not in self.methods:
                reading.error(key, f"{key} must be one of: 'Email', 'Post', 'Email, Post'")
                return
        if len(set(values.values())) > 1:
            reading.error("HowToNotify", "HowToNotify does not agree with Customer.ContactMethod")
            return
        if values:
            key, value = next(iter(values.items()))
            reading.set("contact_methods", self.methods[value], from_key=key)
        other = reading.answers.get("decision_recipient") == "someone_else"
        prefix = {
            "email": "AltContactEmail" if other else "Customer.Email",
            "address": "AltContactAddress" if other else "Customer.Address",
            "town": "AltContactTown" if other else "Customer.Town",
            "county": "AltContactCounty" if other else "Customer.County",
            "postcode": "AltContactPostcode" if other else "Customer.Postcode",
        }
        reading.set("contact_email", reading.get(prefix["email"]), from_key=prefix["email"])
        line_1, _, line_2 = reading.get(prefix["address"]).partition("\n")
        reading.set("address_line_1", line_1.strip(), from_key=prefix["address"])
        reading.set("address_line_2", " ".join(line_2.split()), from_key=prefix["address"])
        reading.set("address_town", reading.get(prefix["town"]), from_key=prefix["town"])
        reading.set("address_county", reading.get(prefix["county"]), from_key=prefix["county"])
        reading.set("address_postcode", reading.get(prefix["postcode"]), from_key=prefix["postcode"])
        if other:
            first, last = reading.get("AltContactFirstName"), reading.get("AltContactName")
            reading.set("decision_recipient_name", " ".join(p for p in (first, last) if p), from_key="AltContactName")

    def write(self, route: Route, answers: Mapping, payload: dict) -> None:
        if route != Route.ADULT:
            return
        methods = answers.get("contact_methods") or []
        value = next((words for words, chosen in self.methods.items() if chosen == sorted(methods)), "")
        if value:
            payload["Customer.ContactMethod"] = payload["HowToNotify"] = value
        other = answers.get("decision_recipient") == "someone_else"
        names = ("AltContact", "AltContact") if other else ("Customer.", "Customer.")
        address = "\n".join(a for a in (answers.get("address_line_1"), answers.get("address_line_2")) if a)
        for key, value in (
            (f"{names[0]}Email", answers.get("contact_email")),
            (f"{names[1]}Address", address),
            (f"{names[1]}Town", answers.get("address_town")),
            (f"{names[1]}County", answers.get("address_county")),
            (f"{names[1]}Postcode", answers.get("address_postcode")),
        ):
            if value:
                payload[key] = value
        if other and answers.get("decision_recipient_name"):
            first, _, last = answers["decision_recipient_name"].partition(" ")
            payload["AltContactFirstName"], payload["AltContactName"] = first, last


@dataclass(frozen=True)
class DutyToNotifyContact:
    """A Duty to Notify's one contact method (when the adult cooperates): Customer.ContactMethod 'Email' or 'Post'
    with Customer.Email or Customer.Address (the whole address, its lines joined), or by phone: Customer.Phone
    with no ContactMethod (the live service's methods are email and post)."""

    keys: tuple[str, ...] = ()

    def read(self, reading: Reading) -> None:
        if reading.route != Route.DUTY_TO_NOTIFY:
            return
        values = {key: reading.get(key) for key in ("Customer.ContactMethod", "HowToNotify") if reading.get(key)}
        for key, value in values.items():
            if value not in ("Email", "Post"):
                reading.error(key, f"{key} must be 'Email' or 'Post' for a Duty to Notify (one contact method)")
                return
        if len(set(values.values())) > 1:
            reading.error("HowToNotify", "HowToNotify does not agree with Customer.ContactMethod")
            return
        key, method = next(iter(values.items()), ("Customer.ContactMethod", ""))
        if method == "Email":
            reading.set("dtn_contact_method", "email", from_key=key)
        elif method == "Post":
            reading.set("dtn_contact_method", "post", from_key=key)
        elif reading.get("Customer.Phone"):
            reading.set("dtn_contact_method", "phone", from_key="Customer.Phone")
        reading.set("dtn_contact_email", reading.get("Customer.Email"), from_key="Customer.Email")
        reading.set("dtn_contact_phone", reading.get("Customer.Phone"), from_key="Customer.Phone")
        address_keys = ("Customer.Address", "Customer.Town", "Customer.County", "Customer.Postcode")
        address = "\n".join(reading.get(k) for k in address_keys if reading.get(k))
        reading.set("dtn_contact_address", address, from_key="Customer.Address")

    def write(self, route: Route, answers: Mapping, payload: dict) -> None:
        if route != Route.DUTY_TO_NOTIFY:
            return
        method = answers.get("dtn_contact_method")
        if method in ("email", "post"):
            payload["Customer.ContactMethod"] = payload["HowToNotify"] = method.capitalize()
        for key, answer in (
            ("Customer.Email", "dtn_contact_email"),
            ("Customer.Phone", "dtn_contact_phone"),
            ("Customer.Address", "dtn_contact_address"),
        ):
            if answers.get(answer):
                payload[key] = answers[answer]


@dataclass(frozen=True)
class SupportContact:
    """How a support provider reaches an adult who wants support: their phone (Customer.Phone), another number
    (AlternativePhoneNumber, AlternativePhoneRelationshipToPV) or why they cannot (CannotProvideContactDetails)."""

    keys: tuple[str, ...] = (
        "AlternativePhoneNumber",
        "AlternativePhoneRelationshipToPV",
        "CannotProvideContactDetails",
    )

    def read(self, reading: Reading) -> None:
        if reading.route != Route.ADULT:
            return
        if reading.get("Customer.Phone"):
            reading.set("support_contact_method", "own_phone", from_key="Customer.Phone")
        elif reading.get("AlternativePhoneNumber"):
            reading.set("support_contact_method", "alternative_phone", from_key="AlternativePhoneNumber")
        elif reading.get("CannotProvideContactDetails"):
            reading.set("support_contact_method", "cannot_provide", from_key="CannotProvideContactDetails")
        for key, answer in (
            ("Customer.Phone", "support_phone"),
            ("AlternativePhoneNumber", "support_alternative_phone"),
            ("AlternativePhoneRelationshipToPV", "support_alternative_relationship"),
            ("CannotProvideContactDetails", "support_no_phone_reason"),
        ):
            reading.set(answer, reading.get(key), from_key=key)

    def write(self, route: Route, answers: Mapping, payload: dict) -> None:
        if route != Route.ADULT:
            return
        for key, answer in (
            ("Customer.Phone", "support_phone"),
            ("AlternativePhoneNumber", "support_alternative_phone"),
            ("AlternativePhoneRelationshipToPV", "support_alternative_relationship"),
            ("CannotProvideContactDetails", "support_no_phone_reason"),
        ):
            if answers.get(answer):
                payload[key] = answers[answer]


@dataclass(frozen=True)
class HomeOfficeReference:
    """CIDReference: the Home Office reference (held 'yes' when given, its type the CID: ASSUMED)."""

    keys: tuple[str, ...] = ("CIDReference",)

    def read(self, reading: Reading) -> None:
        if reading.route not in NRM_ROUTES:
            if reading.get("CIDReference"):
                reading.error("CIDReference", "CIDReference is not part of a Duty to Notify")
            return
        value = reading.get("CIDReference")
        reading.set("home_office_reference_held", "yes" if value else "no", from_key="CIDReference")
        reading.set("home_office_reference", value, from_key="CIDReference")

    def write(self, route: Route, answers: Mapping, payload: dict) -> None:
        if answers.get("home_office_reference"):
            payload["CIDReference"] = answers["home_office_reference"]


@dataclass(frozen=True)
class OtherVictims:
    """OtherVictims and OtherVictimsFurtherInfo (the live service's words when no details are given)."""

    keys: tuple[str, ...] = ("OtherVictims", "OtherVictimsFurtherInfo")

    def read(self, reading: Reading) -> None:
        Field("OtherVictims", "other_victims", YES_NO_NOT_SURE).read(reading)
        details = reading.get("OtherVictimsFurtherInfo")
        if details != NOT_SURE_DETAILS:
            reading.set("other_victims_details", details, from_key="OtherVictimsFurtherInfo")

    def write(self, route: Route, answers: Mapping, payload: dict) -> None:
        if answers.get("other_victims"):
            payload["OtherVictims"] = YES_NO_NOT_SURE.write(answers["other_victims"])
            payload["OtherVictimsFurtherInfo"] = answers.get("other_victims_details") or NOT_SURE_DETAILS


def _reported(*values: str) -> Callable[[Mapping], bool]:
    return lambda answers: answers.get("reported_before") in values


def _situations(*values: str) -> Callable[[Mapping], bool]:
    return lambda answers: answers.get("more_than_one_situation") in values


# The declaration: read in this order (the kind of report first; an entry may read earlier answers).
MAPPING: tuple = (
    KindOfReport(),
    Field("AdultOrChildDuringExploitation", "child_during_exploitation", AGE, ADULT_ROUTES),
    Jurisdiction(),
    Field("Agent.Organisation", "organisation"),
    # The person
    Field("Customer.Forename1", "first_name"),
    Field("Customer.Surname", "last_name"),
    Field("Customer.Alias", "nickname", routes=NRM_ROUTES),
    DateOfBirth(),
    Field("Customer.Custom17", "gender", choice({"female": "Female", "male": "Male", "other": "Other"})),
    Field("Customer.Custom9", "children", UF_YES_NO, NRM_ROUTES),
    Field("Customer.Custom10", "children_count", NUMBER, NRM_ROUTES),
    Field("Customer.Nationality", "nationality"),
    Field("Customer.Custom11", "second_nationality"),
    Field("Customer.Custom13", "interpreter_needed", UF_YES_NO, NRM_ROUTES),
    Field("Customer.Custom14", "interpreter_language", routes=NRM_ROUTES),
    Field("Customer.Custom15", "communication_help", UF_YES_NO, NRM_ROUTES),
    Field("Customer.Custom16", "communication_help_details", routes=NRM_ROUTES),
    HomeOfficeReference(),
    Field("DTNReason", "no_consent_reason", routes=frozenset({Route.DUTY_TO_NOTIFY})),
    Field("WillingToCooperate", "willing_to_cooperate", UF_YES_NO, NRM_ROUTES),
    Field("WillingToCooperate", "cooperate_with_authorities", UF_YES_NO, frozenset({Route.DUTY_TO_NOTIFY})),
    Field("CollaborationInfo", "cooperation_details", routes=NRM_ROUTES),
    Field("NeedSupport", "wants_support", UF_YES_NO, frozenset({Route.ADULT})),
    SupportContact(),
    Field(
        "WhoToSendDecisionTo",
        "decision_recipient",
        choice({"person": "PV", "someone_else": "Someone else"}),
        frozenset({Route.ADULT}),
    ),
    Field("AltContactPermissionToSend", "decision_recipient_permission", CONFIRM, frozenset({Route.ADULT})),
    DecisionContact(),
    DutyToNotifyContact(),
    Field("SafeToEmail", "contact_email_safe", CONFIRM, frozenset({Route.ADULT})),
    Field("SafeToPostal", "address_safe", CONFIRM, frozenset({Route.ADULT})),
    # A child's local authority
    Field("LocalAuthority", "la_name", routes=frozenset({Route.CHILD})),
    Field("LAFirstName", "la_contact_first_name", routes=frozenset({Route.CHILD})),
    Field("LALastName", "la_contact_last_name", routes=frozenset({Route.CHILD})),
    Field("LAPhone", "la_phone", routes=frozenset({Route.CHILD})),
    Field("LAEmail", "la_email", routes=frozenset({Route.CHILD})),
    # Background and account
    Birthplace(),
    Field("PVFamily", "family"),
    Field("PVEducation", "education"),
    Field("PVEmploymentHistory", "previous_work"),
    Field(
        "MoreThanOneExploitationSituations",
        "more_than_one_situation",
        choice({"yes": "Yes", "no": "No", "dont_know": "DontKnow"}),
    ),
    Field("ExploitationDates", "exploitation_dates", when=_situations("no", "dont_know")),
    Field("ExploitationDates", "situations_dates", when=_situations("yes")),
    Field("HowExploitationStarted", "how_it_started"),
    Field("ExploitationTakenSomewhere", "taken_somewhere", UF_YES_NO),
    Field("ExploitationJourneyDetails", "journey_details"),
    Field("ExploitationAverageDay", "made_to_do"),
    Field("ExploitationLivingConditions", "living_conditions"),
    Field("ExploitationTreatment", "treatment"),
    Field("PVStillInExploitativeSituation", "still_exploited", UF_YES_NO),
    Field("KeepingPVInSituation", "still_exploited_reasons"),
    Field("ExploitationReasonTheyLeft", "how_they_left"),
    Field("PVExploitersLastContact", "last_contact", LAST_CONTACT),
    Field("DetailsLastContact", "last_contact_details"),
    Field("FirstChanceToReport", "reported_before", YES_NO_NOT_SURE),
    Field("ReportedBeforeFurtherInfo", "reported_before_details", when=_reported("yes")),
    Field("ReportedBeforeFurtherInfo", "reported_before_not_sure_details", when=_reported("not_sure")),
    Field("ReasonForReportingNow", "not_reported_reason"),
    # Assessment
    Field("IdentifiedModernSlaveryIndicators", "indicators_identified", UF_YES_NO),
    Field("IdentifiedModernSlaveryIndicatorsDetails", "indicators_details"),
    Field("ProfessionalInsight", "professional_insight"),
    Field("DetailsAboutInterview", "interview_details"),
    Field("EvidenceOfDishonesty", "credibility_concerns", UF_YES_NO),
    Field("DetailsOfEvidenceOfDishonesty", "credibility_evidence"),
    Field("ProfessionalsInvolved", "other_professionals", UF_YES_NO),
    Field("DetailsOfProfessionalsInvolved", "other_professionals_details"),
    # Where, who
    Field(
        "ExploitationLocationPresented", "exploited_in", choice({"uk": "UK", "overseas": "OVERSEAS", "both": "BOTH"})
    ),
    Numbered("City", "uk_towns"),
    Field("ExploitationUKAddress", "uk_location_details"),
    Numbered("Country", "countries"),
    Field("ExploitationOverseasAddress", "overseas_location_details"),
    Field("PVCurrentCityTown", "current_town"),
    Field("PVCurrentCounty", "current_region"),
    Field("ExploiterDetails", "exploiters_details"),
    Field("ExploitersLocationInformationPresent", "exploiters_location_known", UF_YES_NO),
    Field("ExploitersInUK", "exploiters_in_uk", UF_YES_NO),
    Field("InformationOnExploitersCurrentLocation", "exploiters_location_details"),
    ExploitationTypes(),
    OtherVictims(),
    Field("ConcernsOfFurtherExploitationToPV", "re_exploitation_risk", UF_YES_NO),
    Field("ReasonForConcernsReFurtherExploitation", "re_exploitation_reasons"),
    Field("ReportedCase", "crime_reference_held", UF_YES_NO),
    Field("PoliceForce", "police_force"),
    Field("PoliceForceCRN", "crime_reference"),
    # The first responder (NRM routes; a Duty to Notify carries only the email and organisation)
    Field("Agent.Forename1", "responder_first_name", routes=NRM_ROUTES),
    Field("Agent.Name", "responder_last_name", routes=NRM_ROUTES),
    Field("Agent.Phone", "responder_phone", routes=NRM_ROUTES),
    Field("Agent.Jobtitle", "responder_role", routes=NRM_ROUTES),
    Field("AlternateFREmail", "alternative_contact_email", routes=NRM_ROUTES),
    Field("EvidenceSubmitted", "evidence_notes", routes=NRM_ROUTES),
)

# Keys some entry reads only on some routes, besides their own `keys` (shared with another entry).
SHARED_KEYS = (
    "Customer.Email",
    "Customer.Phone",
    "Customer.Address",
    "Customer.Town",
    "Customer.County",
    "Customer.Postcode",
    "AltContactFirstName",
    "AltContactName",
    "AltContactAddress",
    "AltContactTown",
    "AltContactCounty",
    "AltContactPostcode",
    "AltContactEmail",
)


def mapped_keys() -> set[str]:
    """Every GOV.UK key the declaration reads (documents apart)."""
    keys = {key for entry in MAPPING for key in entry.keys}
    return keys | set(SHARED_KEYS) | set(KEPT_KEYS) | {"ExternalId"}


# ---------------------------------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    external_id: str
    route: Route
    answers: dict  # in the stored form of our questions (lists, numbers, "yes" for a confirmation)
    kept: dict[str, str]  # keys without a question, as received
    source: dict[str, str]  # answer key -> the GOV.UK key it came from


def _normalised(payload) -> dict[str, str]:
    if not isinstance(payload, Mapping):
        raise PayloadError({"": ["The payload must be a JSON object of string values"]})
    errors: dict[str, list[str]] = {}
    values: dict[str, str] = {}
    known = mapped_keys()
    for key, value in payload.items():
        if not isinstance(key, str):
            continue
        if key not in known and not DOCUMENT_KEY.match(key):
            errors.setdefault(key, []).append(f"{key} is not a key of the GOV.UK payload")
        elif value is None:
            values[key] = ""
        elif not isinstance(value, str):
            errors.setdefault(key, []).append(f"{key} must be a string")
        else:
            values[key] = value.strip()
    if errors:
        raise PayloadError(errors)
    return values


def import_answers(payload) -> Imported:
    """The payload as our answers; raises PayloadError naming each key that cannot be read, or that carries a
    value this report's route and answers have no place for (nothing is silently dropped)."""
    from referrals.questions import QUESTIONNAIRE
    from referrals.questions.engine import applicable_answers

    values = _normalised(payload)
    external_id = values.get("ExternalId", "")
    try:
        external_id = str(uuid.UUID(external_id))
    except ValueError:
        raise PayloadError({"ExternalId": ["ExternalId must be a UUID"]}) from None
    reading = Reading(values)
    for entry in MAPPING:
        entry.read(reading)
        if reading.route is None:  # the kind of report could not be read: nothing else can be
            raise PayloadError(reading.errors)
    reading.consumed.update(("ExternalId", *KEPT_KEYS))
    for key, value in values.items():
        if value and key not in reading.consumed and not DOCUMENT_KEY.match(key):
            reading.error(key, f"{key} does not apply to this report (its route or other answers)")
    if reading.errors:
        raise PayloadError(reading.errors)
    for key, (routes, value, _why) in ASSUMED.items():
        if reading.route in routes and key not in reading.answers:
            reading.answers[key] = value
    answers = reading.answers
    kept_answers = applicable_answers(QUESTIONNAIRE, answers)
    dropped = {
        reading.source[key]: [f"{reading.source[key]} does not apply to this report (its route or other answers)"]
        for key in answers
        if key not in kept_answers and key in reading.source
    }
    if dropped:
        raise PayloadError(dropped)
    kept = {key: values[key] for key in values if values[key] and (key in KEPT_KEYS or DOCUMENT_KEY.match(key))}
    return Imported(
        external_id=external_id,
        route=reading.route,
        answers=kept_answers,
        kept=kept,
        source=dict(reading.source),
    )


def payload_key_for(answer_key: str, imported: Imported | None = None) -> str:
    """The GOV.UK key a validation error of `answer_key` is about (the answer's own key when none carries it)."""
    if imported is not None and answer_key in imported.source:
        return imported.source[answer_key]
    for entry in MAPPING:
        if isinstance(entry, Field) and entry.answer == answer_key:
            return entry.key
    return answer_key


# ---------------------------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------------------------


def external_id_for(reference: str) -> str:
    """A referral made here: a UUID derived from its reference, the same every time."""
    return str(uuid.uuid5(EXTERNAL_ID_NAMESPACE, reference))


def payload_from_answers(route: Route, answers: Mapping) -> dict[str, str]:
    payload: dict[str, str] = {}
    for entry in MAPPING:
        entry.write(Route(route), answers, payload)
    return payload


def export_payload(
    *,
    route: Route,
    answers: Mapping,
    external_id: str,
    organisation_name: str,
    agent_email: str = "",
    kept: Mapping[str, str] | None = None,
    documents: Iterable[tuple[str, str, str]] = (),
) -> dict[str, str]:
    """The GOV.UK payload of a sent referral: its answers by the declaration, its ExternalId, the organisation and
    first responder's email, the values kept from an import, and its documents as (url, name, mime type)."""
    payload = {"ExternalId": external_id, **payload_from_answers(route, answers)}
    payload["Agent.Organisation"] = payload.get("Agent.Organisation") or organisation_name
    if agent_email:
        payload["Agent.Email"] = agent_email
    for number, (url, name, mime_type) in enumerate(documents, start=1):
        payload[f"Document{number}.URL"] = url
        payload[f"Document{number}.Name"] = name
        payload[f"Document{number}.MimeType"] = mime_type
        payload[f"Document{number}.URLLoadContent"] = "true"
    payload.update(kept or {})
    return payload
