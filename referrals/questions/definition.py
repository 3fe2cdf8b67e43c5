"""The whole referral, declared once: every question of the live first responder service (see
../shared/referral-fields.md, the floor), grouped into the task list's sections.

Routes (routes.py): under 18 "yes" or "not_sure" is the child route; an adult who consents is an NRM referral;
an adult who does not is a Duty to Notify, which asks nothing about support, the decision, the responder's phone
or evidence, and asks the person's name and contact only when they will cooperate with the authorities.

A key is declared once. Related questions share a page (the person's name, other names, date of birth, gender and
nationality; their background; the account of the exploitation in four pages), so that a referral takes fewer
pages than the live service's one question a page. A question asked on several routes sits on one page whose
condition covers them all; a question only some of those routes ask carries its own show_if. Pages are ordered so
that each route reads naturally (a Duty to Notify asks about cooperation before the name, which it asks only
then). A Duty to Notify asks no more than the live service does on that route.
"""

from __future__ import annotations

from accounts.models import Nation
from referrals.questions.routes import (
    ADULT,
    ADULT_NOT_YET_KNOWN,
    ANY_ROUTE,
    CHILD,
    CONSENT,
    DUTY_TO_NOTIFY,
    NRM,
    UNDER_18,
)
from referrals.questions.schema import (
    Condition,
    DateRule,
    Kind,
    Option,
    Page,
    Question,
    Questionnaire,
    Section,
    answered,
)

RELATIONSHIP_MAX_LENGTH = 250
NAME_MAX_LENGTH = 100
REFERENCE_MAX_LENGTH = 100
STATUTORY_GUIDANCE_URL = "https://www.gov.uk/government/publications/modern-slavery-how-to-identify-and-support-victims"

# The sections every content task waits for: the age decides the route, and an adult's consent decides
# between an NRM referral and a Duty to Notify (consent does not apply to a child, so it is not waited for).
ROUTE_DECIDED = ("age", "consent")


def yes_no(*, yes: tuple[str, ...] = (), no: tuple[str, ...] = ()) -> tuple[Option, ...]:
    return (Option("yes", "Yes", reveals=yes), Option("no", "No", reveals=no))


def yes_no_not_sure(
    *, yes: tuple[str, ...] = (), no: tuple[str, ...] = (), not_sure: tuple[str, ...] = ()
) -> tuple[Option, ...]:
    return (*yes_no(yes=yes, no=no), Option("not_sure", "Not sure", reveals=not_sure))


def any_of(*conditions: Condition, description: str) -> Condition:
    return Condition(lambda answers: any(condition(answers) for condition in conditions), description)


# ---------------------------------------------------------------------------------------------------------------
# Referral details
# ---------------------------------------------------------------------------------------------------------------

