from django.urls import path

from accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.account, name="account"),
    # Under /accounts/ with allauth's pages: open to someone not yet signed in, and to the authenticator gate.
    path("accounts/invitation/<slug:token>/", views.invitation, name="invitation"),
]
