"""The two staff roles as Django groups: which model permissions each one carries.

Row-level limits (an editor sees only their departments' records) live in scoping.py;
these groups only decide which admin pages and actions exist for the role at all.
"""

from django.contrib.auth.models import Group, Permission

EDITORS = "Redaktorzy wydziałów"
COORDINATORS = "Koordynatorzy"

ALL = ("view", "add", "change", "delete")
VIEW = ("view",)

EDITOR_PERMISSIONS = {
    "meetings.meeting": ALL,
    "meetings.meetingdate": ALL,
    "meetings.meetingdepartment": ALL,
    "meetings.meetingparticipant": ALL,
    "meetings.meetingperson": ALL,
    "meetings.document": ALL,
    "postulates.postulate": ALL,
    "postulates.position": ALL,
    # The kept earlier versions of an answer go with it (and come back with it) when its
    # meeting is deleted; they have no admin page, so this allows nothing else.
    "postulates.positionrevision": ("view", "delete"),
    "organisations.organisation": ("view", "add", "change"),
    # A document's HTML version is read from its file: corrected, never added; deleted only
    # with its document.
    "accessibility.documenttext": ("view", "change", "delete"),
    "accessibility.easyreadsummary": ALL,
    "meetings.round": VIEW,
    "meetings.archiveyear": VIEW,
    "departments.department": VIEW,
    "departments.departmentchange": VIEW,
    "programmes.programme": VIEW,
    "postulates.outcome": VIEW,
    "postulates.publictaskarea": VIEW,
    # The alerts' outbox, to see failed messages; never the subscribers' addresses.
    "alerts.delivery": VIEW,
}

COORDINATOR_APPS = (
    "departments",
    "organisations",
    "programmes",
    "meetings",
    "postulates",
    "accessibility",
    # Addresses, to find and erase one on request (alerts/admin.py shows them to no one else).
    "alerts",
    # The staff's public names and roles on the record cards (history.StaffName).
    "history",
)


def _permissions(model_label, actions):
    app_label, model_name = model_label.split(".")
    codenames = [f"{action}_{model_name}" for action in actions]
    return Permission.objects.filter(
        content_type__app_label=app_label,
        content_type__model=model_name,
        codename__in=codenames,
    )


def ensure_groups():
    """Create or update both groups so their permissions match this module exactly."""
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editor_permissions = []
    for model_label, actions in EDITOR_PERMISSIONS.items():
        editor_permissions.extend(_permissions(model_label, actions))
    editors.permissions.set(editor_permissions)

    coordinators, _ = Group.objects.get_or_create(name=COORDINATORS)
    coordinators.permissions.set(
        Permission.objects.filter(content_type__app_label__in=COORDINATOR_APPS)
    )
    return editors, coordinators
