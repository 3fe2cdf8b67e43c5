from django.urls import path

from referrals.views import drafts, evidence, lists, submission

app_name = "referrals"
urlpatterns = [
    path("", lists.referral_list, name="list"),
    path("prompt-sheet.pdf", submission.prompt_sheet, name="prompt_sheet"),
    path("drafts/start", drafts.draft_start, name="start"),
    path("drafts/<int:pk>/", drafts.task_list, name="task_list"),
    path("drafts/<int:pk>/questions/<slug:slug>/", drafts.question_page, name="page"),
    path("drafts/<int:pk>/check/", drafts.check_answers, name="check"),
    path("drafts/<int:pk>/delete/", drafts.delete, name="delete"),
    path("drafts/<int:pk>/evidence/upload", evidence.evidence_upload, name="evidence_upload"),
    path("drafts/<int:pk>/evidence/<int:file_id>/remove", evidence.evidence_remove, name="evidence_remove"),
    path("drafts/<int:pk>/send", submission.referral_send, name="send"),
    path("evidence/<int:file_id>", evidence.evidence_download, name="evidence_download"),
    path("<reference:reference>/", lists.referral_detail, name="detail"),
    path("<reference:reference>/sent", submission.confirmation, name="confirmation"),
    path("<reference:reference>/copy.pdf", submission.referral_pdf, name="pdf"),
    path("<reference:reference>/feedback", submission.feedback, name="feedback"),
]
