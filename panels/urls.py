from django.urls import path

from panels import views

app_name = "panels"
urlpatterns = [path("reviews/", views.reviews, name="reviews")]
