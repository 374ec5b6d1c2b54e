"""Optimistic locking for admin forms: a save based on an outdated version is refused.

Meeting and Resolution carry a `version` that every save increases. The form sends back
the version it was loaded with; if the record moved on meanwhile, the form refuses to
save and says who changed which fields (from django-simple-history), instead of
silently overwriting the other person's work.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

CONCURRENT_EDIT = _(
    "While you were editing, %(user)s saved this record (%(time)s) and changed: "
    "%(fields)s. Your changes were not saved: open the record again and repeat them."
)


def changed_fields(model, history_qs, loaded_version: int) -> list[str]:
    """Verbose names of the fields changed since the version the user loaded."""
    records = list(history_qs.order_by("history_date", "history_id"))
    before = next((r for r in reversed(records) if r.version <= loaded_version), None)
    latest = records[-1] if records else None
    if latest is None:
        return []
    if before is None:
        return [str(_("the whole record"))]
    delta = latest.diff_against(before)
    names = []
    for change in delta.changes:
        if change.field in ("version", "updated_at"):
            continue
        try:
            names.append(str(model._meta.get_field(change.field).verbose_name))
        except Exception:  # a field removed since: name it as stored
            names.append(change.field)
    return names


class OptimisticLockFormMixin(forms.ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["lock_version"].initial = self._base_version()

    def _is_restore(self) -> bool:
        # django-simple-history marks the instances it rebuilds from a past version.
        return getattr(self.instance, "_history", None) is not None

    def _base_version(self) -> int:
        """The version an edit is based on: a restore is based on the current record."""
        if self._is_restore():
            current = type(self.instance)._default_manager.filter(pk=self.instance.pk)
            return current.values_list("version", flat=True).first() or self.instance.version
        return self.instance.version

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("lock_version")
        if self.instance.pk and loaded is not None:
            model = type(self.instance)
            # Locks the row until the admin's transaction ends: two saves cannot interleave.
            current = model._default_manager.select_for_update().filter(pk=self.instance.pk)
            current = current.values_list("version", flat=True).first()
            if current is not None and current != loaded:
                raise ValidationError(self.conflict_message(model, loaded), code="stale")
            if current is not None and self._is_restore():
                # The restored copy carries its old version; continue from the current one.
                self.instance.version = current
        return cleaned

    def conflict_message(self, model, loaded: int) -> str:
        history = self.instance.history.all()
        latest = history.order_by("-history_date", "-history_id").first()
        fields = changed_fields(model, history, loaded) or [str(_("nothing visible"))]
        return CONCURRENT_EDIT % {
            "user": (latest.history_user if latest and latest.history_user else _("another user")),
            "time": formats.date_format(
                timezone.localtime(latest.history_date) if latest else timezone.now(),
                "j E Y, H:i",
            ),
            "fields": ", ".join(dict.fromkeys(fields)),
        }
