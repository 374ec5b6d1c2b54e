"""The admin's titles, buttons and messages in Russian that agrees with each model's name.

Django builds them from a model's verbose_name in the nominative («Добавить участник Клуба»,
«Заседание "…" был успешно добавлен»). Every ModelAdmin and inline of the portal names its
model in the other forms Russian needs, once, as a `noun` (Noun: the gender, the accusative,
the genitive…, each a translation); the libraries' models are named in LIBRARY_NOUNS. The
site (kernel.adminsite) mixes InflectedAdmin into every ModelAdmin registered on it, which
puts the right form into Django's own sentences («Добавить %s» with the accusative) and says
the success messages in sentences that agree with the gender («Заседание «…» добавлено.»).
tests/clubportal/test_admin_russian.py reads every registered model's pages.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.admin import helpers
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, npgettext_lazy, pgettext_lazy


class Gender(enum.Enum):
    MASCULINE = "masculine"
    FEMININE = "feminine"
    NEUTER = "neuter"
    PLURAL = "plural"  # a name used only in the plural («пороги проверок»)


@dataclass(frozen=True)
class Noun:
    """A model's name in the forms the admin's sentences need; the nominative is its
    verbose_name. Each form is a translation, the gender is the Russian name's."""

    gender: Gender
    accusative: Promise  # «Добавить участника Клуба»
    genitive: Promise  # «Удаление участника Клуба «…» потребует…»
    accusative_plural: Promise  # «Удалить выбранных участников Клуба»
    counted: Promise  # npgettext_lazy(…, "count"): «5 участников Клуба»
    animate: bool = False  # «ещё одного участника», «выбранных участников»


# Success messages, one per gender: the name (capitalised nominative) and the record agree
# with the verb. The tails are the same whatever the gender.
ADDED = {
    Gender.MASCULINE: pgettext_lazy("masculine", "The {name} «{obj}» was added."),
    Gender.FEMININE: pgettext_lazy("feminine", "The {name} «{obj}» was added."),
    Gender.NEUTER: pgettext_lazy("neuter", "The {name} «{obj}» was added."),
    Gender.PLURAL: pgettext_lazy("plural", "The {name} «{obj}» was added."),
}
CHANGED = {
    Gender.MASCULINE: pgettext_lazy("masculine", "The {name} «{obj}» was changed."),
    Gender.FEMININE: pgettext_lazy("feminine", "The {name} «{obj}» was changed."),
    Gender.NEUTER: pgettext_lazy("neuter", "The {name} «{obj}» was changed."),
    Gender.PLURAL: pgettext_lazy("plural", "The {name} «{obj}» was changed."),
}
DELETED = {
    Gender.MASCULINE: pgettext_lazy("masculine", "The {name} «{obj}» was deleted."),
    Gender.FEMININE: pgettext_lazy("feminine", "The {name} «{obj}» was deleted."),
    Gender.NEUTER: pgettext_lazy("neuter", "The {name} «{obj}» was deleted."),
    Gender.PLURAL: pgettext_lazy("plural", "The {name} «{obj}» was deleted."),
}
# An inline's link under its rows: «Добавить ещё одно вложение».
ANOTHER = {
    (Gender.MASCULINE, False): pgettext_lazy("masculine", "Add another %(name)s"),
    (Gender.MASCULINE, True): pgettext_lazy("masculine animate", "Add another %(name)s"),
    (Gender.FEMININE, False): pgettext_lazy("feminine", "Add another %(name)s"),
    (Gender.FEMININE, True): pgettext_lazy("feminine", "Add another %(name)s"),
    (Gender.NEUTER, False): pgettext_lazy("neuter", "Add another %(name)s"),
    (Gender.NEUTER, True): pgettext_lazy("neuter", "Add another %(name)s"),
    (Gender.PLURAL, False): pgettext_lazy("plural", "Add another %(name)s"),
    (Gender.PLURAL, True): pgettext_lazy("plural", "Add another %(name)s"),
}
DELETE_SELECTED = {
    False: pgettext_lazy("inanimate", "Delete the selected %(name)s"),
    True: pgettext_lazy("animate", "Delete the selected %(name)s"),
}
DELETED_MANY = _("Deleted: %(counted)s.")
EDIT_AGAIN = _("You may go on editing it below.")
ADD_ANOTHER = _("You may add another record below.")

