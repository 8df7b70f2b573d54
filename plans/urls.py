from django.urls import path

from . import views

urlpatterns = [
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/document/", views.plan_document, name="plan_document"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path(
        "meetings/<int:pk>/attachments/<int:attachment_pk>/",
        views.meeting_attachment,
        name="meeting_attachment",
    ),
]
