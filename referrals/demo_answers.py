"""Complete, valid answers for a referral of any route, varied plausibly by a seed: for the demonstration data,
the benchmarks and the tests.

Every value is one the question pages accept (reference list names that exist, dates in the past, phone numbers
phonenumbers calls valid, example email addresses), only the answers that apply to the route are returned, and
"_visited" lists every page that applies, so the task list shows every section completed. Proportions follow
domain.md: around 40% of referrals are children; criminal, labour and sexual exploitation are the most common
(criminal above all for children, labour for adults); most referrals are made in England.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

import phonenumbers

from accounts.models import Nation
from referrals.models import Route
from referrals.questions import EXPLOITATION_GROUPS, QUESTIONNAIRE
from referrals.questions.engine import applicable_answers, applicable_pages, applicable_sections
from referrals.reference_lists import UNKNOWN, reference_names

# Shares of all reports (domain.md): about 40% of NRM referrals are children, and Duty to Notify reports are
# about a fifth of everything first responders send.
ROUTE_WEIGHTS = {Route.CHILD: 31, Route.ADULT: 47, Route.DUTY_TO_NOTIFY: 22}

EXPLOITATION_WEIGHTS = {
    Route.CHILD: {"criminal": 55, "sexual": 16, "labour": 16, "domestic": 4, "other": 3, "organ": 0},
    Route.ADULT: {"labour": 38, "criminal": 22, "sexual": 22, "domestic": 9, "other": 3, "organ": 1},
    Route.DUTY_TO_NOTIFY: {"labour": 42, "criminal": 22, "sexual": 20, "domestic": 8, "other": 3, "organ": 1},
}


@dataclass(frozen=True)
class Place:
    town: str
    region: str
    nation: str
    police_force: str
    local_authority: str


PLACES = (
    Place("London", "Greater London", Nation.ENGLAND, "Metropolitan Police Service", "London Borough of Newham"),
    Place("London", "Greater London", Nation.ENGLAND, "Metropolitan Police Service", "City of Westminster"),
    Place("London", "Greater London", Nation.ENGLAND, "Metropolitan Police Service", "London Borough of Tower Hamlets"),
    Place("Birmingham", "West Midlands", Nation.ENGLAND, "West Midlands Police", "Birmingham City Council"),
    Place("Coventry", "West Midlands", Nation.ENGLAND, "West Midlands Police", "Coventry City Council"),
    Place("Manchester", "Greater Manchester", Nation.ENGLAND, "Greater Manchester Police", "Manchester City Council"),
    Place("Leeds", "West Yorkshire", Nation.ENGLAND, "West Yorkshire Police", "Leeds City Council"),
    Place(
        "Bradford",
        "West Yorkshire",
        Nation.ENGLAND,
        "West Yorkshire Police",
        "City of Bradford Metropolitan District Council",
    ),
    Place("Liverpool", "Merseyside", Nation.ENGLAND, "Merseyside Police", "Liverpool City Council"),
    Place("Bristol", "Bristol", Nation.ENGLAND, "Avon and Somerset Constabulary", "Bristol City Council"),
    Place("Sheffield", "South Yorkshire", Nation.ENGLAND, "South Yorkshire Police", "Sheffield City Council"),
    Place("Nottingham", "Nottinghamshire", Nation.ENGLAND, "Nottinghamshire Police", "Nottingham City Council"),
    Place("Leicester", "Leicestershire", Nation.ENGLAND, "Leicestershire Police", "Leicester City Council"),
    Place("Luton", "Bedfordshire", Nation.ENGLAND, "Bedfordshire Police", "Luton Borough Council"),
    Place("Slough", "Berkshire", Nation.ENGLAND, "Thames Valley Police", "Slough Borough Council"),
    Place("Peterborough", "Cambridgeshire", Nation.ENGLAND, "Cambridgeshire Constabulary", "Peterborough City Council"),
    Place("Southampton", "Hampshire", Nation.ENGLAND, "Hampshire Constabulary", "Southampton City Council"),
    Place("Newcastle upon Tyne", "Tyne and Wear", Nation.ENGLAND, "Northumbria Police", "Newcastle City Council"),
    Place("Kingston upon Hull", "East Riding of Yorkshire", Nation.ENGLAND, "Humberside Police", "Hull City Council"),
    Place("Cardiff / Caerdydd", "South Glamorgan", Nation.WALES, "South Wales Police", "City of Cardiff Council"),
    Place(
        "Swansea / Abertawe",
        "West Glamorgan",
        Nation.WALES,
        "South Wales Police",
        "City and County of Swansea Council",
    ),
    Place("Glasgow", "City of Glasgow", Nation.SCOTLAND, "Police Scotland", "The Glasgow City Council"),
    Place("Edinburgh", "City of Edinburgh", Nation.SCOTLAND, "Police Scotland", "The City of Edinburgh Council"),
    Place(
        "Belfast",
        "County Antrim",
        Nation.NORTHERN_IRELAND,
        "Police Service of Northern Ireland",
        "Belfast City Council",
    ),
)
# England makes most referrals: each English place is listed several times over in the draw.
PLACE_WEIGHTS = tuple({Nation.ENGLAND: 12, Nation.WALES: 4, Nation.SCOTLAND: 5, Nation.NORTHERN_IRELAND: 4}[p.nation]
                      for p in PLACES)  # fmt: skip


@dataclass(frozen=True)
class Origin:
    nationality: str
    country: str
    birth_towns: tuple[str, ...]
    first_names_female: tuple[str, ...]
    first_names_male: tuple[str, ...]
    last_names: tuple[str, ...]
    language: str  # "" when English


ORIGINS = {
    "British": Origin(
        "British",
        "United Kingdom",
        ("Birmingham", "Manchester", "London", "Leeds", "Liverpool", "Glasgow"),
        ("Chloe", "Amelia", "Jessica", "Keira", "Lauren", "Megan"),
        ("Jack", "Tyler", "Kai", "Callum", "Liam", "Mason"),
        ("Smith", "Jones", "Taylor", "Brown", "Walker", "Wright", "Evans", "Hughes"),
        "",
    ),
    "Albanian": Origin(
        "Albanian",
        "Albania",
        ("Tirana", "Durrës", "Elbasan", "Kukës", "Shkodër"),
        ("Elira", "Anisa", "Klea", "Besa"),
        ("Arben", "Ermal", "Dritan", "Besnik", "Kledi"),
        ("Hoxha", "Shehu", "Krasniqi", "Gashi", "Leka"),
        "Albanian",
    ),
    "Vietnamese": Origin(
        "Vietnamese",
        "Vietnam",
        ("Nghe An", "Ha Tinh", "Quang Binh", "Hai Phong"),
        ("Thi Lan", "Thi Hoa", "Thi Mai"),
        ("Van Minh", "Van Duc", "Quang Huy", "Van Long"),
        ("Nguyen", "Tran", "Le", "Pham", "Hoang"),
        "Vietnamese",
    ),
    "Eritrean": Origin(
        "Eritrean",
        "Eritrea",
        ("Asmara", "Keren", "Massawa"),
        ("Helen", "Senait", "Luwam", "Selam"),
        ("Yonas", "Dawit", "Samuel", "Filmon", "Robel"),
        ("Tesfay", "Gebremedhin", "Habte", "Kidane", "Berhe"),
        "Tigrinya",
    ),
    "Sudanese": Origin(
        "Sudanese",
        "Sudan",
        ("Khartoum", "Omdurman", "Nyala", "El Fasher"),
        ("Amna", "Fatima", "Hawa"),
        ("Mohamed", "Ahmed", "Osman", "Abdelrahman", "Adam"),
        ("Ibrahim", "Abdalla", "Hassan", "Yousif", "Ali"),
        "Arabic",
    ),
    "Romanian": Origin(
        "Romanian",
        "Romania",
        ("Bucharest", "Iași", "Craiova", "Constanța", "Bacău"),
        ("Andreea", "Elena", "Ioana", "Maria"),
        ("Ionuț", "Andrei", "Florin", "Marian", "Gheorghe"),
        ("Popescu", "Ionescu", "Dumitru", "Stan", "Constantin"),
        "Romanian",
    ),
    "Indian": Origin(
        "Indian",
        "India",
        ("Chennai", "Kochi", "Amritsar", "Hyderabad"),
        ("Priya", "Lakshmi", "Anjali"),
        ("Ravi", "Suresh", "Harpreet", "Arjun"),
        ("Kumar", "Singh", "Nair", "Reddy", "Patel"),
        "Punjabi",
    ),
    "Afghan": Origin(
        "Afghan",
        "Afghanistan",
        ("Kabul", "Jalalabad", "Kunduz", "Herat"),
        ("Mariam", "Zahra", "Shabnam"),
        ("Ahmad", "Mohammad", "Ali", "Hamid", "Jawad"),
        ("Ahmadi", "Rahimi", "Karimi", "Safi", "Noori"),
        "Pashto",
    ),
    "Chinese": Origin(
        "Chinese",
        "China",
        ("Fuzhou", "Wenzhou", "Shenyang"),
        ("Li Na", "Wang Fang", "Zhang Min"),
        ("Wei", "Jun", "Hao", "Lei"),
        ("Chen", "Lin", "Zheng", "Wang", "Liu"),
        "Mandarin",
    ),
    "Nigerian": Origin(
        "Nigerian",
        "Nigeria",
        ("Benin City", "Lagos", "Edo State", "Ibadan"),
        ("Blessing", "Precious", "Joy", "Esohe"),
        ("Osagie", "Emeka", "Tunde", "Chinedu"),
        ("Okafor", "Osagie", "Adeyemi", "Eze", "Obi"),
        "",
    ),
    "Polish": Origin(
        "Polish",
        "Poland",
        ("Łódź", "Wrocław", "Kraków", "Gdańsk"),
        ("Agnieszka", "Katarzyna", "Monika"),
        ("Tomasz", "Piotr", "Marek", "Krzysztof"),
        ("Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kamiński"),
        "Polish",
    ),
    "Iranian": Origin(
        "Iranian",
        "Iran",
        ("Tehran", "Sanandaj", "Kermanshah"),
        ("Shirin", "Leila", "Nasrin"),
        ("Reza", "Hossein", "Amir", "Dara"),
        ("Mohammadi", "Hosseini", "Rezaei", "Karimi"),
        "Kurdish Sorani",
    ),
    "Iraqi": Origin(
        "Iraqi",
        "Iraq",
        ("Sulaymaniyah", "Erbil", "Mosul"),
        ("Sara", "Noor", "Rozh"),
        ("Karwan", "Shvan", "Hawre", "Aram"),
        ("Abdullah", "Aziz", "Mahmood", "Rashid"),
        "Kurdish Sorani",
    ),
}
# Nationalities of referrals (Home Office statistics): UK nationals lead among children, Albanian and other
# nationalities among adults.
NATIONALITY_WEIGHTS = {
    Route.CHILD: {"British": 60, "Albanian": 6, "Vietnamese": 7, "Eritrean": 6, "Sudanese": 6, "Afghan": 6,
                  "Romanian": 2, "Iranian": 2, "Iraqi": 3, "Nigerian": 1, "Chinese": 1, "Indian": 0, "Polish": 0},
    Route.ADULT: {"British": 14, "Albanian": 18, "Vietnamese": 8, "Eritrean": 8, "Sudanese": 7, "Afghan": 5,
                  "Romanian": 7, "Iranian": 5, "Iraqi": 4, "Nigerian": 6, "Chinese": 5, "Indian": 8, "Polish": 5},
    Route.DUTY_TO_NOTIFY: {"British": 18, "Albanian": 14, "Vietnamese": 7, "Eritrean": 5, "Sudanese": 5,
                           "Afghan": 4, "Romanian": 10, "Iranian": 4, "Iraqi": 4, "Nigerian": 5, "Chinese": 6,
                           "Indian": 10, "Polish": 8},
}  # fmt: skip

# What a responder writes, by statistics group: (the exploitation's story, the work, the living conditions).
STORIES = {
    "labour": (
        "A man from their home area offered a job on a construction site in the UK with good pay and a room. "
        "On arrival their passport was taken 'for safekeeping' and they were told they owed £4,000 for the journey.",
        "Worked on building sites and in a car wash, about 12 hours a day, six or seven days a week. The pay went "
        "to the boss to 'clear the debt'; they were given £20 a week for food.",
        "Shared a room above the car wash with five other men, mattresses on the floor, one toilet. They were "
        "driven to and from work and told not to go out alone.",
    ),
    "sexual": (
        "Met a man online who said he was their boyfriend and offered a life together in the UK. After the journey "
        "he said they owed him money and would have to work to pay it back.",
        "Made to see men in rented flats, several a day, arranged through adverts that others controlled. All the "
        "money was taken.",
        "Moved between short-let flats every few weeks, never told the address. Their phone was checked and someone "
        "was always with them.",
    ),
    "criminal": (
        "Approached at a bus station soon after arriving by a man who offered work and somewhere to live. Weeks "
        "later he said they owed £10,000 for the room, food and journey.",
        "Made to water and feed cannabis plants in a house, day and night, and told they would be blamed if the "
        "police came.",
        "Locked inside the house where the plants grew, windows blacked out, food brought in once a week.",
    ),
    "domestic": (
        "A family friend arranged for them to come to the UK to look after a family's children, with a salary and "
        "the chance to study.",
        "Cleaned, cooked and looked after three children from 6am to late at night, every day, with no day off. "
        "They were never paid.",
        "Slept on the floor of the children's room. They were not allowed out of the house alone and their "
        "passport was kept by the employer.",
    ),
    "organ": (
        "Told a kidney operation abroad would clear the family's debt and pay for their journey to the UK.",
        "Taken to a clinic abroad where a kidney was removed. They were then made to work to pay for the journey.",
        "Kept in a flat with others after the operation, with little medical care.",
    ),
    "other": (
        "Recruited through a relative with the promise of work and a place to stay in the UK.",
        "Made to beg outside supermarkets every day and hand over everything they collected.",
        "Lived in an overcrowded house with the relative's associates, who took their documents.",
    ),
}
# A child's criminal exploitation usually starts with grooming: county lines.
CHILD_CRIMINAL_STORY = (
    "Groomed by older young people at school who gave them money, trainers and a phone, then said they owed for "
    "it all and had to work it off.",
    "Made to carry and sell drugs, travelling by train to other towns for days at a time ('going country'). "
    "Sometimes made to hold drugs internally.",
    "Kept in a 'trap house' with other young people while away: little food, no proper bed, and not allowed to "
    "leave until the drugs were sold.",
)
CHILD_FAMILY = (
    "Lives with mother and stepfather; social care involvement since the age of 12.",
    "Parents and two brothers in the home country; no contact since leaving.",
    "Lives with an aunt; mother is unwell and father is not in contact.",
)
ADULT_FAMILY = (
    "Mother and two younger sisters live in the home town; father died when they were young. They send money home "
    "when they can.",
    "Parents separated; lived with their grandmother. No contact with the family since leaving.",
    "Married with a young son, both in the home country.",
)
CHILD_EDUCATION = (
    "Attends school irregularly; excluded twice this year.",
    "Went to school in the home country until 13; not in education since arriving.",
    "In Year 10; attendance fell sharply over the last six months.",
)
ADULT_EDUCATION = (
    "Left school at 14 to work and help the family.",
    "Secondary school until 16; started a college course but did not finish.",
    "University degree in accounting.",
)
TREATMENT = (
    "Threatened with violence against their family at home if they did not do as they were told. Hit when they "
    "refused or complained.",
    "Shouted at and threatened, and told the police would arrest and deport them if they went to them.",
    "Assaulted several times, and shown pictures of their family's house to frighten them.",
)
OTHER_TEXT = "Forced into a sham marriage to secure a visa for someone else."

RESPONDER_ROLES = (
    "Detective Constable",
    "Police Sergeant",
    "Social worker",
    "Modern slavery lead",
    "Support worker",
    "Immigration officer",
    "Safeguarding lead",
)
RESPONDER_NAMES = (
    ("Sarah", "Collins"),
    ("David", "Okoro"),
    ("Emma", "Patel"),
    ("Mark", "Davies"),
    ("Aisha", "Rahman"),
    ("Gareth", "Price"),
    ("Fiona", "MacLeod"),
    ("Niall", "O'Neill"),
)


def plausible_route(rng: random.Random) -> Route:
    """A route in the proportions of domain.md, for generators that make many referrals."""
    return rng.choices(list(ROUTE_WEIGHTS), weights=list(ROUTE_WEIGHTS.values()))[0]


def complete_answers(route: Route, *, organisation_name: str, seed: int = 0) -> dict:
    """A complete and valid set of answers for `route`, as saved by the question pages, varied by `seed`."""
    route = Route(route)
    rng = random.Random(f"{route.value}:{seed}")
    today = date.today()
    lists = _Lists()

    is_child = route == Route.CHILD
    place = rng.choices(PLACES, weights=PLACE_WEIGHTS)[0]
    town = lists.pick("uk_towns", place.town, rng)
    region = lists.pick("uk_regions", place.region, rng)
    origin = _choose(rng, NATIONALITY_WEIGHTS[route], ORIGINS)
    gender = rng.choices(["female", "male", "other"], weights=[40, 59, 1])[0]
    groups = _exploitation_groups(rng, route, gender)
    checked = [rng.choice(EXPLOITATION_GROUPS[group]) for group in groups]
    if route == Route.CHILD and "sexual" in groups and rng.random() < 0.7:
        checked = [value for value in checked if value not in EXPLOITATION_GROUPS["sexual"]]
        checked.append("child_sexual_exploitation")
    if route != Route.CHILD and "child_sexual_exploitation" in checked:
        checked.remove("child_sexual_exploitation")
        checked.append("forced_prostitution")
    main_story = CHILD_CRIMINAL_STORY if route == Route.CHILD and groups[0] == "criminal" else STORIES[groups[0]]

    age = rng.randint(13, 17) if route == Route.CHILD else rng.choices(
        [rng.randint(18, 24), rng.randint(25, 39), rng.randint(40, 62)], weights=[35, 45, 20]
    )[0]  # fmt: skip
    date_of_birth = today - timedelta(days=age * 365 + rng.randint(0, 364))
    first_names = origin.first_names_female if gender == "female" else origin.first_names_male
    first_name, last_name = rng.choice(first_names), rng.choice(origin.last_names)
    overseas = origin.country != "United Kingdom" and rng.random() < 0.35
    exploited_in = rng.choice(["overseas", "both"]) if overseas else "uk"
    months_ago = rng.randint(1, 30)
    started = today - timedelta(days=30 * (months_ago + rng.randint(2, 24)))
    ended = today - timedelta(days=30 * months_ago)
    still_exploited = rng.random() < 0.15
    responder_first, responder_last = rng.choice(RESPONDER_NAMES)
    interpreter = origin.language if origin.language and rng.random() < 0.8 else ""

    answers: dict = {
        # Set-up and age
        "responder_reference": f"{rng.choice(['MS', 'CR', 'SG'])}/{today:%y}/{rng.randint(1000, 99999)}",
        "organisation": organisation_name,
        "nation": place.nation.value,
        "under_18": "no" if route != Route.CHILD else rng.choices(["yes", "not_sure"], weights=[85, 15])[0],
        "la_name": lists.pick("local_authorities", place.local_authority, rng),
        "la_phone": _phone(rng, landline=True),
        "la_email": "childrens.services@council.example.gov.uk",
        "la_contact_first_name": rng.choice(("Helen", "James", "Priya", "Tom", "Rachel")),
        "la_contact_last_name": rng.choice(("Wilson", "Green", "Shah", "Roberts", "Clarke")),
        "child_during_exploitation": "yes" if age < 21 and rng.random() < 0.6 else rng.choice(["no", "no", "not_sure"]),
        "consent": "no" if route == Route.DUTY_TO_NOTIFY else "yes",
        # Background
        "birth_country": lists.pick("countries", origin.country, rng),
        "birth_town": rng.choice(origin.birth_towns),
        "family": rng.choice(CHILD_FAMILY if is_child else ADULT_FAMILY),
        "education": rng.choice(CHILD_EDUCATION if is_child else ADULT_EDUCATION),
        "previous_work": "None."
        if is_child
        else rng.choice(("Farm work and labouring.", "Worked in a shop.", "None.")),
        # Account
        "more_than_one_situation": rng.choices(["no", "yes", "dont_know"], weights=[70, 20, 10])[0],
        "exploitation_dates": f"From about {started:%B %Y} to {ended:%B %Y}"
        if not still_exploited
        else f"From about {started:%B %Y} and still continuing",
        "situations_dates": (
            f"First: {started:%B %Y} to {started + timedelta(days=120):%B %Y}, {groups[0]} exploitation. "
            f"Second: {started + timedelta(days=150):%B %Y} to {ended:%B %Y}, by a different group."
        ),
        "how_it_started": main_story[0],
        "taken_somewhere": "yes" if overseas or rng.random() < 0.5 else "no",
        "journey_details": rng.choice(
            (
                "Travelled overland through Europe in lorries over about three weeks, then crossed the Channel in a "
                "small boat. The agent held their documents and arranged every stage.",
                f"Driven by the exploiters from {town} to other towns, sometimes for a week at a time.",
                "Flew to the UK on a visitor visa arranged by the recruiter, who met them at the airport and kept "
                "their passport.",
            )
        ),
        "made_to_do": main_story[1],
        "living_conditions": main_story[2],
        "treatment": rng.choice(TREATMENT),
        "still_exploited": "yes" if still_exploited else "no",
        "still_exploited_reasons": "Fear of what the exploiters would do to their family, and a debt they are told "
        "is still growing.",
        "how_they_left": rng.choice(
            (
                "Found by the police during a visit to the premises.",
                "Ran away while the boss was away and asked a stranger for help; the stranger called the police.",
                "Arrested during a police operation and disclosed the exploitation in interview.",
                "Told a teacher, who made a safeguarding referral."
                if is_child
                else "Called the Modern Slavery Helpline from a borrowed phone.",
            )
        ),
        "last_contact": rng.choice(
            ["within_week", "within_month", "within_3_months", "within_6_months", "6_to_12_months", "not_sure"]
        ),
        "last_contact_details": "Messages from an unknown number asking where they are and saying they still owe "
        "money.",
        "reported_before": rng.choices(["no", "yes", "not_sure"], weights=[70, 15, 15])[0],
        "reported_before_details": "Told a support worker last year, who did not make a referral.",
        "not_reported_reason": "Afraid of the exploiters and of being arrested or sent back; did not know help was "
        "available.",
        "reported_before_not_sure_details": "May have spoken to a charity at a drop-in centre.",
        # Assessment
        "indicators_identified": "yes",
        "indicators_details": "Debt bondage; documents held by others; no control of earnings; restricted movement; "
        "fearful and anxious when the exploiters were mentioned; injuries consistent with the account.",
        "interview_details": (
            "Spoken to at school with a social worker present; an appropriate adult attended. Several breaks."
            if is_child and rng.random() < 0.5
            else rng.choice(
                (
                    f"Interviewed at a police station in {place.town} with an interpreter by phone; no one else "
                    "present. Two breaks. Quiet and withdrawn at first, more open later.",
                    "Spoke at a safe house with their support worker present, over two sessions. Tired but engaged.",
                )
            )
        ),
        "professional_insight": "The account is consistent with patterns of exploitation seen locally, and the "
        "indicators were observed directly as well as reported.",
        "credibility_concerns": rng.choices(["no", "yes"], weights=[85, 15])[0],
        "credibility_evidence": "Dates given for the journey changed between interviews; this may reflect trauma.",
        "other_professionals": rng.choice(["yes", "no"]),
        "other_professionals_details": "GP at the local practice; a solicitor dealing with their immigration case.",
        # Location
        "exploited_in": exploited_in,
        "uk_towns": lists.towns(town, rng),
        "uk_location_details": "A car wash and flats nearby; exact addresses known to the police.",
        "countries": lists.countries(origin.country, rng),
        "overseas_location_details": "A farm and a flat near the border, names of the places not known.",
        "current_town": town,
        "current_region": region,
        "exploiters_details": rng.choice(
            (
                "A man known as 'Boss' and his brother; they speak the person's language and English.",
                "An older male known by a nickname, part of a drugs line run from another city.",
                "A couple who run the business; the person knows their first names only.",
                "Nothing is known beyond a phone number that is no longer in use.",
            )
        ),
        "exploiters_location_known": rng.choice(["yes", "no"]),
        "exploiters_in_uk": "yes",
        "exploiters_location_details": f"Believed to be still in the {place.town} area.",
        # Exploitation
        "exploitation_types": checked,
        "exploitation_other": OTHER_TEXT,
        # Risk
        "other_victims": rng.choices(["yes", "no", "not_sure"], weights=[45, 25, 30])[0],
        "other_victims_details": "At least three others of a similar age were living at the same address.",
        "re_exploitation_risk": rng.choices(["yes", "no"], weights=[70, 30])[0],
        "re_exploitation_reasons": "The exploiters know where their family lives and say the debt is unpaid.",
        "immediate_safeguarding_needs": rng.choice(["yes", "no"]),
        "safeguarding_details": "Needed emergency accommodation tonight; placed in a safe house.",
        # Police
        "crime_reference_held": rng.choices(["yes", "no"], weights=[55, 45])[0],
        "police_force": lists.pick("police_forces", place.police_force, rng),
        "crime_reference": f"CR/{rng.randint(10000, 99999)}/{today.year % 100:02d}",
        "willing_to_cooperate": rng.choices(["yes", "no"], weights=[60, 40])[0],
        "cooperation_details": "Willing to give a statement to the investigating officer.",
        # About the person
        "no_consent_reason": rng.choice(
            (
                "Afraid of what will happen to their family at home.",
                "Does not trust the authorities and worries about their immigration status.",
                "Wants to return home as soon as possible.",
            )
        ),
        "cooperate_with_authorities": rng.choices(["no", "yes"], weights=[75, 25])[0],
        "first_name": first_name,
        "last_name": last_name,
        "nickname": rng.choice(("", "", "", first_name[:3], "Kiki", "Little one")),
        "date_of_birth": date_of_birth.isoformat() if rng.random() < 0.8 else "",
        "gender": gender,
        "children": "no" if route == Route.CHILD or rng.random() < 0.7 else "yes",
        "children_count": rng.randint(1, 3),
        "nationality": lists.pick("nationalities", origin.nationality, rng),
        "second_nationality": "",
        "dtn_contact_method": rng.choice(["phone", "email", "post"]),
        "dtn_contact_phone": _phone(rng),
        "dtn_contact_email": "contact@person.example.org",
        "dtn_contact_address": f"c/o a support centre\n{place.town}",
        "interpreter_needed": "yes" if interpreter else "no",
        "interpreter_language": interpreter,
        "communication_help": rng.choices(["no", "yes"], weights=[90, 10])[0],
        "communication_help_details": "Reads very little: explain letters in person.",
        "home_office_reference_held": "yes" if origin.country != "United Kingdom" and rng.random() < 0.5 else "no",
        "home_office_reference_type": rng.choice(("Home Office reference", "Port reference")),
        "home_office_reference": f"{last_name[0].upper()}{rng.randint(1000000, 9999999)}",
        "wants_support": rng.choices(["yes", "no"], weights=[85, 15])[0],
        "support_contact_method": rng.choices(
            ["own_phone", "alternative_phone", "cannot_provide"], weights=[60, 30, 10]
        )[0],
        "support_phone": _phone(rng),
        "support_alternative_phone": _phone(rng),
        "support_alternative_relationship": "Support worker at the safe house",
        "support_no_phone_reason": "Their phone was taken by the exploiters.",
        "decision_recipient": rng.choices(["person", "someone_else"], weights=[70, 30])[0],
        "decision_recipient_name": "Jane Morgan",
        "decision_recipient_relationship": "Legal representative",
        "decision_recipient_permission": "yes",
        "contact_methods": rng.choice((["email"], ["post"], ["email", "post"])),
        "contact_email": "decisions@legal-rep.example.org",
        "contact_email_safe": "yes",
        "address_line_1": f"{rng.randint(1, 120)} Station Road",
        "address_line_2": "",
        "address_town": place.town.split(" / ")[0],
        "address_county": "",
        "address_postcode": rng.choice(("E15 4BQ", "B12 9QR", "M14 5TP", "LS9 8AB", "CF10 1EP", "G41 2PE")),
        "address_safe": "yes",
        # The responder
        "responder_first_name": responder_first,
        "responder_last_name": responder_last,
        "responder_role": rng.choice(RESPONDER_ROLES),
        "responder_phone": _phone(rng),
        "alternative_contact_email": "modern.slavery.team@responder.example.org",
        "evidence_notes": "",
    }
    if rng.random() < 0.08:
        nationalities = [name for name in lists.names("nationalities") if name not in (UNKNOWN, answers["nationality"])]
        answers["second_nationality"] = rng.choice(nationalities)

    kept = applicable_answers(QUESTIONNAIRE, answers)
    kept["_visited"] = sorted(
        page.slug for section in applicable_sections(QUESTIONNAIRE, kept) for page in applicable_pages(section, kept)
    )
    return kept


class _Lists:
    """The reference lists as they are in the database (read once each), so that every name chosen exists."""

    def __init__(self):
        self._names: dict[str, list[str]] = {}

    def names(self, list_key: str) -> list[str]:
        if list_key not in self._names:
            self._names[list_key] = reference_names(list_key)
        return self._names[list_key]

    def pick(self, list_key: str, wanted: str, rng: random.Random) -> str:
        names = self.names(list_key)
        if wanted in names:
            return wanted
        known = [name for name in names if name != UNKNOWN]
        return rng.choice(known or names)

    def towns(self, first: str, rng: random.Random) -> list[str]:
        towns = [first]
        if rng.random() < 0.3:
            others = [name for name in self.names("uk_towns") if name not in (UNKNOWN, first)]
            towns += rng.sample(others, k=min(len(others), rng.randint(1, 3)))
        return towns

    def countries(self, origin_country: str, rng: random.Random) -> list[str]:
        allowed = [name for name in self.names("countries") if name not in (UNKNOWN, "United Kingdom")]
        route_countries = [name for name in ("France", "Italy", "Greece", "Turkey", "Libya") if name in allowed]
        first = origin_country if origin_country in allowed else rng.choice(allowed)
        extra = rng.sample(route_countries, k=min(len(route_countries), rng.randint(0, 2)))
        return list(dict.fromkeys([first, *extra]))


def _choose(rng: random.Random, weights: dict[str, int], table: dict):
    keys = [key for key, weight in weights.items() if weight > 0]
    return table[rng.choices(keys, weights=[weights[key] for key in keys])[0]]


def _exploitation_groups(rng: random.Random, route: Route, gender: str) -> list[str]:
    weights = dict(EXPLOITATION_WEIGHTS[route])
    if gender == "female":  # women and girls are referred for sexual and domestic exploitation far more often
        weights["sexual"] *= 3
        weights["domestic"] *= 2
    groups = [group for group, weight in weights.items() if weight > 0]
    first = rng.choices(groups, weights=[weights[group] for group in groups])[0]
    chosen = [first]
    if rng.random() < 0.2:  # combinations are common: labour and criminal, sexual and domestic
        others = [group for group in groups if group != first]
        chosen.append(rng.choices(others, weights=[weights[group] for group in others])[0])
    return chosen


def _phone(rng: random.Random, *, landline: bool = False) -> str:
    """A UK number phonenumbers calls valid, in E.164 as the pages store it."""
    while True:
        if landline:  # London, Birmingham, Manchester, Leeds, Bristol, Cardiff, Glasgow
            area, digits = rng.choice(
                [("20", 8), ("121", 7), ("161", 7), ("113", 7), ("117", 7), ("29", 8), ("141", 7)]
            )
            text = f"+44{area}{rng.randint(3 * 10 ** (digits - 1), 10**digits - 1)}"
        else:
            text = f"+447{rng.choice(['700', '800', '900', '911', '956', '984'])}{rng.randint(100000, 999999)}"
        number = phonenumbers.parse(text, "GB")
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
