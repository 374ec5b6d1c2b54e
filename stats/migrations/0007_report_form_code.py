"""Reports carry their form's code (whatever the version) and a status for a set-aside
duplicate: the ground for one report per organisation and month."""

from django.db import migrations, models

STATUSES = [
    ("draft", "draft"),
    ("submitted", "submitted"),
    ("returned", "returned for revision"),
    ("accepted", "accepted"),
    ("locked", "closed"),
    ("superseded", "set aside as a duplicate"),
]


class Migration(migrations.Migration):
    dependencies = [("stats", "0006_form_versions_with_periods")]

    operations = [
        migrations.AddField(
            model_name="historicalreport",
            name="form_code",
            field=models.CharField(
                default="", editable=False, max_length=50, verbose_name="form code"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="report",
            name="form_code",
            field=models.CharField(
                default="", editable=False, max_length=50, verbose_name="form code"
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="historicalreport",
            name="status",
            field=models.CharField(
                choices=STATUSES, default="draft", max_length=20, verbose_name="status"
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="status",
            field=models.CharField(
                choices=STATUSES, default="draft", max_length=20, verbose_name="status"
            ),
        ),
        migrations.AlterField(
            model_name="reporttransition",
            name="from_status",
            field=models.CharField(choices=STATUSES, max_length=20, verbose_name="from status"),
        ),
        migrations.AlterField(
            model_name="reporttransition",
            name="to_status",
            field=models.CharField(choices=STATUSES, max_length=20, verbose_name="to status"),
        ),
    ]
