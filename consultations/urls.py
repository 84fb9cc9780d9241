"""URLs outside Wagtail's page serving (which cannot serve names with a dot such as report.xlsx)."""

from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("polls/<int:poll_id>/", views.poll_detail, name="poll"),
    path("polls/<int:poll_id>/vote/", views.poll_vote, name="poll_vote"),
    path("<int:page_id>/report.<str:fmt>", views.report_download, name="report_download"),
    path("meetings/<int:meeting_id>.ics", views.meeting_ics, name="meeting_ics"),
]
