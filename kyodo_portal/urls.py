from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from districts import views as district_views

from . import account_views, views

urlpatterns = [
    path("", views.overview, name="overview"),
    # Ahead of districts/<slug>/, so that /districts/find/ is the finder, not a district
    # (District.RESERVED_SLUGS keeps any district from taking the name).
    path("districts/", include("districts.urls")),
    path("districts/<slug:slug>/", views.district_detail, name="district_detail"),
    path("districts/<slug:slug>/bylaws/", district_views.council_bylaws, name="council_bylaws"),
    path(
        "districts/<slug:slug>/population.csv",
        district_views.statistics_csv,
        name="district_statistics_csv",
    ),
    path("organizations/", include("organizations.urls")),
    path("", include("plans.urls")),
    path("", include("plans.feed_urls")),
    path("grants/", include("subsidies.urls")),
    path("search/", views.site_search, name="site_search"),
    path("accessibility/", views.accessibility_policy, name="accessibility_policy"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", account_views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", account_views.account_home, name="account_home"),
    path("accounts/mail/", account_views.mail_settings, name="mail_settings"),
    path(
        "accounts/password/",
        account_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        account_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("councils/<int:pk>/profile/", account_views.council_profile, name="council_profile"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("i18n/<slug:code>/", views.switch_language, name="switch_language"),
    path("admin/", admin.site.urls),
]

# No route serves MEDIA_ROOT, not even with DEBUG: uploads are reached only through the views
# that check who may see them (core/uploads.py).
