"""The live service's public lists of first responder organisations and email domains, shipped with the
project in accounts/reference/ and loaded by a data migration; admins edit them afterwards."""

import re
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


def read_list(name: str) -> list[str]:
    lines = (REFERENCE_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip()]


def first_responder_kind(name: str) -> str:
    """The kind of a first responder organisation, from its name (the statistics' grouping)."""
    lowered = name.lower()
    if any(word in lowered for word in ("police", "constabulary", "organised crime unit", "rocu")):
        return "police"
    if lowered.startswith(("home office", "national crime agency", "gangmasters")) or any(
        word in lowered for word in ("border force", "immigration enforcement", "uk visas", "fair work agency")
    ):
        return "government_agency"
    if any(
        word in lowered
        for word in (
            "council",
            "borough of",
            "children's trust",
            "childrens trust",
            "county of",
            "health and social care trust",
        )
    ):
        return "local_authority"
    return "ngo"


# Organisations of the devolved nations, by name (the live service's list; checked by hand against it). Every other
# local authority and police force of the list is in England; UK-wide bodies (the Home Office, the National Crime
# Agency, British Transport Police, national charities) have no nation.
NORTHERN_IRELAND = frozenset(
    {
        "Ards and North Down Borough Council",
        "Antrim and Newtonabbey Borough Council",
        "Lisburn and Castlereagh City Council",
        "Newry, Mourne and Down District Council",
        "Armagh City, Banbridge and Craigavon Borough Council",
        "Fermanagh and Omagh District Council",
        "Derry City and Strabane District Council",
        "Mid Ulster District Council",
        "Mid & East Antrim Borough Council",
        "Causeway Coast and Glens Borough Council",
        "Belfast City Council",
        "Police Service of Northern Ireland",
        "Health and Social Care Trusts - HSC Trusts",
        "Belfast Harbour Police",
        "Belfast International Airport Constabulary",
        "Belfast and Lisburn Women's Aid",
        "Youth Work Alliance",
    }
)
SCOTLAND = frozenset(
    {
        "Aberdeenshire Council",
        "Aberdeen City Council",
        "Argyll and Bute Council",
        "Angus Council",
        "Clackmannanshire Council",
        "Dumfries and Galloway Council",
        "Dundee City Council",
        "East Ayrshire Council",
        "City of Edinburgh Council",
        "East Dunbartonshire Council",
        "East Lothian Council",
        "Comhairle nan Eilean Siar",
        "East Renfrewshire Council",
        "Falkirk Council",
        "Fife Council",
        "Glasgow City Council",
        "Highland Council",
        "Inverclyde Council",
        "Midlothian Council",
        "Moray Council",
        "North Ayrshire Council",
        "North Lanarkshire Council",
        "Orkney Islands Council",
        "Perth and Kinross Council",
        "Renfrewshire Council",
        "South Ayrshire Council",
        "Scottish Borders Council",
        "South Lanarkshire Council",
        "Stirling Council",
        "West Dunbartonshire Council",
        "West Lothian Council",
        "Shetland Islands Council",
        "Police Scotland",
        "Trafficking Awareness Raising Alliance TARA",
    }
)
WALES = frozenset(
    {
        "Isle of Anglesey County Council",
        "Bridgend County Borough Council",
        "Blaenau Gwent County Borough Council",
        "Caerphilly County Borough Council",
        "Ceredigion County Council",
        "Carmarthenshire County Council",
        "City of Cardiff Council",
        "Conwy County Borough Council",
        "Denbighshire County Council",
        "Flintshire County Council",
        "Gwynedd Council",
        "Monmouthshire County Council",
        "Merthyr Tydfil County Borough Council",
        "Neath Port Talbot County Borough Council",
        "Newport City Council",
        "Pembrokeshire County Council",
        "Powys County Council",
        "Rhondda Cynon Taf County Borough Council",
        "City and County of Swansea Council",
        "Torfaen County Borough Council",
        "Vale of Glamorgan Council",
        "Wrexham County Borough Council",
        "Dyfed-Powys Police",
        "Gwent Police",
        "North Wales Police",
        "South Wales Police",
        "Tarian ROCU",
        "BAWSO",
    }
)
UK_WIDE_POLICE = frozenset({"British Transport Police", "National Police Air Service"})
# England's bodies whose names say neither police nor council.
ENGLAND = frozenset(
    {
        "Greater London Authority",
        "City of London Corporation",
        "City of Westminster",
        "Liverpool City Region",
        "Sheffield City Region",
        "North East Regional Special Operations Unit",
        "East Midlands Special Operations Unit",
        "Eastern Region Special Operations Unit",
    }
)

# Short names people use for them, where the list's names do not end in one.
SHORT_NAMES = {
    "Police Service of Northern Ireland": "PSNI",
    "British Transport Police": "BTP",
    "Metropolitan Police Service": "MPS",
    "Greater Manchester Police": "GMP",
    "National Police Air Service": "NPAS",
    "City of London Police": "CoLP",
    "The Salvation Army": "TSA",
    "Health and Social Care Trusts - HSC Trusts": "HSC Trusts",
    "National Society for the Prevention of Cruelty to Children NSPCC CTAC": "NSPCC CTAC",
    "Tarian ROCU": "Tarian",
}
_TRAILING_SHORT_NAME = re.compile(r"(?:\(([A-Za-z]{2,8})\)|\b([A-Z]{2,8}))$")


def organisation_nation(name: str) -> str:
    """The nation a first responder organisation of the list works in ("" for UK-wide bodies)."""
    if name in NORTHERN_IRELAND:
        return "northern_ireland"
    if name in SCOTLAND:
        return "scotland"
    if name in WALES:
        return "wales"
    if name in ENGLAND:
        return "england"
    if name in UK_WIDE_POLICE:
        return ""
    if first_responder_kind(name) in ("police", "local_authority") or name.endswith("Combined Authority"):
        return "england"
    return ""


def organisation_short_name(name: str) -> str:
    """Its usual short name: a known one, or the abbreviation its listed name ends with (GLAA, UKBF, ROM)."""
    if name in SHORT_NAMES:
        return SHORT_NAMES[name]
    match = _TRAILING_SHORT_NAME.search(name.strip())
    if match is None or name.strip() == (match.group(1) or match.group(2)):
        return name if name.isupper() and len(name) <= 20 else ""
    return match.group(1) or match.group(2)
