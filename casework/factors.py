"""The objective factors a decision maker may rely on: what the referral recorded (the exploitation described,
the indicators the first responder saw, the account and its context), offered as a list to select from."""

from dataclasses import dataclass

from referrals.questions.definition import EXPLOITATION_OPTIONS

_EXPLOITATION_LABELS = {option.value: option.label for option in EXPLOITATION_OPTIONS}

# code, label, the answer that records it, and the answer values that count as recorded (None: any answer).
_RECORDED_FACTORS: tuple[tuple[str, str, str, tuple[str, ...] | None], ...] = (
    ("indicators", "Indicators of modern slavery identified by the first responder", "indicators_identified", ("yes",)),
    ("how_it_started", "How the exploitation began", "how_it_started", None),
    ("movement", "They were moved or taken somewhere", "taken_somewhere", ("yes",)),
    ("work_done", "The work or services they were made to do", "made_to_do", None),
    ("living_conditions", "Their living conditions", "living_conditions", None),
    ("treatment", "How they were treated", "treatment", None),
    ("still_exploited", "They are still being exploited", "still_exploited", ("yes",)),
    ("professional_insight", "The first responder's professional insight", "professional_insight", None),
    ("other_professionals", "Other professionals involved", "other_professionals", ("yes",)),
    ("other_victims", "Other potential victims", "other_victims", ("yes",)),
    ("crime_reference", "A crime reference for a modern slavery crime", "crime_reference_held", ("yes",)),
)


@dataclass(frozen=True)
class Factor:
    code: str
    label: str


def objective_factors_for(answers: dict) -> list[Factor]:
    """The factors the referral recorded, in the order of its questions."""
    factors = [
        Factor(f"exploitation:{value}", f"Exploitation: {_EXPLOITATION_LABELS[value]}")
        for value in answers.get("exploitation_types", [])
        if value in _EXPLOITATION_LABELS
    ]
    for code, label, key, values in _RECORDED_FACTORS:
        answer = answers.get(key)
        if answer and (values is None or answer in values):
            factors.append(Factor(code, label))
    return factors


def factor_labels(codes: list[str]) -> list[str]:
    """Labels of stored factor codes (a code no longer offered keeps its code as its label)."""
    known = {code: label for code, label, _, _ in _RECORDED_FACTORS}
    labels = []
    for code in codes:
        if code.startswith("exploitation:"):
            value = code.split(":", 1)[1]
            labels.append(f"Exploitation: {_EXPLOITATION_LABELS.get(value, value)}")
        else:
            labels.append(known.get(code, code))
    return labels
