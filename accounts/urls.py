from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("my-data/", views.download_data, name="download_data"),
    path("delete/", views.delete, name="delete"),
]
