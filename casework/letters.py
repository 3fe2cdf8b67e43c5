"""Decision letters: one PDF per served decision, addressed to whoever the referral said receives the decision
(for a child, the local authority), rendered by WeasyPrint and kept in private storage."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from casework.factors import factor_labels
from casework.models import Case, Decision, Letter
from common.pdf import render_pdf


def letter_recipient(case: Case) -> dict:
    """Who the letter is addressed to, and how it reaches them, from the referral's answers."""
    answers = case.referral.answers or {}
    if case.is_child:
        contact = " ".join(filter(None, [answers.get("la_contact_first_name"), answers.get("la_contact_last_name")]))
        return {
            "name": contact or "Children's services",
            "organisation": answers.get("la_name", "The local authority"),
            "lines": [],
            "email": answers.get("la_email", ""),
            "is_local_authority": True,
        }
    person = " ".join(filter(None, [answers.get("first_name"), answers.get("last_name")])) or "The person referred"
    name = answers.get("decision_recipient_name") if answers.get("decision_recipient") == "someone_else" else person
    methods = answers.get("contact_methods") or []
    lines = []
    if "post" in methods:
        lines = [
            answers.get(key)
            for key in ("address_line_1", "address_line_2", "address_town", "address_county", "address_postcode")
            if answers.get(key)
        ]
    return {
        "name": name or person,
        "organisation": "",
        "lines": lines,
        "email": answers.get("contact_email", "") if "email" in methods else "",
        "is_local_authority": False,
        "about": person if name != person else "",
    }


def letter_template(decision: Decision) -> str:
    return f"casework/letters/{decision.stage}_{decision.outcome}.html"


def letter_filename(decision: Decision) -> str:
    return f"{decision.case.reference}-{decision.stage}-{decision.outcome}-decision.pdf"


def letter_render_bytes(letter: Letter) -> bytes:
    decision = letter.decision
    case = decision.case
    served_on = date_format(timezone.localtime(decision.served_at).date(), "j F Y")
    return render_pdf(
        template_name=letter_template(decision),
        context={
            "case": case,
            "decision": decision,
            "recipient": letter_recipient(case),
            "factors": factor_labels(decision.factors),
            "served_on": served_on,
            "authority": case.authority,
            "running_header": f"{case.authority} – decision letter",  # noqa: RUF001 - GOV.UK uses the en dash
            "running_header_right": f"{case.reference} · {served_on}",
        },
    )


def letter_render(*, letter_id: int) -> Letter:
    """Renders and stores the letter's PDF once; a second call (a retried task, a download racing the task)
    finds it rendered and does nothing."""
    with transaction.atomic():
        letter = (
            Letter.objects.select_for_update(of=("self",))
            .select_related("decision__case__referral", "decision__case__authority")
            .get(pk=letter_id)
        )
        if letter.file:
            return letter
        letter.file.save("letter.pdf", ContentFile(letter_render_bytes(letter)), save=False)
        letter.rendered_at = timezone.now()
        letter.save(update_fields=["file", "rendered_at"])
    return letter


def letter_pdf(letter: Letter) -> bytes:
    """The stored PDF, rendered now if the task has not got to it yet."""
    if not letter.file:
        letter = letter_render(letter_id=letter.pk)
    with letter.file.open("rb") as stored:
        return stored.read()
