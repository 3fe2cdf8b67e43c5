from django.urls import path

from accounts import organisation_views as views

app_name = "organisation"

urlpatterns = [
    path("", views.members, name="members"),
    path("requests/<int:request_id>/approve/", views.approve, name="approve"),
    path("requests/<int:request_id>/decline/", views.decline, name="decline"),
    path("members/<int:member_id>/remove/", views.remove, name="remove"),
    path("members/<int:member_id>/role/", views.change_role, name="role"),
    path("settings/", views.settings, name="settings"),
    path("membership/", views.membership, name="membership"),
]
