"""Evidence files on a draft: upload, remove, download. (Being built.)"""

from django.http import Http404


def evidence_page_context(request, draft) -> dict:
    return {"evidence_files": list(draft.evidence.all())}


def evidence_upload(request, pk: int):
    raise Http404


def evidence_remove(request, pk: int, file_id: int):
    raise Http404


def evidence_download(request, file_id: int):
    raise Http404
