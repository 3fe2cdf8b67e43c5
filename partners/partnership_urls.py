from django.urls import path

from partners import views

app_name = "partnerships"
urlpatterns = [
    path("", views.partnership_home, name="home"),
    path("<int:pk>/", views.figures, name="figures"),
    path("<int:pk>/pathway/", views.pathway, name="pathway"),
    path("<int:pk>/pathway/contacts/new", views.pathway_contact, name="contact_new"),
    path("<int:pk>/pathway/contacts/<int:contact_id>/", views.pathway_contact, name="contact_edit"),
    path("<int:pk>/pathway/contacts/<int:contact_id>/remove", views.pathway_contact_delete, name="contact_remove"),
]
