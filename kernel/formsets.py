"""Inline formsets that tell duplicate rows in the model's own words, next to the rows."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import UniqueConstraint


class ConstraintMessagesFormSetMixin:
    """Rows of one formset that break a UniqueConstraint of the model between themselves get
    the constraint's violation_error_message on its last field, each of those rows.

    Django's own check says «Please correct the duplicate data for order» above the inline,
    naming internal fields, and marks only the second row. It still runs after this one, for
    the checks this one does not cover; the rows marked here are invalid by then and skipped.
    """

    def validate_unique(self):
        fk_name = getattr(getattr(self, "fk", None), "name", None)
        live = [
            form
            for form in self.forms
            if form.is_valid() and not (self.can_delete and self._should_delete_form(form))
        ]
        for constraint in self.model._meta.constraints:
            if not isinstance(constraint, UniqueConstraint) or constraint.condition is not None:
                continue
            # The inline's own foreign key is the same in every row: not part of the key.
            fields = [name for name in constraint.fields if name != fk_name]
            if not fields or not all(name in self.form.base_fields for name in fields):
                continue
            rows = defaultdict(list)
            for form in live:
                key = tuple(getattr(v, "pk", v) for v in map(form.cleaned_data.get, fields))
                if None not in key:
                    rows[key].append(form)
            for forms in rows.values():
                if len(forms) > 1:
                    for form in forms:
                        form.add_error(
                            fields[-1],
                            ValidationError(constraint.violation_error_message, code="unique"),
                        )
            live = [form for form in live if form.is_valid()]
        super().validate_unique()
