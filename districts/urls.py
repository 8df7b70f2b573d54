from django.urls import include, path

from . import views

# The finder is namespaced ("districts:find"); the list keeps its older, plain name.
finder_patterns = ([path("find/", views.district_find, name="find")], "districts")

urlpatterns = [
    path("", views.district_list, name="district_list"),
    path("", include(finder_patterns)),
]
