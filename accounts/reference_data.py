"""The live service's public lists of first responder organisations and email domains, shipped with the
project in accounts/reference/ and loaded by a data migration; admins edit them afterwards."""

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
