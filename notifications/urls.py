from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/read", views.notification_mark_read, name="mark_read"),
    path("read", views.notifications_mark_all_read, name="mark_all_read"),
]