# Django's own sentences, given the accusative instead of the nominative (the Russian of
# each takes the accusative); named here so that the project's catalogue keeps them.
ADD = _("Add %s")
CHANGE = _("Change %s")
VIEW = _("View %s")
SELECT_TO_CHANGE = _("Select %s to change")
SELECT_TO_VIEW = _("Select %s to view")
CANNOT_DELETE = _("Cannot delete %(name)s")
# Django's sentences the catalogue words anew: a missing record, the delete page's question
# (given the accusative, with «ёлочки»), and the delete action's page, told the names in the
# nominative plural: «выбранные объекты (участники Клуба)», whatever the gender and animacy.
DJANGO_SENTENCES = [
    # The address of a record that is gone: «оно было удалено» whatever the gender, in
    # Django's catalogue; ours says it without a pronoun.
    gettext_noop("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?"),
    gettext_noop(
        'Are you sure you want to delete the %(object_name)s "%(escaped_object)s"? All of the '
        "following related items will be deleted:"
    ),
    gettext_noop(
        "Deleting the selected %(objects_name)s would result in deleting related objects, but "
        "your account doesn't have permission to delete the following types of objects:"
    ),
    gettext_noop(
        "Deleting the selected %(objects_name)s would require deleting the following protected "
        "related objects:"
    ),
    gettext_noop(
        "Are you sure you want to delete the selected %(objects_name)s? All of the following "
        "objects and their related items will be deleted:"
    ),
]

# The libraries' models (Django's users and groups, axes, the task queue): their names in
# the catalogue are theirs, the other forms ours.
LIBRARY_NOUNS = {
    "auth.user": Noun(
        Gender.MASCULINE,
        accusative=pgettext_lazy("accusative", "user"),
        genitive=pgettext_lazy("genitive", "user"),
        accusative_plural=pgettext_lazy("accusative plural", "users"),
        counted=npgettext_lazy("counted", "%(count)d user", "%(count)d users", "count"),
        animate=True,
    ),
    "auth.group": Noun(
        Gender.FEMININE,
        accusative=pgettext_lazy("accusative", "group"),
        genitive=pgettext_lazy("genitive", "group"),
        accusative_plural=pgettext_lazy("accusative plural", "groups"),
        counted=npgettext_lazy("counted", "%(count)d group", "%(count)d groups", "count"),
    ),
    "axes.accessattempt": Noun(
        Gender.FEMININE,
        accusative=pgettext_lazy("accusative", "access attempt"),
        genitive=pgettext_lazy("genitive", "access attempt"),
        accusative_plural=pgettext_lazy("accusative plural", "access attempts"),
        counted=npgettext_lazy(
            "counted", "%(count)d access attempt", "%(count)d access attempts", "count"
        ),
    ),
    "axes.accesslog": Noun(
        Gender.FEMININE,
        accusative=pgettext_lazy("accusative", "access log"),
        genitive=pgettext_lazy("genitive", "access log"),
        accusative_plural=pgettext_lazy("accusative plural", "access logs"),
        counted=npgettext_lazy("counted", "%(count)d access log", "%(count)d access logs", "count"),
    ),
    "axes.accessfailurelog": Noun(
        Gender.FEMININE,
        accusative=pgettext_lazy("accusative", "access failure"),
        genitive=pgettext_lazy("genitive", "access failure"),
        accusative_plural=pgettext_lazy("accusative plural", "access failures"),
        counted=npgettext_lazy(
            "counted", "%(count)d access failure", "%(count)d access failures", "count"
        ),
    ),
    "django_tasks_database.dbtaskresult": Noun(
        Gender.FEMININE,
        accusative=pgettext_lazy("accusative", "Task Result"),
        genitive=pgettext_lazy("genitive", "Task Result"),
        accusative_plural=pgettext_lazy("accusative plural", "Task Results"),
        counted=npgettext_lazy(
            "counted", "%(count)d background task", "%(count)d background tasks", "count"
        ),
    ),
}


def noun_of(model_admin) -> Noun | None:
    """The noun a ModelAdmin or inline declares, or the library model's."""
    return getattr(model_admin, "noun", None) or LIBRARY_NOUNS.get(model_admin.opts.label_lower)


class InflectedInlineAdminFormSet(helpers.InlineAdminFormSet):
    """The link under an inline's rows in its own words («Добавить ещё одно вложение»)."""

    def inline_formset_data(self):
        data = json.loads(super().inline_formset_data())
        noun = noun_of(self.opts)
        if noun is not None:
            sentence = ANOTHER[noun.gender, noun.animate]
            data["options"]["addText"] = str(sentence) % {"name": noun.accusative}
        return json.dumps(data)


