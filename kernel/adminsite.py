"""The portal's admin site: every ModelAdmin registered on it answers hostile addresses with a
404 or a message, never a server error.

Django's admin and django-simple-history trust some values of the address: an empty
``_to_field`` names no field (FieldDoesNotExist), a date hierarchy's year of 10^23 or 9999
overflows the date (OverflowError, ValueError), an add page's initial value for a related
field goes to the database unchecked (ValueError, OverflowError on SQLite), and the history
pages look up any text as a primary key (ValueError). A filter the list cannot apply ends on
Django's «Database error» page. The site mixes AdminGuards into every ModelAdmin registered
on it, the portal's and the libraries' (auth, axes, the task queue) alike, so a page added
later is guarded too; every date typed in its forms lies in kernel.validators' range, and
its search reads «ё» as «е» (kernel.search).
tests/test_hostile_urls.py walks every page.
"""

from __future__ import annotations

import functools

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ERROR_FLAG, ChangeList
from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from . import search
from .admin_texts import InflectedAdmin
from .validators import validate_sane_date

FILTER_REFUSED = _(
    "The address asks for a filter this list does not have, or for a value the filter cannot "
    "take: the whole list is shown."
)


def is_possible_key(field: models.Field, value: object) -> bool:
    """Whether the value could be stored in the field: a lookup by it cannot fail."""
    try:
        python = field.to_python(value)
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    if isinstance(python, str):
        return "\x00" not in python  # PostgreSQL refuses NUL in text
    if isinstance(python, int) and not isinstance(python, bool):
        connection = connections[router.db_for_read(field.model)]
        try:
            low, high = connection.ops.integer_field_range(field.get_internal_type())
        except KeyError:
            return True
        return (low is None or python >= low) and (high is None or python <= high)
    return True


class GuardedChangeList(ChangeList):
    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as exc:
            # A date hierarchy's year past the calendar: Django catches only some of these.
            raise IncorrectLookupParameters(exc) from exc


@functools.cache
def _guarded_changelist(changelist: type[ChangeList]) -> type[ChangeList]:
    if issubclass(changelist, GuardedChangeList):
        return changelist
    return type(changelist.__name__, (GuardedChangeList, changelist), {})


class AdminGuards:
    """What every ModelAdmin of the portal does before trusting a value of the address."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # A date typed in any admin form lies in the sane range, whether or not its model
        # field says so (members' dates: their model is another change's).
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        is_date = isinstance(db_field, models.DateField) and not isinstance(
            db_field, models.DateTimeField
        )
        if is_date and formfield is not None and validate_sane_date not in formfield.validators:
            formfield.validators.append(validate_sane_date)
        return formfield

    def get_search_fields(self, request):
        # «Федорова» finds «Фёдорова» in every changelist and autocomplete (kernel.search).
        return search.admin_search_fields(self.model, super().get_search_fields(request))

    def get_object(self, request, object_id, from_field=None):
        # «?_to_field=» (empty) means no field, as if it were absent.
        return super().get_object(request, object_id, from_field or None)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        # Django answers a filter it cannot apply by sending the visitor to «?e=1», which
        # shows the whole list without a word (or, asked again, «Database error» and a
        # paragraph on the database installation): the whole list with a message instead.
        refused = getattr(response, "template_name", None) == "admin/invalid_setup.html" or (
            isinstance(response, HttpResponseRedirect)
            and response.url == f"{request.path}?{ERROR_FLAG}=1"
        )
        if refused:
            self.message_user(request, FILTER_REFUSED, messages.WARNING)
            return HttpResponseRedirect(request.path)
        return response

    def get_changelist(self, request, **kwargs):
        return _guarded_changelist(super().get_changelist(request, **kwargs))

    def get_changeform_initial_data(self, request):
        """The initial values of an add page, without records that cannot exist.

        The autocomplete widgets look their initial values up unchecked.
        """
        initial = super().get_changeform_initial_data(request)
        fields = self.get_form(request).base_fields
        for name, value in list(initial.items()):
            field = fields.get(name)
            if not isinstance(field, forms.ModelChoiceField):
                continue
            model = field.queryset.model
            key = model._meta.get_field(field.to_field_name) if field.to_field_name else None
            key = key or model._meta.pk
            if isinstance(field, forms.ModelMultipleChoiceField):
                values = value.split(",") if isinstance(value, str) else list(value)
                initial[name] = [v for v in values if is_possible_key(key, v)]
            elif not is_possible_key(key, value):
                del initial[name]
        return initial

    def history_view(self, request, object_id, extra_context=None):
        if not is_possible_key(self.opts.pk, unquote(object_id)):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history's page of one past version.
        history_pk = getattr(self.model, self.opts.simple_history_manager_attribute).model._meta.pk
        if not (
            is_possible_key(self.opts.pk, unquote(object_id))
            and is_possible_key(history_pk, version_id)
        ):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


class PortalAdminSite(admin.AdminSite):
    """The admin site; every ModelAdmin registered on it gets AdminGuards and speaks of its
    model in agreeing Russian (kernel.admin_texts.InflectedAdmin)."""

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        mixins = tuple(m for m in (AdminGuards, InflectedAdmin) if not issubclass(admin_class, m))
        if mixins:
            admin_class = type(
                admin_class.__name__,
                (*mixins, admin_class),
                {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
            )
        return super().register(model_or_iterable, admin_class, **options)
