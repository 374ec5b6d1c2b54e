"""sitemap.xml: the public pages (the statistics dashboard among them), every published
meeting and every public member's record, and every year of the club's report."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from chronicle.annual import annual_years
from meetings.models import Meeting
from members.models import Member


class PublicPagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "home",
            "meetings:archive",
            "resolutions:list",
            "chronicle:progress",
            "members:list",
            "stats:overview",
            "notices:subscribe",
            "annual:index",
        ]

    def location(self, item):
        return reverse(item)


class MeetingSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Meeting.objects.published().order_by("-date")

    def lastmod(self, item):
        return item.updated_at


class MemberSitemap(Sitemap):
    """The record of each member the public knows of (Member.objects.public())."""

    changefreq = "monthly"

    def items(self):
        return Member.objects.public().order_by("pk")


class AnnualSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return [entry.year for entry in annual_years()]

    def location(self, item):
        return reverse("annual:year", args=[item])


SITEMAPS = {
    "pages": PublicPagesSitemap,
    "meetings": MeetingSitemap,
    "members": MemberSitemap,
    "annual": AnnualSitemap,
}
