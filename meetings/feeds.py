"""Atom feed of the latest published minutes."""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .models import Meeting

_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_safe(text: str) -> str:
    """Without the control characters XML cannot hold (pasted from word processors)."""
    return _XML_FORBIDDEN.sub("", text)


class LatestMeetingsFeed(Feed):
    feed_type = Atom1Feed
    title = settings.CLUB_NAME
    subtitle = _("Minutes of the latest meetings of the club")
    link = reverse_lazy("meetings:archive")

    def items(self):
        return Meeting.objects.published().order_by("-date", "-pk")[:20]

    def item_title(self, item):
        return xml_safe(f"{item.title}: {item.topic}" if item.topic else item.title)

    def item_description(self, item):
        return xml_safe(Truncator(item.preamble).words(80))

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at
