from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [path("subject-access", views.subject_access, name="subject_access")]
