from django.urls import path

from panels import views, views_reports
from panels.views import leads

app_name = "panels"
urlpatterns = [
    path("reviews/", views.reviews, name="reviews"),
    path("<int:pk>/", views.case, name="case"),
    path("<int:pk>/view", views.record_view, name="record_view"),
    path("<int:pk>/conflict", views.declare_conflict, name="declare_conflict"),
    path("<int:pk>/conclude", views.conclude, name="conclude"),
    path("<int:pk>/decide", views.decide, name="decide"),
    path("<int:pk>/evidence/<int:file_id>", views.evidence, name="evidence"),
    path("<int:pk>/files/<int:file_id>", views.case_file, name="case_file"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/new", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/agenda", views.meeting_agenda, name="meeting_agenda"),
    path("meetings/<int:pk>/attendance", views.meeting_attendance, name="meeting_attendance"),
    path("open/<reference:reference>", views.open_reference, name="open"),
    path("invitations/", leads.invitations, name="invitations"),
    path("dashboard/", views_reports.dashboard, name="dashboard"),
    path("<int:pk>/record.pdf", views_reports.record_pdf, name="record_pdf"),
]
