from django.urls import path

from . import views

urlpatterns = [
    path("", views.directory, name="organization_directory"),
    path("<int:pk>/", views.organization_detail, name="organization_detail"),
]