SETUP = Section(
    slug="setup",
    title="Referral details",
    pages=(
        Page(
            slug="referral-details",
            title="Referral details",
            questions=(
                Question(
                    key="responder_reference",
                    error_name="Your reference",
                    label="What is your reference for this report?",
                    summary_label="Your reference",
                    kind=Kind.TEXT,
                    hint=(
                        "For your own records, for example your case or crime number, so that you can find this "
                        "report later. Do not include the person's name or any other details about them."
                    ),
                    required=False,
                    max_length=REFERENCE_MAX_LENGTH,
                    width="20",
                ),
                Question(
                    key="organisation",
                    error_required="Select the organisation you are making this report for",
                    error_name="Organisation",
                    label="Which organisation are you making this report for?",
                    summary_label="Organisation",
                    kind=Kind.SELECT,
                    hint="This is filled in from your account. Change it only if you are reporting for another "
                    "first responder organisation.",
                    reference_list="organisations",
                ),
                Question(
                    key="nation",
                    error_required="Select the nation where you are making the report",
                    label="In which nation of the UK are you making this report?",
                    summary_label="Nation where the report is made",
                    kind=Kind.RADIOS,
                    options=tuple(Option(value, label) for value, label in Nation.choices),
                ),
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------------------------------------------
# Age (decides the child route)
# ---------------------------------------------------------------------------------------------------------------

AGE = Section(
    slug="age",
    title="Age",
    pages=(
        Page(
            slug="under-18",
            title="Is the person under 18?",
            questions=(
                Question(
                    key=UNDER_18,
                    error_required="Select if the person is under 18",
                    label="Is the person under 18?",
                    summary_label="Under 18",
                    kind=Kind.RADIOS,
                    hint="If their age is unknown or disputed, choose 'Not sure': they will be treated as a child "
                    "and referred automatically, without their consent.",
                    options=yes_no_not_sure(),
                    label_is_page_heading=True,
                ),
            ),
        ),
        Page(
            slug="local-authority",
            title="Local authority children's services",
            show_if=CHILD,
            intro=(
                "A child is referred to the National Referral Mechanism automatically: you do not need their "
                "consent. Tell us which local authority children's services you have contacted about the child. "
                "Decisions about a child are sent to the local authority, never to the child."
            ),
            questions=(
                Question(
                    key="la_name",
                    error_required="Select the local authority you contacted",
                    error_name="Local authority",
                    label="Which local authority did you contact?",
                    summary_label="Local authority",
                    kind=Kind.SELECT,
                    reference_list="local_authorities",
                ),
                Question(
                    key="la_phone",
                    error_required="Enter the local authority's phone number",
                    label="Local authority phone number",
                    kind=Kind.PHONE,
                    hint="For international numbers include the country code",
                    width="20",
                ),
                Question(
                    key="la_email",
                    label="Local authority email address",
                    kind=Kind.EMAIL,
                    error_required="Enter the local authority's email address",
                ),
                Question(
                    key="la_contact_first_name",
                    error_name="First name of your contact at the local authority",
                    label="First name of your contact at the local authority",
                    summary_label="Local authority contact's first name",
                    kind=Kind.TEXT,
                    required=False,
                    max_length=NAME_MAX_LENGTH,
                    width="20",
                ),
                Question(
                    key="la_contact_last_name",
                    error_name="Last name of your contact at the local authority",
                    label="Last name of your contact at the local authority",
                    summary_label="Local authority contact's last name",
                    kind=Kind.TEXT,
                    required=False,
                    max_length=NAME_MAX_LENGTH,
                    width="20",
                ),
            ),
        ),
        Page(
            slug="child-during-exploitation",
            title="Under 18 during the exploitation",
            show_if=ADULT_NOT_YET_KNOWN,
            questions=(
                Question(
                    key="child_during_exploitation",
                    error_required="Select if they were under 18 at any time during the exploitation",
                    label="Were they under 18 at any time during the exploitation?",
                    summary_label="Under 18 during the exploitation",
                    kind=Kind.RADIOS,
                    options=yes_no_not_sure(),
                    label_is_page_heading=True,
                ),
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------------------------------------------
# Consent (adults only; a child is referred automatically)
# ---------------------------------------------------------------------------------------------------------------

CONSENT_INTRO = """Before you ask, explain the National Referral Mechanism (NRM) and the privacy notice to the person.

## What the NRM is

The NRM is how the UK identifies victims of modern slavery and makes sure they get support.

## What happens if they are referred

- the Home Office decides whether there are reasonable grounds to believe they are a victim, usually within \
5 working days
- while their case is considered they can get support, such as safe accommodation, financial support, and help \
with medical care, counselling and legal advice
- they will not be removed from the UK while their case is considered

## How their information is used

The Home Office will use the information in this report to make decisions on their case. It may share it with \
support providers, the police, local authorities and other public bodies to protect them and to investigate crime.

## If they do not consent

You make a Duty to Notify report instead. It asks fewer questions and does not include their name or contact \
details unless they agree to cooperate with the authorities."""

CONSENT_SECTION = Section(
    slug="consent",
    title="Consent",
    show_if=ADULT_NOT_YET_KNOWN,
    needs=("age",),
    pages=(
        Page(
            slug="consent",
            title="Consent to an NRM referral",
            intro=CONSENT_INTRO,
            questions=(
                Question(
                    key=CONSENT,
                    error_required="Select yes if the person consents to being referred to the NRM",
                    label="Does the person consent to being referred to the NRM?",
                    summary_label="Consent to an NRM referral",
                    kind=Kind.RADIOS,
                    options=(
                        Option("yes", "Yes", hint="You will make an NRM referral."),
                        Option(
                            "no",
                            "No",
                            hint="You will make a Duty to Notify report instead. It asks fewer questions and does "
                            "not include their name unless they agree to cooperate with the authorities.",
                        ),
                    ),
                ),
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------------------------------------------
# Background
# ---------------------------------------------------------------------------------------------------------------

BACKGROUND = Section(
    slug="background",
    title="The person's background",
    needs=ROUTE_DECIDED,
    pages=(
        Page(
            slug="background",
            title="The person's background",
            questions=(
                Question(
                    key="birth_country",
                    error_required="Select the country where they were born",
                    error_name="Country of birth",
                    label="In which country were they born?",
                    summary_label="Country of birth",
                    kind=Kind.SELECT,
                    hint="Choose 'Unknown' if you do not know.",
                    reference_list="countries",
                ),
                Question(
                    key="birth_town",
                    error_name="Town or city of birth",
                    label="In which town or city were they born?",
                    summary_label="Town or city of birth",
                    kind=Kind.TEXT,
                    hint="Leave this blank if you do not know.",
                    required=False,
                    max_length=200,
                ),
                Question(
                    key="family",
                    error_name="What you know about their family",
                    label="What do you know about their family?",
                    summary_label="Family",
                    kind=Kind.TEXTAREA,
                    hint="For example, parents, brothers and sisters, partner, where they live and whether the "
                    "person is in contact with them. Leave this blank if you do not know.",
                    required=False,
                ),
                Question(
                    key="education",
                    error_name="Their education",
                    label="What education have they had?",
                    summary_label="Education",
                    kind=Kind.TEXTAREA,
                    hint="For example, schools, college or training, and until what age. Leave this blank if you "
                    "do not know.",
                    required=False,
                ),
                Question(
                    key="previous_work",
                    error_name="Work before the exploitation",
                    label="What work did they do before the exploitation?",
                    summary_label="Work before the exploitation",
                    kind=Kind.TEXTAREA,
                    hint="Leave this blank if you do not know.",
                    required=False,
                ),
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------------------------------------------
# Account of the exploitation
# ---------------------------------------------------------------------------------------------------------------

LAST_CONTACT_OPTIONS = (
    Option("within_week", "Within the last week"),
    Option("within_month", "Within the last month"),
    Option("within_3_months", "Within the last 3 months"),
    Option("within_6_months", "Within the last 6 months"),
    Option("6_to_12_months", "6 to 12 months ago"),
    Option("over_a_year", "Over a year ago"),
    Option("not_sure", "Not sure"),
)

ACCOUNT = Section(
    slug="account",
    title="Their account of the exploitation",
    needs=ROUTE_DECIDED,
    pages=(
        Page(
            slug="exploitation-start",
            title="How the exploitation started",
            questions=(
                Question(
                    key="more_than_one_situation",
                    error_required="Select if the person was in more than one exploitative situation",
                    label="Was the person in more than one exploitative situation?",
                    summary_label="More than one exploitative situation",
                    kind=Kind.RADIOS,
                    hint="For example, exploited by different people, in different places or in different ways.",
                    options=(
                        Option("yes", "Yes"),
                        Option("no", "No"),
                        Option("dont_know", "I don't know"),
                    ),
                ),
                Question(
                    key="how_it_started",
                    error_required="Enter how the exploitation started",
                    error_name="How the exploitation started",
                    label="How did the exploitation start?",
                    summary_label="How the exploitation started",
                    kind=Kind.TEXTAREA,
                    hint="For example, how they met the exploiters, what they were promised, and whether they "
                    "owed a debt.",
                ),
                Question(
                    key="taken_somewhere",
                    error_required="Select yes if the exploiters took them somewhere",
                    label="Were they taken somewhere by the exploiters?",
                    summary_label="Taken somewhere by the exploiters",
                    kind=Kind.RADIOS,
                    hint="For example, to another address, town or country.",
                    options=yes_no(yes=("journey_details",)),
                ),
                Question(
                    key="journey_details",
                    error_required="Enter details of the journey",
                    error_name="Details of the journey",
                    label="Give details of the journey",
                    summary_label="Journey details",
                    kind=Kind.TEXTAREA,
                    hint="Where from and where to, when, how they travelled, who with, and who held their "
                    "documents and paid for the journey.",
                ),
            ),
        ),
        Page(
            slug="exploitation-dates",
            title="When the exploitation happened",
            show_if=answered(
                "more_than_one_situation",
                "no",
                "dont_know",
                description="if there was one situation, or you do not know",
            ),
            questions=(
                Question(
                    key="exploitation_dates",
                    error_required="Enter when the exploitation happened",
                    error_name="When the exploitation happened",
                    label="When did the exploitation happen?",
                    summary_label="Dates of the exploitation",
                    kind=Kind.TEXTAREA,
                    hint="Give the dates as exactly as you can, for example 'from about March 2022 to January 2024'.",
                    label_is_page_heading=True,
                ),
            ),
        ),
        Page(
            slug="situations-dates",
            title="Dates and types of each situation",
            show_if=answered("more_than_one_situation", "yes", description="if there was more than one situation"),
            questions=(
                Question(
                    key="situations_dates",
                    error_required="Enter the dates and the type of each exploitative situation",
                    error_name="Dates and type of each situation",
                    label="What were the dates and the type of each exploitative situation?",
                    summary_label="Dates and type of each situation",
                    kind=Kind.TEXTAREA,
                    hint="For each situation, give the dates as exactly as you can and what kind of exploitation "
                    "it was.",
                    label_is_page_heading=True,
                ),
            ),
        ),
        Page(
            slug="what-happened",
            title="What happened to them",
            questions=(
                Question(
                    key="made_to_do",
                    error_required="Enter what they were made to do",
                    error_name="What they were made to do",
                    label="What were they made to do?",
                    summary_label="What they were made to do",
                    kind=Kind.TEXTAREA,
                    hint="Their tasks, their hours of work and whether they had breaks or days off.",
                ),
                Question(
                    key="living_conditions",
                    error_required="Enter what their living conditions were",
                    error_name="Their living conditions",
                    label="What were their living conditions?",
                    summary_label="Living conditions",
                    kind=Kind.TEXTAREA,
                    hint="For example, where they slept and who with, food, and whether they could come and go.",
                ),
                Question(
                    key="treatment",
                    error_required="Enter how they were treated",
                    error_name="How they were treated",
                    label="How were they treated?",
                    summary_label="How they were treated",
                    kind=Kind.TEXTAREA,
                    hint="For example, threats, violence, or control of their documents, money, phone or movements.",
                ),
            ),
        ),
        Page(
            slug="since-the-exploitation",
            title="Their situation now",
            questions=(
                Question(
                    key="still_exploited",
                    error_required="Select yes if they are still in the exploitative situation",
                    label="Are they still in the exploitative situation?",
                    summary_label="Still in the exploitative situation",
                    kind=Kind.RADIOS,
                    options=yes_no(yes=("still_exploited_reasons",), no=("how_they_left",)),
                ),
                Question(
                    key="still_exploited_reasons",
                    error_required="Enter what keeps them in the situation",
                    error_name="What keeps them in the situation",
                    label="What keeps them in the situation?",
                    kind=Kind.TEXTAREA,
                ),
                Question(
                    key="how_they_left",
                    error_required="Enter how and why they left",
                    error_name="How and why they left",
                    label="How and why did they leave?",
                    kind=Kind.TEXTAREA,
                ),
                Question(
                    key="last_contact",
                    error_required="Select when they last had contact with the exploiters",
                    label="When did they last have contact with the exploiters?",
                    summary_label="Last contact with the exploiters",
                    kind=Kind.RADIOS,
                    options=LAST_CONTACT_OPTIONS,
                ),
                Question(
                    key="last_contact_details",
                    error_name="Details of the last contact",
                    label="Give details of that contact",
                    summary_label="Details of the last contact",
                    kind=Kind.TEXTAREA,
                    hint="For example, how the contact happened and what was said. Do not include website addresses.",
                    required=False,
                    refuse_urls=True,
                ),
                Question(
                    key="reported_before",
                    error_required="Select if they have reported the exploitation before",
                    label="Have they reported the exploitation before?",
                    summary_label="Reported before",
                    kind=Kind.RADIOS,
                    hint="To the police, a charity, or any other organisation.",
                    options=yes_no_not_sure(
                        yes=("reported_before_details",),
                        no=("not_reported_reason",),
                        not_sure=("reported_before_not_sure_details",),
                    ),
                ),
                Question(
                    key="reported_before_details",
                    error_required="Enter details of the earlier report",
                    error_name="Details of the earlier report",
                    label="Give details of the earlier report",
                    summary_label="Details of the earlier report",
                    kind=Kind.TEXTAREA,
                    hint="For example, who it was reported to, when, and any reference numbers.",
                    required=False,
                ),
                Question(
                    key="not_reported_reason",
                    error_required="Enter what stopped them reporting it sooner",
                    error_name="What stopped them reporting it sooner",
                    label="What stopped them reporting it sooner?",
                    kind=Kind.TEXTAREA,
                ),
                Question(
                    key="reported_before_not_sure_details",
                    error_required="Enter any details you have of an earlier report",
                    error_name="Details of a possible earlier report",
                    label="Give any details you have",
                    summary_label="Details of a possible earlier report",
                    kind=Kind.TEXTAREA,
                    hint="For example, who it may have been reported to, when, and any reference numbers.",
                    required=False,
                ),
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------------------------------------------
# The first responder's assessment
# ---------------------------------------------------------------------------------------------------------------

ASSESSMENT = Section(
    slug="assessment",
    title="Your assessment",
    needs=ROUTE_DECIDED,
    pages=(
        Page(
            slug="indicators",
            title="Indicators and interviews",
            intro=(
                "The indicators of modern slavery (physical, psychological and situational) are listed in the "
                f"Modern Slavery statutory guidance: {STATUTORY_GUIDANCE_URL}"
            ),
            questions=(
                Question(
                    key="indicators_identified",
                    error_required="Select yes if you have identified indicators of modern slavery",
                    label="Have you identified indicators of modern slavery?",
                    summary_label="Indicators of modern slavery identified",
                    kind=Kind.RADIOS,
                    hint="Read the indicators of modern slavery in the statutory guidance.",
                    options=yes_no(yes=("indicators_details",)),
                ),
                Question(
                    key="indicators_details",
                    error_required="Enter the indicators you have identified",
                    error_name="Indicators you have identified",
                    label="Which indicators have you identified?",
                    summary_label="Indicators identified",
                    kind=Kind.TEXTAREA,
                    hint="Describe what you saw or were told for each one.",
                ),
                Question(
                    key="interview_details",
                    error_required="Enter how and where the interviews took place",
                    error_name="How and where the interviews took place",
                    label="How and where did the interviews take place?",
                    summary_label="How and where the interviews took place",
                    kind=Kind.TEXTAREA,
                    hint="Where you spoke to them, who else was present, whether an interpreter was used, whether "
                    "they had breaks, and their demeanour.",
                ),
            ),
        ),
        Page(
            slug="your-view",
            title="Your professional view",
            questions=(
                Question(
                    key="professional_insight",
                    error_required="Enter your professional insight into their situation",
                    error_name="Your professional insight",
                    label="What is your professional insight into their situation?",
                    summary_label="Your professional insight",
                    kind=Kind.TEXTAREA,
                    hint="Anything your experience tells you that helps the decision maker understand the case.",
                ),
                Question(
                    key="credibility_concerns",
                    error_required="Select yes if you have concerns about the credibility of their account",
                    label="Do you have any concerns about the credibility of their account?",
                    summary_label="Credibility concerns",
                    kind=Kind.RADIOS,
                    hint="Fear and trauma can affect how a person gives their account: delays in telling it, "
                    "inconsistencies or missing details are not in themselves reasons to doubt it.",
                    options=yes_no(yes=("credibility_evidence",)),
                ),
                Question(
                    key="credibility_evidence",
                    error_required="Enter the evidence your concerns are based on",
                    error_name="Evidence for your concerns",
                    label="What evidence are your concerns based on?",
                    summary_label="Evidence for the credibility concerns",
                    kind=Kind.TEXTAREA,
                ),
                Question(
                    key="other_professionals",
                    error_required="Select yes if other professionals are involved with them",
                    label="Are other professionals involved with them?",
                    summary_label="Other professionals involved",
                    kind=Kind.RADIOS,
                    hint="For example, a social worker, health worker, solicitor or support worker.",
                    options=yes_no(yes=("other_professionals_details",)),
                ),
                Question(
                    key="other_professionals_details",
                    error_required="Enter who the other professionals are, and their references",
                    error_name="Other professionals and their references",
                    label="Who are they, and what are their references?",
                    summary_label="Other professionals and their references",
                    kind=Kind.TEXTAREA,
                ),
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------------------------------------------
# Location and exploiters
# ---------------------------------------------------------------------------------------------------------------

EXPLOITED_IN_OPTIONS = (
    Option("uk", "In the UK"),
    Option("overseas", "Overseas"),
    Option("both", "In the UK and overseas"),
)

LOCATION = Section(
    slug="location",
    title="Location and exploiters",
    needs=ROUTE_DECIDED,
    pages=(
        Page(
            slug="locations",
            title="Where they were exploited and where they are now",
            questions=(
                Question(
                    key="exploited_in",
                    error_required="Select where they were exploited",
                    label="Where were they exploited?",
                    summary_label="Where exploited",
                    kind=Kind.RADIOS,
                    options=EXPLOITED_IN_OPTIONS,
                ),
                Question(
                    key="current_town",
                    error_required="Select the town or city where they are staying now",
                    error_name="Town or city where they are staying",
                    label="In which town or city are they staying now?",
                    summary_label="Town or city where they are staying",
                    kind=Kind.SELECT,
                    hint="Choose 'Unknown' if you do not know.",
                    reference_list="uk_towns",
                ),
                Question(
                    key="current_region",
                    error_required="Select the region where they are staying now",
                    error_name="Region where they are staying",
                    label="In which region are they staying now?",
                    summary_label="Region where they are staying",
                    kind=Kind.SELECT,
                    hint="Choose 'Unknown' if you do not know.",
                    reference_list="uk_regions",
                ),
            ),
        ),
        Page(
            slug="uk-towns",
            title="Where in the UK",
            show_if=answered("exploited_in", "uk", "both", description="if they were exploited in the UK"),
            questions=(
                Question(
                    key="uk_towns",
                    error_required="Select a town or city in the UK where they were exploited",
                    error_name="Town or city in the UK",
                    label="In which towns or cities in the UK were they exploited?",
                    summary_label="UK towns or cities",
                    kind=Kind.SELECT_MANY,
                    hint="Add up to 10.",
                    reference_list="uk_towns",
                    max_items=10,
                ),
                Question(
                    key="uk_location_details",
                    error_name="Address or description of the location in the UK",
                    label="Address or description of the location in the UK",
                    summary_label="UK address or location",
                    kind=Kind.TEXTAREA,
                    hint="For example, a full or partial address, a business name or a landmark.",
                    required=False,
                ),
            ),
        ),
        Page(
            slug="countries",
            title="Where overseas",
            show_if=answered("exploited_in", "overseas", "both", description="if they were exploited overseas"),
            questions=(
                Question(
                    key="countries",
                    error_required="Select a country outside the UK where they were exploited",
                    error_name="Country outside the UK",
                    label="In which countries outside the UK were they exploited?",
                    summary_label="Countries",
                    kind=Kind.SELECT_MANY,
                    hint="Add up to 10.",
                    reference_list="countries",
                    exclude=("United Kingdom",),
                    max_items=10,
                ),
                Question(
                    key="overseas_location_details",
                    error_name="Address or description of the location overseas",
                    label="Address or description of the location overseas",
                    summary_label="Overseas address or location",
                    kind=Kind.TEXTAREA,
                    hint="For example, a town, a full or partial address, or a business name.",
                    required=False,
                ),
            ),
        ),
        Page(
            slug="exploiters",
            title="The exploiters",
            questions=(
                Question(
                    key="exploiters_details",
                    error_required="Enter what you know about the exploiters",
                    error_name="What you know about the exploiters",
                    label="What do you know about the exploiters?",
                    summary_label="About the exploiters",
                    kind=Kind.TEXTAREA,
                    hint="For example, their names or nicknames, the languages they speak, and any gang or group "
                    "they belong to. If nothing is known, say so.",
                ),
                Question(
                    key="exploiters_location_known",
                    error_required="Select yes if you know where the exploiters are now",
                    label="Do you know where the exploiters are now?",
                    summary_label="Know where the exploiters are",
                    kind=Kind.RADIOS,
                    options=yes_no(),
                ),
            ),
        ),
        Page(
            slug="exploiters-location",
            title="Where the exploiters are now",
            show_if=answered("exploiters_location_known", "yes", description="if you know where the exploiters are"),
            questions=(
                Question(
                    key="exploiters_in_uk",
                    error_required="Select yes if the exploiters are in the UK",
                    label="Are the exploiters in the UK?",
                    summary_label="Exploiters in the UK",
                    kind=Kind.RADIOS,
                    options=yes_no(),
                ),
                Question(
                    key="exploiters_location_details",
                    error_required="Enter where the exploiters are",
                    error_name="Where the exploiters are",
                    label="Where are they?",
                    summary_label="Where the exploiters are",
                    kind=Kind.TEXTAREA,
                    hint="For example, an address, a town or a country.",
                ),
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------------------------------------------
# Types of exploitation
# ---------------------------------------------------------------------------------------------------------------

LABOUR_HINT = "Labour and financial exploitation"
SEXUAL_HINT = "Sexual exploitation"
CRIMINAL_HINT = "Criminal exploitation"

EXPLOITATION_OPTIONS = (
    Option("forced_labour", "Forced to work for nothing or almost nothing", hint=LABOUR_HINT),
    Option("wages_taken", "Wages taken by someone else", hint=LABOUR_HINT),
    Option("forced_fraud", "Forced to commit fraud", hint=f"{LABOUR_HINT}, for example benefit or bank fraud"),
    Option("forced_prostitution", "Forced into prostitution", hint=SEXUAL_HINT),
    Option("child_sexual_exploitation", "Child sexual exploitation", hint=SEXUAL_HINT),
    Option(
        "held_sexually_assaulted",
        "Taken somewhere, held and sexually assaulted",
        hint=SEXUAL_HINT,
    ),
    Option(
        "forced_criminality",
        "Forced to commit crime",
        hint=f"{CRIMINAL_HINT}, for example cannabis cultivation, drug dealing, county lines or begging",
    ),
    Option("organ_removal", "Organs removed", hint=CRIMINAL_HINT),
    Option(
        "domestic_servitude",
        "Domestic servitude",
        hint="Forced to do unpaid or low-paid household work",
    ),
    Option("other", "Other", reveals=("exploitation_other",)),
)

# The groups of the Home Office statistics, as checkbox values ("not specified" is a referral with none).
EXPLOITATION_GROUPS: dict[str, tuple[str, ...]] = {
    "labour": ("forced_labour", "wages_taken", "forced_fraud"),
    "sexual": ("forced_prostitution", "child_sexual_exploitation", "held_sexually_assaulted"),
    "criminal": ("forced_criminality",),
    "domestic": ("domestic_servitude",),
    "organ": ("organ_removal",),
    "other": ("other",),
}

EXPLOITATION_GROUP_LABELS: dict[str, str] = {
    "labour": "Labour",
    "sexual": "Sexual",
    "criminal": "Criminal",
    "domestic": "Domestic servitude",
    "organ": "Organ removal",
    "other": "Other",
}

EXPLOITATION = Section(
    slug="exploitation",
    title="Types of exploitation",
    needs=ROUTE_DECIDED,
    pages=(
        Page(
            slug="exploitation-types",
            title="Types of exploitation",
            questions=(
                Question(
                    key="exploitation_types",
                    error_required="Select the types of exploitation they experienced",
                    label="What types of exploitation did they experience?",
                    summary_label="Types of exploitation",
                    kind=Kind.CHECKBOXES,
                    hint="Select all that apply.",
                    options=EXPLOITATION_OPTIONS,
                    label_is_page_heading=True,
                ),
                Question(
                    key="exploitation_other",
                    error_required="Enter the other type of exploitation",
                    error_name="Other type of exploitation",
                    label="Describe the other type of exploitation",
                    summary_label="Other type of exploitation",
                    kind=Kind.TEXTAREA,
                ),
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------------------------------------------
# Risk and safeguarding
# ---------------------------------------------------------------------------------------------------------------

RISK = Section(
    slug="risk",
    title="Risk and safeguarding",
    needs=ROUTE_DECIDED,
    pages=(
        Page(
            slug="risk",
            title="Risk and safeguarding",
            questions=(
                Question(
                    key="other_victims",
                    error_required="Select if there are other potential victims",
                    label="Are there other potential victims?",
                    summary_label="Other potential victims",
                    kind=Kind.RADIOS,
                    options=yes_no_not_sure(),
                ),
                Question(
                    key="other_victims_details",
                    error_name="Details of the other potential victims",
                    label="Give details of the other potential victims",
                    summary_label="Details of other potential victims",
                    kind=Kind.TEXTAREA,
                    hint="For example, how many, their ages and nationalities, and where they are.",
                    required=False,
                ),
                Question(
                    key="re_exploitation_risk",
                    error_required="Select yes if there are concerns they may be exploited again",
                    label="Are there concerns they may be exploited again?",
                    summary_label="Concerns they may be exploited again",
                    kind=Kind.RADIOS,
                    options=yes_no(yes=("re_exploitation_reasons",)),
                ),
                Question(
                    key="re_exploitation_reasons",
                    error_required="Enter why there are concerns they may be exploited again",
                    error_name="Reasons for concern",
                    label="Why are there concerns?",
                    summary_label="Reasons for concern",
                    kind=Kind.TEXTAREA,
                ),
                Question(
                    key="immediate_safeguarding_needs",
                    error_required="Select yes if they have any immediate safeguarding needs",
                    show_if=NRM,
                    label="Do they have any immediate safeguarding needs?",
                    summary_label="Immediate safeguarding needs",
                    kind=Kind.RADIOS,
                    hint="For example, they have nowhere safe to stay tonight, or need urgent medical care.",
                    options=yes_no(yes=("safeguarding_details",)),
                ),
                Question(
                    key="safeguarding_details",
                    error_required="Enter their immediate safeguarding needs and what has been done about them",
                    error_name="Their safeguarding needs",
                    label="What are their immediate safeguarding needs, and what has been done about them?",
                    summary_label="Safeguarding needs",
                    kind=Kind.TEXTAREA,
                ),
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------------------------------------------
# Police
# ---------------------------------------------------------------------------------------------------------------

POLICE = Section(
    slug="police",
    title="Police involvement",
    needs=ROUTE_DECIDED,
    pages=(
        Page(
            slug="police",
            title="Police involvement",
            questions=(
                Question(
                    key="crime_reference_held",
                    error_required="Select yes if there is a crime reference for a modern slavery crime against them",
                    label="Is there a crime reference for a modern slavery crime against them?",
                    summary_label="Crime reference held",
                    kind=Kind.RADIOS,
                    options=yes_no(yes=("police_force", "crime_reference")),
                ),
                Question(
                    key="police_force",
                    error_required="Select the police force",
                    error_name="Police force",
                    label="Which police force?",
                    summary_label="Police force",
                    kind=Kind.SELECT,
                    reference_list="police_forces",
                ),
                Question(
                    key="crime_reference",
                    error_required="Enter the crime or CAD reference number",
                    error_name="Crime or CAD reference number",
                    label="Crime or CAD reference number",
                    kind=Kind.TEXT,
                    max_length=REFERENCE_MAX_LENGTH,
                    width="20",
                ),
                # A Duty to Notify asks about cooperation in "About the person", where it decides whether the name
                # and a contact are asked: the same question twice would only confuse.
                Question(
                    key="willing_to_cooperate",
                    error_required="Select yes if they will cooperate with police investigations or prosecutions",
                    show_if=NRM,
                    label="Are they willing to cooperate with police investigations or prosecutions?",
                    summary_label="Willing to cooperate with investigations",
                    kind=Kind.RADIOS,
                    options=yes_no(yes=("cooperation_details",)),
                ),
                Question(
                    key="cooperation_details",
                    error_required="Enter details of their cooperation",
                    error_name="Details of their cooperation",
                    label="Give any details",
                    summary_label="Details of cooperation",
                    kind=Kind.TEXTAREA,
                    hint="For example, who they are cooperating with and how. Do not include website addresses.",
                    required=False,
                    refuse_urls=True,
                ),
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------------------------------------------
# About the person: pages differ by route
# ---------------------------------------------------------------------------------------------------------------

DTN_COOPERATING = DUTY_TO_NOTIFY & answered(
    "cooperate_with_authorities", "yes", description="if they will cooperate with the authorities"
)
NAMED = any_of(
    NRM,
    DTN_COOPERATING,
    description="for an NRM referral, or a Duty to Notify when they will cooperate with the authorities",
)
WANTS_SUPPORT = ADULT & answered("wants_support", "yes", description="if they want support")

PERSON = Section(
    slug="person",
    title="About the person",
    needs=ROUTE_DECIDED,
    pages=(
        Page(
            slug="no-consent",
            title="Consent and cooperation",
            show_if=DUTY_TO_NOTIFY,
            questions=(
                Question(
                    key="no_consent_reason",
                    error_name="Why they do not consent",
                    label="Why do they not consent to being referred?",
                    summary_label="Reason for not consenting",
                    kind=Kind.TEXTAREA,
                    hint="Leave this blank if they did not say.",
                    required=False,
                ),
                Question(
                    key="cooperate_with_authorities",
                    error_required="Select yes if they are willing to cooperate with the authorities",
                    label="Are they willing to cooperate with the authorities?",
                    summary_label="Willing to cooperate with the authorities",
                    kind=Kind.RADIOS,
                    hint="For example, to be contacted by the police. Only if they are will you be asked for "
                    "their name and how to contact them.",
                    options=yes_no(),
                ),
            ),
        ),
        Page(
            slug="person",
            title="The person",
            show_if=ANY_ROUTE,
            questions=(
                Question(
                    key="first_name",
                    error_required="Enter their first name",
                    error_name="First name",
                    show_if=NAMED,
                    label="First name",
                    kind=Kind.TEXT,
                    max_length=NAME_MAX_LENGTH,
                    width="20",
                ),
                Question(
                    key="last_name",
                    error_required="Enter their last name",
                    error_name="Last name",
                    show_if=NAMED,
                    label="Last name",
                    kind=Kind.TEXT,
                    max_length=NAME_MAX_LENGTH,
                    width="20",
                ),
                Question(
                    key="nickname",
                    error_name="Nickname or name used during the exploitation",
                    show_if=NRM,
                    label="Nickname or name used during the exploitation",
                    kind=Kind.TEXT,
                    hint="Any other name they were known by, if different.",
                    required=False,
                    max_length=NAME_MAX_LENGTH,
                    width="20",
                ),
                Question(
                    key="date_of_birth",
                    error_name="Date of birth",
                    show_if=NRM,
                    label="What is their date of birth?",
                    summary_label="Date of birth",
                    kind=Kind.DATE,
                    hint="For example, 27 3 2007. Leave this blank if you do not know.",
                    required=False,
                    date_rule=DateRule.BIRTH,
                ),
                Question(
                    key="gender",
                    error_required="Select their gender",
                    label="What is their gender?",
                    summary_label="Gender",
                    kind=Kind.RADIOS,
                    options=(
                        Option("female", "Female"),
                        Option("male", "Male"),
                        Option("other", "They do not identify as male or female"),
                    ),
                ),
                Question(
                    key="nationality",
                    error_required="Select their nationality",
                    error_name="Nationality",
                    label="What is their nationality?",
                    summary_label="Nationality",
                    kind=Kind.SELECT,
                    hint="Choose 'Unknown' if you do not know.",
                    reference_list="nationalities",
                ),
                Question(
                    key="second_nationality",
                    error_name="Second nationality",
                    label="Second nationality",
                    kind=Kind.SELECT,
                    hint="Only if they have one.",
                    required=False,
                    reference_list="nationalities",
                ),
            ),
        ),
        Page(
            slug="dtn-contact",
            title="How the authorities can contact them",
            show_if=DTN_COOPERATING,
            questions=(
                Question(
                    key="dtn_contact_method",
                    error_required="Select how the authorities can contact them",
                    label="How can the authorities contact them?",
                    summary_label="How the authorities can contact them",
                    kind=Kind.RADIOS,
                    warning="Only give contact details that are safe to use: the exploiters may have access to "
                    "the person's phone, email or post.",
                    options=(
                        Option("phone", "By phone", reveals=("dtn_contact_phone",)),
                        Option("email", "By email", reveals=("dtn_contact_email",)),
                        Option("post", "By post", reveals=("dtn_contact_address",)),
                    ),
                    label_is_page_heading=True,
                ),
                Question(
                    key="dtn_contact_phone",
                    error_required="Enter their phone number",
                    label="Phone number",
                    kind=Kind.PHONE,
                    hint="For international numbers include the country code",
                    width="20",
                ),
                Question(
                    key="dtn_contact_email",
                    label="Email address",
                    kind=Kind.EMAIL,
                    error_required="Enter their email address",
                ),
                Question(
                    key="dtn_contact_address",
                    error_required="Enter their postal address",
                    error_name="Postal address",
                    label="Postal address",
                    kind=Kind.TEXTAREA,
                    max_length=1000,
                ),
            ),
        ),
        Page(
            slug="more-about-them",
            title="More about them",
            show_if=NRM,
            questions=(
                Question(
                    key="children",
                    error_required="Select yes if they have children",
                    label="Do they have children?",
                    summary_label="Has children",
                    kind=Kind.RADIOS,
                    options=yes_no(yes=("children_count",)),
                ),
                Question(
                    key="children_count",
                    error_required="Enter how many children they have",
                    error_name="Number of children",
                    label="How many children do they have?",
                    summary_label="Number of children",
                    kind=Kind.NUMBER,
                    hint="Enter a number, for example 2.",
                    min_value=1,
                    max_value=30,
                    width="2",
                ),
                Question(
                    key="interpreter_needed",
                    error_required="Select yes if they need an interpreter",
                    label="Do they need an interpreter?",
                    summary_label="Needs an interpreter",
                    kind=Kind.RADIOS,
                    options=yes_no(yes=("interpreter_language",)),
                ),
                Question(
                    key="interpreter_language",
                    error_required="Enter the language they need an interpreter for",
                    error_name="Language",
                    label="Which language?",
                    summary_label="Interpreter language",
                    kind=Kind.TEXT,
                    hint="Include the dialect if it matters.",
                    max_length=200,
                    width="20",
                ),
                Question(
                    key="communication_help",
                    error_required="Select yes if they need any other help to communicate",
                    label="Do they need any other help to communicate?",
                    summary_label="Needs other help to communicate",
                    kind=Kind.RADIOS,
                    hint="For example, British Sign Language, easy read, large print, or help because of a disability.",
                    options=yes_no(yes=("communication_help_details",)),
                ),
                Question(
                    key="communication_help_details",
                    error_required="Enter what help they need to communicate",
                    error_name="Help they need to communicate",
                    label="What help do they need?",
                    summary_label="Help needed to communicate",
                    kind=Kind.TEXTAREA,
                ),
                Question(
                    key="home_office_reference_held",
                    error_required="Select yes if they have a Home Office reference",
                    label="Do they have a Home Office reference?",
                    summary_label="Has a Home Office reference",
                    kind=Kind.RADIOS,
                    options=yes_no(yes=("home_office_reference_type", "home_office_reference")),
                ),
                Question(
                    key="home_office_reference_type",
                    error_required="Enter the type of Home Office reference",
                    error_name="Type of reference",
                    label="Type of reference",
                    kind=Kind.TEXT,
                    hint="For example, Home Office reference, port reference, or unique application number (UAN).",
                    max_length=REFERENCE_MAX_LENGTH,
                    width="20",
                ),
                Question(
                    key="home_office_reference",
                    error_required="Enter their Home Office reference number",
                    error_name="Home Office reference number",
                    label="Reference number",
                    summary_label="Home Office reference number",
                    kind=Kind.TEXT,
                    max_length=REFERENCE_MAX_LENGTH,
                    width="20",
                ),
                Question(
                    key="wants_support",
                    error_required="Select yes if they want support",
                    show_if=ADULT,
                    label="Do they want support?",
                    summary_label="Wants support",
                    kind=Kind.RADIOS,
                    hint="A support provider can offer safe accommodation, financial support, and help with "
                    "medical care, counselling and legal advice.",
                    options=yes_no(),
                ),
            ),
        ),
        Page(
            slug="support-contact",
            title="How a support provider can contact them",
            show_if=WANTS_SUPPORT,
            questions=(
                Question(
                    key="support_contact_method",
                    error_required="Select how a support provider can contact them",
                    label="How can a support provider contact them?",
                    summary_label="How a support provider can contact them",
                    kind=Kind.RADIOS,
                    options=(
                        Option("own_phone", "On their own phone", reveals=("support_phone",)),
                        Option(
                            "alternative_phone",
                            "On an alternative phone number",
                            hint="For example, a friend's or a support worker's phone.",
                            reveals=("support_alternative_phone", "support_alternative_relationship"),
                        ),
                        Option(
                            "cannot_provide",
                            "They cannot give a phone number",
                            reveals=("support_no_phone_reason",),
                            divider_before=True,
                        ),
                    ),
                    label_is_page_heading=True,
                ),
                Question(
                    key="support_phone",
                    error_required="Enter their phone number",
                    label="Their phone number",
                    kind=Kind.PHONE,
                    hint="For international numbers include the country code",
                    width="20",
                ),
                Question(
                    key="support_alternative_phone",
                    error_required="Enter the alternative phone number",
                    label="Alternative phone number",
                    kind=Kind.PHONE,
                    hint="For international numbers include the country code",
                    width="20",
                    warning="Make sure the person trusts whoever has this phone, and that it is not linked to "
                    "the exploiters.",
                ),
                Question(
                    key="support_alternative_relationship",
                    error_required="Enter the relationship of the phone's owner to the person",
                    error_name="Relationship to the person",
                    label="What is the relationship of the owner of this phone to the person?",
                    summary_label="Relationship to the person",
                    kind=Kind.TEXT,
                    max_length=RELATIONSHIP_MAX_LENGTH,
                ),
                Question(
                    key="support_no_phone_reason",
                    error_required="Enter why they cannot give a phone number",
                    error_name="Why they cannot give a phone number",
                    label="Why can they not give a phone number?",
                    summary_label="Why no phone number",
                    kind=Kind.TEXTAREA,
                ),
            ),
        ),
        Page(
            slug="decision",
            title="The decision letter",
            show_if=ADULT,
            questions=(
                Question(
                    key="decision_recipient",
                    error_required="Select who the decision should be sent to",
                    label="Who should the decision be sent to?",
                    summary_label="Decision sent to",
                    kind=Kind.RADIOS,
                    options=(
                        Option("person", "The person"),
                        Option(
                            "someone_else",
                            "Someone else",
                            hint="For example, their legal representative.",
                            reveals=(
                                "decision_recipient_name",
                                "decision_recipient_relationship",
                                "decision_recipient_permission",
                            ),
                        ),
                    ),
                ),
                Question(
                    key="decision_recipient_name",
                    error_required="Enter the full name of who the decision should be sent to",
                    error_name="Full name",
                    label="Their full name",
                    summary_label="Name of who receives the decision",
                    kind=Kind.TEXT,
                    max_length=200,
                    width="20",
                ),
                Question(
                    key="decision_recipient_relationship",
                    error_required="Enter their relationship to the person",
                    error_name="Their relationship to the person",
                    label="What is their relationship to the person?",
                    summary_label="Their relationship to the person",
                    kind=Kind.TEXT,
                    hint="For example, legal representative.",
                    max_length=RELATIONSHIP_MAX_LENGTH,
                ),
                Question(
                    key="decision_recipient_permission",
                    error_required="Confirm the person has given permission for the decision to be sent to them",
                    label="The person has given permission for the decision to be sent to them",
                    summary_label="Person's permission",
                    kind=Kind.CONFIRM,
                ),
                Question(
                    key="contact_methods",
                    error_required="Select how the decision should be sent",
                    label="How should the decision be sent?",
                    summary_label="Decision sent by",
                    kind=Kind.CHECKBOXES,
                    hint="Select all that apply.",
                    options=(
                        Option("email", "By email", reveals=("contact_email", "contact_email_safe")),
                        Option(
                            "post",
                            "By post",
                            reveals=(
                                "address_line_1",
                                "address_line_2",
                                "address_town",
                                "address_county",
                                "address_postcode",
                                "address_safe",
                            ),
                        ),
                    ),
                ),
                Question(
                    key="contact_email",
                    error_required="Enter the email address the decision should be sent to",
                    label="Email address",
                    summary_label="Decision email address",
                    kind=Kind.EMAIL,
                ),
                Question(
                    key="contact_email_safe",
                    error_required="Confirm it is safe to send emails to this address",
                    label="It is safe to send emails to this address",
                    summary_label="Safe to email",
                    kind=Kind.CONFIRM,
                ),
                Question(
                    key="address_line_1",
                    error_required="Enter the building and street",
                    error_name="Building and street",
                    label="Building and street",
                    summary_label="Address line 1",
                    kind=Kind.TEXT,
                    max_length=200,
                ),
                Question(
                    key="address_line_2",
                    error_required="Enter the second line of the address",
                    error_name="Building and street line 2",
                    label="Building and street line 2",
                    summary_label="Address line 2",
                    kind=Kind.TEXT,
                    required=False,
                    max_length=200,
                ),
                Question(
                    key="address_town",
                    error_required="Enter the town or city",
                    error_name="Town or city",
                    label="Town or city",
                    kind=Kind.TEXT,
                    max_length=200,
                    width="20",
                ),
                Question(
                    key="address_county",
                    error_required="Enter the county",
                    error_name="County",
                    label="County",
                    kind=Kind.TEXT,
                    required=False,
                    max_length=200,
                    width="20",
                ),
                Question(
                    key="address_postcode",
                    error_required="Enter the postcode",
                    error_name="Postcode",
                    label="Postcode",
                    kind=Kind.TEXT,
                    max_length=10,
                    width="10",
                ),
                Question(
                    key="address_safe",
                    error_required="Confirm it is safe to send letters to this address",
                    label="It is safe to send letters to this address",
                    summary_label="Safe to post",
                    kind=Kind.CONFIRM,
                ),
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------------------------------------------
# The responder (NRM routes): email and organisation come from the sign-in
# ---------------------------------------------------------------------------------------------------------------

YOUR_DETAILS = Section(
    slug="your_details",
    title="Your details",
    show_if=NRM,
    needs=ROUTE_DECIDED,
    pages=(
        Page(
            slug="your-details",
            title="Your details",
            intro="Your email address and organisation come from your account.",
            questions=(
                Question(
                    key="responder_first_name",
                    error_required="Enter your first name",
                    error_name="Your first name",
                    label="Your first name",
                    kind=Kind.TEXT,
                    max_length=NAME_MAX_LENGTH,
                    width="20",
                    autocomplete="given-name",
                ),
                Question(
                    key="responder_last_name",
                    error_required="Enter your last name",
                    error_name="Your last name",
                    label="Your last name",
                    kind=Kind.TEXT,
                    max_length=NAME_MAX_LENGTH,
                    width="20",
                    autocomplete="family-name",
                ),
                Question(
                    key="responder_role",
                    error_required="Enter your role",
                    error_name="Your role",
                    label="Your role",
                    kind=Kind.TEXT,
                    hint="Your job title.",
                    max_length=200,
                    width="20",
                    autocomplete="organization-title",
                ),
                Question(
                    key="responder_phone",
                    error_required="Enter your phone number",
                    label="Your phone number",
                    kind=Kind.PHONE,
                    width="20",
                    autocomplete="tel",
                ),
                Question(
                    key="alternative_contact_email",
                    error_required="Enter the email address of someone we can contact if you are not available",
                    label="Who can we contact if you are not available?",
                    summary_label="Contact in your absence",
                    kind=Kind.EMAIL,
                    hint="The email address of a manager, a colleague or a team inbox.",
                ),
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------------------------------------------
# Evidence (NRM routes, optional): the upload itself is the evidence page's own interface
# ---------------------------------------------------------------------------------------------------------------

EVIDENCE = Section(
    slug="evidence",
    title="Evidence",
    show_if=NRM,
    needs=ROUTE_DECIDED,
    optional=True,
    pages=(
        Page(
            slug="evidence",
            title="Evidence",
            intro=(
                "You can upload evidence that supports the referral, such as statements, reports or photographs: "
                "PDF, DOC, DOCX, JPG or PNG files, each up to 25MB. Describe what each file is and when it was "
                "created."
            ),
            questions=(
                Question(
                    key="evidence_notes",
                    error_name="What you add about the evidence",
                    label="Anything to add about the evidence",
                    kind=Kind.TEXTAREA,
                    required=False,
                ),
            ),
        ),
    ),
)

QUESTIONNAIRE = Questionnaire(
    sections=(
        SETUP,
        AGE,
        CONSENT_SECTION,
        BACKGROUND,
        ACCOUNT,
        ASSESSMENT,
        LOCATION,
        EXPLOITATION,
        RISK,
        POLICE,
        PERSON,
        YOUR_DETAILS,
        EVIDENCE,
    )
)
