"""Polish for the admin where Django's own catalogue cannot be right.

Django builds sentences around a model's name, which Polish would have to decline: its
catalogue answers with every ending at once ("Dodaj kolejne(go)(-ną)(-ny) Termin spotkania",
"został(a)(-ło) dodany(-na)(-ne)"). Ours names the record after a colon instead ("Dodaj:
termin spotkania", "Dodano: spotkanie „…”"), which needs no declension.

The msgids are Django's own; listing them here keeps `makemessages` from dropping their
translations from locale/pl, which take precedence over Django's (LOCALE_PATHS). Nothing
reads this tuple.
"""

from django.utils.translation import gettext_lazy, ngettext_lazy

DJANGO_ADMIN_STRINGS = (
    gettext_lazy("Add another %(verbose_name)s"),
    gettext_lazy("Add another %(model)s"),
    gettext_lazy("Change selected %(model)s"),
    gettext_lazy("Delete selected %(model)s"),
    gettext_lazy("View selected %(model)s"),
    gettext_lazy("Delete selected %(verbose_name_plural)s"),
    gettext_lazy("Cannot delete %(name)s"),
    gettext_lazy("The {name} “{obj}” was added successfully."),
    gettext_lazy("The {name} “{obj}” was changed successfully."),
    gettext_lazy("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_lazy("The {name} “{obj}” was added successfully. You may add another {name} below."),
    gettext_lazy("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    gettext_lazy("The %(name)s “%(obj)s” was deleted successfully."),
    gettext_lazy("Add %s"),
    gettext_lazy("Change %s"),
    gettext_lazy("View %s"),
    gettext_lazy("Add %(name)s"),
    gettext_lazy("Show counts"),
    gettext_lazy(" By %(filter_title)s "),
    gettext_lazy("Select all %(total_count)s %(module_name)s"),
    gettext_lazy("Successfully deleted %(count)d %(items)s."),
    ngettext_lazy(
        "%(count)s %(name)s was changed successfully.",
        "%(count)s %(name)s were changed successfully.",
    ),
    gettext_lazy("You may edit it again below."),
    gettext_lazy("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?"),
    gettext_lazy("Select %s to change"),
    gettext_lazy("Select %s to view"),
    ngettext_lazy("Please submit at most %(num)d form.", "Please submit at most %(num)d forms."),
    ngettext_lazy("Please submit at least %(num)d form.", "Please submit at least %(num)d forms."),
    gettext_lazy("Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."),
    gettext_lazy(
        "ManagementForm data is missing or has been tampered with. Missing fields: "
        "%(field_names)s. You may need to file a bug report if the issue persists."
    ),
    gettext_lazy(
        "Deleting the selected %(objects_name)s would result in deleting related objects, but "
        "your account doesn't have permission to delete the following types of objects:"
    ),
    gettext_lazy(
        "Deleting the selected %(objects_name)s would require deleting the following protected "
        "related objects:"
    ),
    gettext_lazy(
        'Are you sure you want to delete the %(object_name)s "%(escaped_object)s"? All of the '
        "following related items will be deleted:"
    ),
    gettext_lazy(
        "Are you sure you want to delete the selected %(objects_name)s? All of the following "
        "objects and their related items will be deleted:"
    ),
    gettext_lazy(
        "Items must be selected in order to perform actions on them. No items have been changed."
    ),
)
