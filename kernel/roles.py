"""The three working roles of the portal as permission groups, and how to (re)build them."""

from django.utils.translation import gettext_lazy as _

SECRETARY = "Секретарь клуба"
CENTRE_METHODIST = "Методист центра"
LIBRARY_OPERATOR = "Оператор библиотеки"

ALL = ("add", "change", "delete", "view")
READ = ("view",)

# group → {(app_label, model): actions}
ROLE_PERMISSIONS = {
    SECRETARY: {
        ("meetings", "meeting"): ALL,
        ("meetings", "agendaitem"): ALL,
        ("meetings", "attendance"): ALL,
        ("meetings", "meetingattachment"): ALL,
        ("resolutions", "resolution"): ALL,
        ("resolutions", "admission"): ALL,
        ("resolutions", "resolutionprogress"): ALL,
        ("members", "member"): ALL,
        ("members", "organization"): ALL,
        ("members", "municipality"): ALL,
        # Subscribers confirm their own subscriptions: the secretary corrects or deletes them.
        ("notices", "subscription"): ("view", "change", "delete"),
        ("notices", "decisioncontact"): ALL,
        ("notices", "sentnotice"): READ,
        # The indicators a decision aims to move, set on the resolution's admin page.
        ("stats", "decisiontarget"): ALL,
        ("stats", "decisiontargetsystem"): ALL,
        # «add»: a certificate of a member admitted only by draft minutes (chronicle).
        ("chronicle", "certificate"): ("view", "add"),
    },
    CENTRE_METHODIST: {
        ("stats", "indicator"): ALL,
        ("stats", "formtemplate"): ALL,
        ("stats", "formitem"): ALL,
        ("stats", "checksettings"): ALL,
        ("stats", "reportingperiod"): ALL,
        ("stats", "report"): ALL,
        ("stats", "value"): ALL,
        ("stats", "reporttransition"): READ,
        ("stats", "checkresult"): READ,
        ("stats", "importlog"): READ,
        ("stats", "decisiontarget"): READ,
        ("stats", "decisiontargetsystem"): READ,
        ("meetings", "meeting"): READ,
        ("meetings", "agendaitem"): READ,
        ("meetings", "attendance"): READ,
        ("meetings", "meetingattachment"): READ,
        ("resolutions", "resolution"): READ,
        ("resolutions", "admission"): READ,
        ("resolutions", "resolutionprogress"): READ,
        ("members", "member"): READ,
        ("members", "organization"): READ,
        ("members", "municipality"): READ,
        ("members", "operatoraccount"): ALL,
        ("notices", "sentnotice"): READ,
        ("chronicle", "certificate"): READ,
    },
    # Operators never enter the admin (their accounts are not staff); these permissions
    # serve the statistics pages for their own organisation.
    LIBRARY_OPERATOR: {
        ("stats", "report"): ("view", "change"),
        ("stats", "value"): ("view", "add", "change"),
        ("stats", "indicator"): READ,
        ("stats", "formtemplate"): READ,
        ("stats", "reportingperiod"): READ,
    },
}

ROLE_DESCRIPTIONS = {
    SECRETARY: _("Meetings, agenda, attendees, resolutions and Club members."),
    CENTRE_METHODIST: _("Statistics forms and reports; everything else is read-only."),
    LIBRARY_OPERATOR: _("No admin access; statistics of their own organisation."),
}


def sync_role_groups(apps=None):
    """Create the groups and give each exactly the permissions listed above."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    apps = apps or global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Permissions are normally created after all migrations ran; make sure they exist now.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, apps=apps, verbosity=0)

    for group_name, grants in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        wanted = []
        for (app_label, model), actions in grants.items():
            # A model that a later migration creates has no permissions yet: skipped here,
            # granted by the migration that runs this again after creating it.
            wanted += Permission.objects.filter(
                content_type__app_label=app_label,
                codename__in=[f"{action}_{model}" for action in actions],
            )
        group.permissions.set(wanted)
