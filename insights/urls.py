from django.urls import path

from insights import views

app_name = "insights"
urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("tables/<slug:key>/", views.table, name="table"),
    path("tables/<slug:key>/download.<slug:file_format>", views.export, name="export"),
    path("research-extract/", views.extract, name="extract"),
    path("research-extract/download.<slug:file_format>", views.extract_download, name="extract_download"),
    path("operations/", views.operations, name="operations"),
    path("service-performance/", views.service_performance, name="service_performance"),
]
