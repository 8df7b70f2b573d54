from django.urls import path

from . import views

urlpatterns = [path("", views.district_list, name="district_list")]
