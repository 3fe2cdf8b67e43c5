from django.urls import path

from referrals.views import drafts, lists

app_name = "referrals"
urlpatterns = [
    path("", lists.referral_list, name="list"),
    path("drafts/start", drafts.draft_start, name="start"),
    path("drafts/<int:pk>/", drafts.task_list, name="task_list"),
    path("drafts/<int:pk>/questions/<slug:slug>/", drafts.question_page, name="page"),
    path("drafts/<int:pk>/check/", drafts.check_answers, name="check"),
    path("drafts/<int:pk>/delete/", drafts.delete, name="delete"),
]
