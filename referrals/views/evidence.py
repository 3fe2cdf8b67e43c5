"""Evidence files on a draft. (Being built: upload, remove, download.)"""


def evidence_page_context(request, draft) -> dict:
    return {"evidence_files": list(draft.evidence.all())}
