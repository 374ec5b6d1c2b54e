"""Root URLs: the public pages of every app (addresses are a contract) and the admin."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from chronicle import urls as chronicle_urls
from kernel import accounts
from minutes import urls as minutes_urls

from . import views
from .sitemaps import SITEMAPS

admin.site.site_header = settings.CLUB_NAME
admin.site.site_title = settings.CLUB_NAME

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    # Before the apps' own lists: the club's memory answers addresses under /resolutions/ and
    # /members/ that those lists do not hold.
    path("", include("chronicle.urls")),
    path("", include("notices.urls")),
    path("api/", include("opendata.urls")),
    path("meetings/", include((minutes_urls.meetings_patterns, "meetings"))),
    path("resolutions/", include((minutes_urls.resolutions_patterns, "resolutions"))),
    path("members/", include((chronicle_urls.members_patterns, "members"))),
    path("annual/", include("chronicle.annual_urls")),
    path("stats/", include("stats.urls")),
    path("search/", views.search, name="search"),
    path("accounts/welcome/", views.after_login, name="after_login"),
    # Django's own account views, but the login page offers the reset only where mail can go
    # out, and the reset is refused where it cannot.
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
