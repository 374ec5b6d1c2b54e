"""Atom feed of the latest published minutes."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .models import Meeting


class LatestMeetingsFeed(Feed):
    feed_type = Atom1Feed
    title = settings.CLUB_NAME
    subtitle = _("Minutes of the latest meetings of the club")
    link = reverse_lazy("meetings:archive")

    def items(self):
        return Meeting.objects.published().order_by("-date", "-pk")[:20]

    def item_title(self, item):
        return f"{item.title}: {item.topic}" if item.topic else item.title

    def item_description(self, item):
        return Truncator(item.preamble).words(80)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at
