"""Atom feed of the latest published minutes."""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from kernel.downloads import not_modified, validated
from kernel.pagecache import content_validators

from .models import Meeting

_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_safe(text: str) -> str:
    """Without the control characters XML cannot hold (pasted from word processors)."""
    return _XML_FORBIDDEN.sub("", text)


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose entry summaries are plain text (RFC 4287 type="text"), not HTML.

    The summary is the preamble as the secretary typed it: sent as HTML, a script or an
    image typed into it would run in every feed reader that does not sanitise.
    """

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class LatestMeetingsFeed(Feed):
    feed_type = PlainTextAtomFeed
    title = settings.CLUB_NAME
    # RFC 4287 requires an author of the feed or of every entry: the club publishes them.
    author_name = settings.CLUB_NAME
    subtitle = _("Minutes of the latest meetings of the club")
    link = reverse_lazy("meetings:archive")

    def __call__(self, request, *args, **kwargs):
        # Feed readers poll: while nothing public changed, they get 304 and no feed is built.
        # Django's Feed sets Last-Modified from the newest entry, which an unpublished entry
        # would move back in time; the content version's time never goes back.
        validators = content_validators(request)
        if (unchanged := not_modified(request, validators)) is not None:
            return unchanged
        return validated(super().__call__(request, *args, **kwargs), validators)

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
