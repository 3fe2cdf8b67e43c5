from django.urls import path

from casework import views

app_name = "casework"
urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("team/", views.team, name="team"),
    path("supported-people/", views.supported, name="supported"),
]
