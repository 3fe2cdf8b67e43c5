"""The subject access page of the data protection team (and admins): a reference in, a ZIP out. The reference
is posted, never put in the address, and the download is never cached."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accounts.permissions import role_required
from common.downloads import private_download
from privacy.forms import SubjectAccessForm
from privacy.services import EXPORT_ROLES, SubjectNotFound, subject_access_export

NOT_FOUND = "There is no referral or case with this reference"


@require_http_methods(["GET", "POST"])
@role_required(*EXPORT_ROLES)
def subject_access(request):
    form = SubjectAccessForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            export = subject_access_export(reference=form.cleaned_data["reference"], actor=request.user)
        except SubjectNotFound:
            form.add_error("reference", NOT_FOUND)
        else:
            return private_download(export.file, filename=export.filename, content_type="application/zip")
    return render(
        request,
        "privacy/subject_access.html",
        {"form": form, "error_links": form.error_links()},
        status=400 if form.errors else 200,
    )
