"""Every write to a draft: create, save a page, delete. A draft belongs to its organisation."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.models import User
from referrals.models import Draft, EvidenceFile
from referrals.questions import QUESTIONNAIRE
from referrals.questions.engine import answers_no_longer_applying
from referrals.questions.schema import Question


class DraftChangedElsewhere(Exception):
    """Someone else saved the draft after this page was opened: nothing was overwritten."""

    def __init__(self, draft: Draft):
        self.draft = draft
        super().__init__(f"Draft {draft.pk} changed since it was read")


class DraftNotEditable(Exception):
    pass


def _check_can_edit(draft: Draft, actor: User) -> None:
    if not actor.sees_work_of(organisation_id=draft.organisation_id, owner_id=draft.created_by_id):
        raise PermissionDenied
    if draft.submitted_at is not None:
        raise DraftNotEditable("This referral has been sent and can no longer be changed")


@transaction.atomic
def draft_create(*, actor: User) -> Draft:
    if not actor.is_first_responder or actor.organisation is None:
        raise PermissionDenied
    organisation = actor.organisation
    answers = {"organisation": organisation.name} if organisation.is_first_responder else {}
    return Draft.objects.create(organisation=organisation, created_by=actor, last_changed_by=actor, answers=answers)


@transaction.atomic
def draft_save_page(
    *, draft_id: int, actor: User, page_slug: str, page_answers: dict, expected_version: int
) -> tuple[Draft, list[Question]]:
    """Saves one page's answers. Returns the draft and the answers that a changed route no longer uses.

    Raises DraftChangedElsewhere when the draft moved on since `expected_version` was read, so that two people
    (or two tabs) never silently overwrite each other.
    """
    return draft_save_pages(
        draft_id=draft_id, actor=actor, pages=[(page_slug, page_answers)], expected_version=expected_version
    )


@transaction.atomic
def draft_save_pages(
    *, draft_id: int, actor: User, pages: list[tuple[str, dict]], expected_version: int
) -> tuple[Draft, list[Question]]:
    """Saves several pages' answers, in order, as one change (one version, one history row): a partner's system
    sends a whole referral in one call (partners). Otherwise as draft_save_page."""
    draft = Draft.objects.select_for_update().get(pk=draft_id)
    _check_can_edit(draft, actor)
    if draft.version != expected_version:
        raise DraftChangedElsewhere(draft)
    before = dict(draft.answers)
    answers = dict(before)
    for _, page_answers in pages:
        for key, value in page_answers.items():
            if value is None or value == "" or value == []:
                answers.pop(key, None)
            else:
                answers[key] = value
    visited = set(answers.get("_visited", [])) | {page_slug for page_slug, _ in pages}
    answers["_visited"] = sorted(visited)
    draft.answers = answers
    draft.version += 1
    draft.last_changed_by = actor
    draft.furthest_page = pages[-1][0]
    draft.expiry_warning_sent_at = None
    draft.save()
    return draft, answers_no_longer_applying(QUESTIONNAIRE, before, answers)


@transaction.atomic
def draft_delete(*, draft_id: int, actor: User) -> None:
    draft = Draft.objects.select_for_update().get(pk=draft_id)
    _check_can_edit(draft, actor)
    evidence = list(draft.evidence.all())
    names = [item.file.name for item in evidence]
    draft.delete()
    # A deleted draft leaves nothing behind: not its answers in the change history, nor its files.
    EvidenceFile.history.filter(id__in=[item.pk for item in evidence]).delete()
    Draft.history.filter(id=draft_id).delete()
    storage = EvidenceFile._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
