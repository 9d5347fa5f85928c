from django.contrib.admin.apps import AdminConfig


class ArchiveAdminConfig(AdminConfig):
    """django.contrib.admin with our site as the default, so every `@admin.register` lands on
    the site that asks for a second factor."""

    default_site = "krakow_ngo.admin_site.ArchiveAdminSite"
