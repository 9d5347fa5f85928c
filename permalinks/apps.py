from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermalinksConfig(AppConfig):
    name = "permalinks"
    verbose_name = _("Stałe adresy")
