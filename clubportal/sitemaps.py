"""sitemap.xml: the public pages (the statistics dashboard among them) and every published
meeting."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from meetings.models import Meeting


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
        ]

    def location(self, item):
        return reverse(item)


class MeetingSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Meeting.objects.published().order_by("-date")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"pages": PublicPagesSitemap, "meetings": MeetingSitemap}
