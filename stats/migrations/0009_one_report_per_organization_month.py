"""At most one report per organisation, form code and month, whatever the form version."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("stats", "0008_set_aside_duplicate_reports")]

    operations = [
        migrations.RemoveConstraint(model_name="report", name="report_unique_per_period"),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "superseded"), _negated=True),
                fields=("organization", "form_code", "period"),
                name="report_one_per_organization_month",
                violation_error_message=(
                    "This organisation already has a report on this form for this month."
                ),
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.CheckConstraint(
                condition=models.Q(("form_code", ""), _negated=True),
                name="report_has_form_code",
                violation_error_message="A report must name the code of its form.",
            ),
        ),
    ]