class InflectedAdmin:
    """Titles, buttons and messages of a ModelAdmin in the forms of its `noun`."""

    # `noun` is the ModelAdmin's own attribute: a default here would hide it, the mixin
    # standing first.
    noun: Noun

    @property
    def admin_noun(self) -> Noun | None:
        return noun_of(self)

    def changelist_view(self, request, extra_context=None):
        noun = self.admin_noun
        if noun is None:
            return super().changelist_view(request, extra_context)
        sentence = SELECT_TO_CHANGE if self.has_change_permission(request) else SELECT_TO_VIEW
        context = {"title": sentence % noun.accusative, "add_text": ADD % noun.accusative}
        response = super().changelist_view(request, {**context, **(extra_context or {})})
        page = getattr(response, "context_data", None) or {}
        if page.get("action_checkbox_name") and "deletable_objects" in page:
            # The delete action's confirmation: its sentences say «выбранные объекты
            # (участники Клуба)», the title «Не удаётся удалить участников Клуба».
            page["objects_name"] = self.opts.verbose_name_plural
            if page.get("perms_lacking") or page.get("protected"):
                page["title"] = CANNOT_DELETE % {"name": noun.accusative_plural}
        return response

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        noun = self.admin_noun
        if noun is not None:
            if add:
                context["title"] = ADD % noun.accusative
            elif self.has_change_permission(request, obj):
                context["title"] = CHANGE % noun.accusative
            else:
                context["title"] = VIEW % noun.accusative
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_admin_formsets = super().get_inline_formsets(
            request, formsets, inline_instances, obj
        )
        for inline_admin_formset in inline_admin_formsets:
            if type(inline_admin_formset) is helpers.InlineAdminFormSet:
                inline_admin_formset.__class__ = InflectedInlineAdminFormSet
        return inline_admin_formsets

    def get_action_choices(self, request, *args, **kwargs):
        choices = super().get_action_choices(request, *args, **kwargs)
        noun = self.admin_noun
        if noun is None:
            return choices
        delete = str(DELETE_SELECTED[noun.animate]) % {"name": noun.accusative_plural}
        return [(name, delete if name == "delete_selected" else text) for name, text in choices]

    def delete_view(self, request, object_id, extra_context=None):
        response = super().delete_view(request, object_id, extra_context)
        noun = self.admin_noun
        page = getattr(response, "context_data", None)
        if noun is not None and page is not None:
            # «Вы уверены, что хотите удалить заседание…» takes the accusative, «Удаление
            # заседания … потребует…» (templates/admin/delete_confirmation.html) the genitive.
            page["object_name"] = noun.accusative
            page["object_name_genitive"] = noun.genitive
            if page.get("perms_lacking") or page.get("protected"):
                page["title"] = CANNOT_DELETE % {"name": noun.accusative}
        return response

    # Django words the success messages inside response_add, response_change,
    # response_delete and the delete action, then hands them to message_user: the event is
    # noted on the request meanwhile, and message_user says it in the noun's sentence.

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
        request._admin_event = ("deleted_many", queryset.count())
        super().delete_queryset(request, queryset)

    def _with_event(self, request, event, view, *args):
        request._admin_event = event
        try:
            return view(*args)
        finally:
            request._admin_event = None

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        event = getattr(request, "_admin_event", None)
        noun = self.admin_noun
        if event is not None and level == messages.SUCCESS and noun is not None:
            request._admin_event = None
            message = self.event_message(request, noun, *event)
        super().message_user(request, message, level, *args, **kwargs)

    def event_message(self, request, noun: Noun, event: str, subject) -> str:
        name = capfirst(self.opts.verbose_name)
        if event == "deleted_many":
            return DELETED_MANY % {"counted": noun.counted % {"count": subject}}
        if event == "deleted":
            return format_html(str(DELETED[noun.gender]), name=name, obj=subject)
        obj = subject
        if self.has_change_permission(request, obj) and obj.pk:
            opts = self.opts
            url = reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]
            )
            shown = format_html('<a href="{}">{}</a>', url, obj)
        else:
            shown = str(obj)
        sentence = ADDED[noun.gender] if event == "added" else CHANGED[noun.gender]
        message = format_html(str(sentence), name=name, obj=shown)
        if "_continue" in request.POST or "_saveasnew" in request.POST:
            return format_html("{} {}", message, EDIT_AGAIN)
        if "_addanother" in request.POST:
            return format_html("{} {}", message, ADD_ANOTHER)
        return message
