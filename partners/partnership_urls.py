from django.urls import path

from partners import views

app_name = "partnerships"
urlpatterns = [
    path("", views.partnership_home, name="home"),
]
