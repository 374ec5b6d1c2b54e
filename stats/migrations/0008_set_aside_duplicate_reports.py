"""Fill every report's form code, and set aside all but one report of an organisation, form
code and month, so that at most one counts (the constraint of 0008 then holds).

Which report stays is decided by the data alone, the same on every database: an accepted
or closed one before one under review, returned or in draft; among those, the one accepted
first (what was published first); then the lower form version; then the older record.
The others keep their figures and history, get the status «set aside» and a status change
saying which report counts instead. Nothing is deleted.
"""

from collections import defaultdict

from django.db import migrations

STATUS_RANK = {"locked": 0, "accepted": 0, "submitted": 1, "returned": 2, "draft": 3}


def _rank(row):
    pk, _org, _code, _period, status, accepted_at, version = row
    return (
        STATUS_RANK.get(status, 4),
        accepted_at is None,
        accepted_at.isoformat() if accepted_at else "",
        version,
        pk,
    )


def fill_codes_and_set_aside_duplicates(apps, schema_editor):
    FormTemplate = apps.get_model("stats", "FormTemplate")
    Report = apps.get_model("stats", "Report")
    HistoricalReport = apps.get_model("stats", "HistoricalReport")
    ReportTransition = apps.get_model("stats", "ReportTransition")
    for form_id, code in FormTemplate.objects.values_list("pk", "code"):
        Report.objects.filter(form_id=form_id).update(form_code=code)
        HistoricalReport.objects.filter(form_id=form_id).update(form_code=code)

    groups = defaultdict(list)
    rows = Report.objects.exclude(status="superseded").values_list(
        "pk", "organization_id", "form_code", "period_id", "status", "accepted_at", "form__version"
    )
    for row in rows.order_by("pk").iterator():
        groups[row[1:4]].append(row)
    for reports in groups.values():
        if len(reports) < 2:
            continue
        reports.sort(key=_rank)
        kept = reports[0]
        for pk, _org, _code, _period, status, _accepted, _version in reports[1:]:
            Report.objects.filter(pk=pk).update(status="superseded")
            ReportTransition.objects.create(
                report_id=pk,
                from_status=status,
                to_status="superseded",
                comment=(
                    "Отложен при переходе к правилу «один отчёт организации за месяц»: "
                    f"за этот месяц учитывается отчёт № {kept[0]} "
                    f"(версия формы {kept[6]}). Показатели этого отчёта сохранены."
                ),
            )


class Migration(migrations.Migration):
    dependencies = [("stats", "0007_report_form_code")]

    operations = [
        migrations.RunPython(fill_codes_and_set_aside_duplicates, migrations.RunPython.noop),
    ]
