"""What a public record says about itself on its record card ("metryczka"): who prepared the
information. The rest of the card (who entered it, when it was created, first published and
last changed) is derived from the admin's history, never stored twice (history.register)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PreparedBy(models.Model):
    prepared_by = models.CharField(
        _("informację przygotował(a)"),
        max_length=300,
        blank=True,
        help_text=_(
            "Imię i nazwisko oraz stanowisko osoby odpowiedzialnej za treść, np. „Anna Nowak, "
            "kierownik Referatu”. Puste: na stronie jako autor widnieje sam wydział."
        ),
    )

    class Meta:
        abstract = True
