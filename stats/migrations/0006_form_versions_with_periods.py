"""A form version applies to a period of months, has its own upper bound for figures, and
says which of its lines must be filled in before a report is submitted."""

import django.core.validators
from django.db import migrations, models

FIGURE_CEILING = 10**15


def refuse_figures_above_the_ceiling(apps, schema_editor):
    # A figure this large is a typing error; changing it here would change a library's
    # statistics unseen, so the migration stops and names it.
    Value = apps.get_model("stats", "Value")
    above = list(
        Value.objects.filter(value__gt=FIGURE_CEILING).values_list("report_id", "indicator__code")[
            :20
        ]
    )
    if above:
        raise RuntimeError(
            f"Figures above {FIGURE_CEILING} (report id, indicator): {above}. "
            "Correct them before migrating."
        )


class Migration(migrations.Migration):
    dependencies = [("stats", "0005_importlog_without_report")]

    operations = [
        migrations.AddField(
            model_name="formitem",
            name="required",
            field=models.BooleanField(
                default=True,
                help_text="A report cannot be submitted while this line is empty (zero is a value).",
                verbose_name="required",
            ),
        ),
        migrations.AddField(
            model_name="formtemplate",
            name="max_value",
            field=models.PositiveBigIntegerField(
                default=1000000000,
                help_text="A figure above this is refused as a typing error, on the web and in Excel.",
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(1000000000000000),
                ],
                verbose_name="largest figure",
            ),
        ),
        migrations.AddField(
            model_name="formtemplate",
            name="valid_from",
            field=models.DateField(
                blank=True,
                help_text=(
                    "The first month reported on this version (any day of it). Required to "
                    "approve a version after the first; the first version applies from the "
                    "start of the series."
                ),
                null=True,
                verbose_name="applies from (month)",
            ),
        ),
        migrations.AddField(
            model_name="formtemplate",
            name="valid_to",
            field=models.DateField(
                blank=True,
                help_text=(
                    "The last month reported on this version; empty: until the next version. "
                    "Approving the next version ends an open period at the month before it."
                ),
                null=True,
                verbose_name="applies until (month)",
            ),
        ),
        migrations.AddConstraint(
            model_name="formtemplate",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status", "draft"),
                    ("valid_from__isnull", False),
                    ("version", 1),
                    _connector="OR",
                ),
                name="form_template_approved_has_start",
                violation_error_message="An approved version must say from which month it applies.",
            ),
        ),
        migrations.AddConstraint(
            model_name="formtemplate",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("valid_from__isnull", True),
                    ("valid_to__isnull", True),
                    ("valid_to__gte", models.F("valid_from")),
                    _connector="OR",
                ),
                name="form_template_period_in_order",
                violation_error_message=(
                    "The last month of the version cannot be before its first month."
                ),
            ),
        ),
        migrations.AddConstraint(
            model_name="formtemplate",
            constraint=models.CheckConstraint(
                condition=models.Q(("max_value__gte", 1), ("max_value__lte", 1000000000000000)),
                name="form_template_max_value_range",
                violation_error_message="The largest figure is a whole number from 1 to 10^15.",
            ),
        ),
        migrations.RunPython(refuse_figures_above_the_ceiling, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="value",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("value__isnull", True), ("value__lte", 1000000000000000), _connector="OR"
                ),
                name="value_below_ceiling",
                violation_error_message="The number is too large.",
            ),
        ),
    ]
