"""Writes of resolutions that touch more than one row: each one atomic, keyword-only."""

from django.db import transaction

from .models import Admission, Resolution, ResolutionProgress


@transaction.atomic
def admissions_set(*, resolution: Resolution, members) -> None:
    """Make the resolution admit exactly these members: one Admission row each.

    The members become public (Member.objects.public()) when the resolution's minutes are
    published, not before. A member admitted by another resolution is refused by the
    one-to-one of Admission.member; the admin form says so before it gets here.
    """
    wanted = {m.pk for m in members}
    resolution.admissions.exclude(member_id__in=wanted).delete()
    have = set(resolution.admissions.values_list("member_id", flat=True))
    Admission.objects.bulk_create(
        [Admission(resolution=resolution, member_id=pk) for pk in sorted(wanted - have)]
    )


@transaction.atomic
def progress_entry_save(*, entry: ResolutionProgress, author=None) -> ResolutionProgress:
    """Save a progress entry and move its decision to the entry's new status, if it has one.

    The decision is read again under a row lock, so its status and version come from the
    database, not from a copy loaded earlier; a status change is a change of the decision
    and advances its version, so that a form opened before it is refused as stale
    (kernel.locking) instead of silently saving the old status back.
    """
    if entry.author_id is None and author is not None:
        entry.author = author
    entry.full_clean()
    entry.save(workflow=True)
    if entry.new_status:
        decision = Resolution.objects.select_for_update().get(pk=entry.resolution_id)
        if decision.status != entry.new_status:
            decision.status = entry.new_status
            # Resolution.save advances the version; it must be among the fields written.
            decision.save(update_fields=["status", "version", "updated_at"])
            # The caller's copy (the admin's form instance) follows the database.
            entry.resolution.status = decision.status
            entry.resolution.version = decision.version
            entry.resolution.updated_at = decision.updated_at
    return entry
