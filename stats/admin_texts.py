"""The admin's titles and messages for the statistics models, in whole Russian sentences.

Django builds them from a model's verbose_name («Изменить %s», «{name} «{obj}» был успешно
добавлен»), which in Russian gives the wrong case and gender: «Изменить форма отчёта».
Each model admin names its own sentences here instead (gettext with English msgids, the
Russian in the catalogue); InflectedAdminMixin puts them where Django would put its own,
and lists above the form any error the page would report without showing it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class AdminTexts:
    add: Promise  # «Добавить форму отчёта»: the add page's title and the changelist's button
    change: Promise  # «Изменить форму отчёта»
    view: Promise  # «Просмотр формы отчёта»
    changelist: Promise  # «Выберите форму отчёта для изменения»
    added: Promise  # «Форма отчёта «{obj}» добавлена.»
    changed: Promise  # «Форма отчёта «{obj}» изменена.»
    deleted: Promise  # «Форма отчёта «{obj}» удалена.»
    # ngettext singular and plural msgids of «%(count)d … deleted.»
    deleted_many: tuple[str, str]


# Tails of the success messages, the same whatever the model's gender.
EDIT_AGAIN = _("You may go on editing it below.")
ADD_ANOTHER = _("You may add another record below.")


class InflectedInlineAdminFormSet(helpers.InlineAdminFormSet):
    """«Добавить ещё одну строку формы»: the inline's own sentence for the add link."""

    def inline_formset_data(self):
        data = json.loads(super().inline_formset_data())
        text = getattr(self.opts, "add_another_text", None)
        if text:
            data["options"]["addText"] = str(text)
        return json.dumps(data)


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


class InflectedAdminMixin:
    """Titles, buttons and messages of a model admin from its `texts` (AdminTexts)."""

    texts: AdminTexts

    def changelist_view(self, request, extra_context=None):
        context = {"title": self.texts.changelist, "add_text": self.texts.add}
        return super().changelist_view(request, {**context, **(extra_context or {})})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if add:
            context["title"] = self.texts.add
        elif self.has_change_permission(request, obj):
            context["title"] = self.texts.change
        else:
            context["title"] = self.texts.view
        context["unshown_errors"] = unshown_errors(
            context.get("adminform"), context.get("inline_admin_formsets", ())
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_admin_formsets = super().get_inline_formsets(
            request, formsets, inline_instances, obj
        )
        for inline_admin_formset in inline_admin_formsets:
            inline_admin_formset.__class__ = InflectedInlineAdminFormSet
        return inline_admin_formsets

    # Django words the success messages inside response_add, response_change and
    # delete_view, then hands them to message_user: the event is noted on the request
    # meanwhile, and message_user says it in the model's own sentence.

    def response_add(self, request, obj, post_url_continue=None):
        return self._with_event(
            request, ("added", obj), super().response_add, request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        event = "added" if "_saveasnew" in request.POST else "changed"
        return self._with_event(request, (event, obj), super().response_change, request, obj)

    def response_delete(self, request, obj_display, obj_id):
        return self._with_event(
            request,
            ("deleted", obj_display),
            super().response_delete,
            request,
            obj_display,
            obj_id,
        )

    def delete_queryset(self, request, queryset):
        request._stats_admin_event = ("deleted_many", queryset.count())
        super().delete_queryset(request, queryset)

    def _with_event(self, request, event, view, *args):
        request._stats_admin_event = event
        try:
            return view(*args)
        finally:
            request._stats_admin_event = None

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        event = getattr(request, "_stats_admin_event", None)
        if event is not None and level == messages.SUCCESS:
            request._stats_admin_event = None
            message = self.event_message(request, *event)
        super().message_user(request, message, level, *args, **kwargs)

    def event_message(self, request, event: str, subject) -> str:
        if event == "deleted_many":
            singular, plural = self.texts.deleted_many
            return ngettext(singular, plural, subject) % {"count": subject}
        if event == "deleted":
            return format_html(str(self.texts.deleted), obj=subject)
        obj = subject
        if self.has_change_permission(request, obj) and obj.pk:
            opts = self.model._meta
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            shown = format_html('<a href="{}">{}</a>', url, obj)
        else:
            shown = str(obj)
        text = self.texts.added if event == "added" else self.texts.changed
        message = format_html(str(text), obj=shown)
        if "_continue" in request.POST or "_saveasnew" in request.POST:
            return format_html("{} {}", message, EDIT_AGAIN)
        if "_addanother" in request.POST:
            return format_html("{} {}", message, ADD_ANOTHER)
        return message
