"""Decision letters: one PDF per served decision, addressed to whoever the referral said receives the decision
(for a child, the local authority), rendered by WeasyPrint and kept in private storage."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import Organisation
from casework.factors import factor_labels
from casework.models import Case, Decision, Letter
from common.outbox import outbox_handler
from common.pdf import render_pdf

ADDRESS_KEYS = ("address_line_1", "address_line_2", "address_town", "address_county", "address_postcode")


def _full_name(answers: dict, first: str, last: str) -> str:
    return " ".join(filter(None, [(answers.get(first) or "").strip(), (answers.get(last) or "").strip()]))


def letter_recipient(case: Case) -> dict:
    """Who the letter is addressed to and how it reaches them, from the referral's answers, and how the letter
    speaks of the person it is about ("you" only when it is addressed to them)."""
    referral = case.referral
    answers = referral.answers or {}
    person = _full_name(answers, "first_name", "last_name")
    about = {
        "about": person or "Name not given",
        "about_date_of_birth": referral.date_of_birth,
    }
    if case.is_child:
        contact = _full_name(answers, "la_contact_first_name", "la_contact_last_name")
        return {
            **about,
            "name": contact or "Children's services",
            "organisation": answers.get("la_name") or "The local authority",
            "lines": [],
            "email": answers.get("la_email", ""),
            "is_local_authority": True,
            "is_the_person": False,
            "salutation": contact or "Children's services",
            "subject": "the child named above",
            "subject_is": "the child named above is",
        }
    someone_else = answers.get("decision_recipient") == "someone_else" and answers.get("decision_recipient_name")
    name = answers["decision_recipient_name"] if someone_else else (person or "The person referred")
    methods = answers.get("contact_methods") or []
    lines = [answers[key] for key in ADDRESS_KEYS if answers.get(key)] if "post" in methods else []
    return {
        **about,
        "name": name,
        "organisation": "",
        "relationship": answers.get("decision_recipient_relationship", "") if someone_else else "",
        "lines": lines,
        "email": answers.get("contact_email", "") if "email" in methods else "",
        "is_local_authority": False,
        "is_the_person": not someone_else,
        "salutation": name,
        "subject": "the person named above" if someone_else else "you",
        "subject_is": "the person named above is" if someone_else else "you are",
    }


def authority_contact(authority: Organisation) -> dict:
    """How the person or their representative reaches the deciding authority about the letter, from the
    authority's organisation data (set in admin); each part may be missing, and the letter reads well without."""
    lines = [line.strip() for line in (authority.contact_address or "").splitlines() if line.strip()]
    contact = {
        "email": (authority.contact_email or "").strip(),
        "phone": (authority.contact_phone or "").strip(),
        "address_lines": lines,
    }
    contact["any"] = bool(contact["email"] or contact["phone"] or lines)
    return contact


def letter_template(decision: Decision) -> str:
    return f"casework/letters/{decision.stage}_{decision.outcome}.html"


def letter_filename(decision: Decision) -> str:
    return f"{decision.case.reference}-{decision.stage}-{decision.outcome}-decision.pdf"


def letter_context(letter: Letter) -> dict:
    decision = letter.decision
    case = decision.case
    served_on = date_format(timezone.localtime(decision.served_at).date(), "j F Y")
    # A decision-making panel's decision is the panel's: the letter names it as the decision maker.
    decision_maker = decision.decision_maker_name or str(case.authority)
    return {
        "case": case,
        "decision": decision,
        "recipient": letter_recipient(case),
        "factors": factor_labels(decision.factors),
        "served_on": served_on,
        "authority": case.authority,
        "authority_contact": authority_contact(case.authority),
        "decision_maker": decision_maker,
        "decided_by_panel": bool(decision.decision_maker_name),
        "referrer": case.referral.organisation,
        "support_provider": case.support_provider,
        "running_header": f"{decision_maker} – decision letter",  # noqa: RUF001 - GOV.UK uses the en dash
        "running_header_right": f"{case.reference} · {served_on}",
    }


def letter_render_bytes(letter: Letter) -> bytes:
    return render_pdf(template_name=letter_template(letter.decision), context=letter_context(letter))


def _stored(letter: Letter) -> bool:
    return bool(letter.file) and letter.file.storage.exists(letter.file.name)


@outbox_handler()
def letter_render(*, letter_id: int) -> Letter:
    """Renders and stores the letter's PDF once; a second call (the sweep's copy of a task, a download racing
    the task) finds it rendered and does nothing. A stored file that has gone missing is rendered again."""
    with transaction.atomic():
        letter = (
            Letter.objects.select_for_update(of=("self",))
            .select_related(
                "decision__case__referral__organisation",
                "decision__case__authority",
                "decision__case__support_provider",
            )
            .get(pk=letter_id)
        )
        if _stored(letter):
            return letter
        letter.file.save("letter.pdf", ContentFile(letter_render_bytes(letter)), save=False)
        letter.rendered_at = timezone.now()
        letter.save(update_fields=["file", "rendered_at"])
    return letter


def letter_pdf(letter: Letter) -> bytes:
    """The stored PDF, rendered now if the task has not got to it yet (or its file has been lost)."""
    if not letter.file:
        letter = letter_render(letter_id=letter.pk)
    try:
        with letter.file.open("rb") as stored:
            return stored.read()
    except FileNotFoundError:
        letter = letter_render(letter_id=letter.pk)
        with letter.file.open("rb") as stored:
            return stored.read()
