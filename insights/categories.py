"""The published categories (../shared/statistics.md, "Category values, as published"): the fact tables hold
codes, these give the labels and the published order."""

from accounts.models import Organisation
from casework.models import Decision, Reconsideration
from insights.models import AgeGroup

NOT_SPECIFIED = "Not specified or unknown"

AGE_GROUPS = {group.value: group.label for group in AgeGroup}

GENDERS = {"female": "Female", "male": "Male", "other": "Other", "": "Not Recorded"}

LOCATIONS = {"overseas": "Overseas", "uk": "UK", "both": "UK and Overseas", "": NOT_SPECIFIED}

# The published order of exploitation types: a combination lists its types in this order.
EXPLOITATION_TYPES = {
    "sexual": "Sexual",
    "labour": "Labour",
    "domestic": "Domestic",
    "organ": "Organ Harvesting",
    "criminal": "Criminal",
}

RESPONDER_KINDS = {
    Organisation.Kind.GOVERNMENT_AGENCY.value: "Government agency",
    Organisation.Kind.NGO.value: "NGO and third sector",
    Organisation.Kind.POLICE.value: "Police",
    Organisation.Kind.LOCAL_AUTHORITY.value: "Local Authority",
}

STAGES = {Decision.Stage.RG.value: "Reasonable grounds", Decision.Stage.CG.value: "Conclusive grounds"}

OUTCOMES = {Decision.Outcome.NEGATIVE.value: "Negative", Decision.Outcome.POSITIVE.value: "Positive"}

NEGATIVE_REASONS = {**{reason.value: reason.label for reason in Decision.NegativeReason}, "": "Not recorded"}

RECONSIDERATION_STATES = {state.value: state.label for state in Reconsideration.State}

NATIONS = {
    "england": "England",
    "wales": "Wales",
    "scotland": "Scotland",
    "northern_ireland": "Northern Ireland",
}


def exploitation_label(types) -> str:
    """A combination in the published order: "Sexual & Labour", "Labour, Domestic & Criminal"."""
    labels = [label for code, label in EXPLOITATION_TYPES.items() if code in (types or ())]
    if not labels:
        return NOT_SPECIFIED
    if len(labels) == 1:
        return labels[0]
    return f"{', '.join(labels[:-1])} & {labels[-1]}"


def exploitation_order(types) -> tuple:
    """Single types first in the published order, then combinations by their size and order."""
    codes = list(EXPLOITATION_TYPES)
    present = [code for code in codes if code in (types or ())]
    if not present:
        return (99,)
    return (len(present), *[codes.index(code) for code in present])


def nationality_label(nationalities) -> str:
    """Dual nationals joined with a space, as published ("Eritrean Ethiopian"); none is "Unknown"."""
    return " ".join(nationalities) if nationalities else "Unknown"


def reconsideration_grounds_label(grounds) -> str:
    """The published reasons for accepting a reconsideration."""
    grounds = set(grounds or ())
    evidence = Reconsideration.Ground.NEW_EVIDENCE.value in grounds
    guidance = Reconsideration.Ground.GUIDANCE_NOT_FOLLOWED.value in grounds
    if evidence and guidance:
        return "Both"
    if evidence:
        return "Additional evidence"
    if guidance:
        return "Not in line with guidance"
    return NOT_SPECIFIED
