"""The statistics admin's errors that no field of the page shows, listed above the form.

(The titles and messages in agreeing Russian are every admin's: kernel.admin_texts.)
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


def _label(form, name) -> str:
    field = form.fields.get(name)
    if field is not None and field.label:
        return str(field.label)
    try:
        return str(form._meta.model._meta.get_field(name).verbose_name)
    except Exception:  # an error on a name the model does not have either
        return name


def unshown_errors(adminform, inline_admin_formsets) -> list[str]:
    """Errors the change form would report without showing them: on a hidden field, a
    field not on the page, or a row of a read-only inline. «Please correct the errors
    below» never stands alone."""
    found = []
    if adminform is not None:
        form = adminform.form
        for name, errors in form.errors.items():
            if name == NON_FIELD_ERRORS or (name in form.fields and not form[name].is_hidden):
                continue
            found += [
                _("«%(field)s»: %(error)s") % {"field": _label(form, name), "error": error}
                for error in errors
            ]
    for inline in inline_admin_formsets:
        editable = inline.has_change_permission or inline.has_add_permission
        title = capfirst(inline.opts.verbose_name_plural)
        for number, form in enumerate(inline.formset.forms, start=1):
            for name, errors in form.errors.items():
                visible = name == NON_FIELD_ERRORS or (
                    name in form.fields and not form[name].is_hidden
                )
                if editable and visible:
                    continue
                found += [
                    _("%(inline)s, row %(row)s, «%(field)s»: %(error)s")
                    % {
                        "inline": title,
                        "row": number,
                        "field": _label(form, name) if name != NON_FIELD_ERRORS else "—",
                        "error": error,
                    }
                    for error in errors
                ]
    return found


class UnshownErrorsMixin:
    """Lists above the form any error the page would report without showing it."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["unshown_errors"] = unshown_errors(
            context.get("adminform"), context.get("inline_admin_formsets", ())
        )
        return super().render_change_form(request, context, add, change, form_url, obj)
