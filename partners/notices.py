"""The local pathway shown at the start of a referral: registered with common.notices (referrals cannot import
partners; see docs/adr/0030)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest
from django.template.loader import render_to_string

from partners.models import Partnership, PathwayContact
from partners.selectors.partnerships import forget_pathways, pathway_for_organisation


def referral_start_pathway(request: HttpRequest) -> str:
    user = request.user
    if not (user.is_authenticated and user.is_verified_member):
        return ""
    partnerships = pathway_for_organisation(user.organisation_id)
    if not partnerships:
        return ""
    return render_to_string("partners/_start_pathway.html", {"partnerships": partnerships}, request=request)


def _forget(sender, **kwargs) -> None:
    forget_pathways()


for _model in (Partnership, PathwayContact):
    post_save.connect(_forget, sender=_model, dispatch_uid=f"partners-pathway-save-{_model.__name__}")
    post_delete.connect(_forget, sender=_model, dispatch_uid=f"partners-pathway-delete-{_model.__name__}")
m2m_changed.connect(_forget, sender=Partnership.member_organisations.through, dispatch_uid="partners-pathway-members")
