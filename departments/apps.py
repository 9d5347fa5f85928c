from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepartmentsConfig(AppConfig):
    name = "departments"
    verbose_name = _("Wydziały i jednostki")

    def ready(self):
        import reversion

        from departments.models import Department, DepartmentChange
        from permalinks.tracking import track_url_changes

        for model in (Department, DepartmentChange):
            reversion.register(model)

        track_url_changes(Department)
