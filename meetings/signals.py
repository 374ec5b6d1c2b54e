"""What meetings tell the apps above them, which meetings must not import.

`meeting_published` is sent once the transaction that first published a meeting has
committed (`meetings.services.meeting_publish`), with ``meeting_pk``. Publishing minutes that
are already published sends nothing; publishing them again after withdrawing them sends it
again (a receiver that must act once keeps its own record).
"""

from django.dispatch import Signal

meeting_published = Signal()
