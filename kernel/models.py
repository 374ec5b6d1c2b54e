"""The kernel's one table: a counter of changes to what the public sees."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PublicContentVersion(models.Model):
    """Increased after every change that public pages and files show (see pagecache.py).

    Cached pages and rendered files are keyed by it, so every server process notices
    an edit made through any other one, with a single indexed read per request.
    """

    version = models.BigIntegerField(_("version"), default=1)
    # When the version last changed: the Last-Modified of every file and feed derived from
    # public content (kernel.pagecache.content_validators).
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        # Created under the project package's label before the kernel existed; the table kept
        # its name when the model moved (kernel 0001, clubportal 0005: state only).
        db_table = "clubportal_publiccontentversion"
        verbose_name = _("public content version")
        verbose_name_plural = _("public content versions")

    def __str__(self):
        return str(self.version)
