from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from departments.models import Department


class EditorProfile(models.Model):
    """What a staff account may edit: its departments' materials, or everything (coordinator)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="editor_profile",
        verbose_name=_("konto"),
    )
    departments = models.ManyToManyField(
        Department,
        related_name="editors",
        blank=True,
        verbose_name=_("wydziały"),
        help_text=_(
            "Redaktor widzi i zmienia materiały tych wydziałów, także pod dawnymi nazwami."
        ),
    )
    is_coordinator = models.BooleanField(
        _("koordynator"),
        default=False,
        help_text=_("Koordynator (biuro współpracy z NGO) widzi i zmienia wszystko."),
    )

    class Meta:
        verbose_name = _("uprawnienia redaktora")
        verbose_name_plural = _("uprawnienia redaktorów")
        ordering = ["user__username"]

    def __str__(self):
        return str(self.user)

    def get_absolute_url(self):
        # Profiles have no public page; the admin is their only home.
        from django.urls import reverse

        return reverse("admin:editors_editorprofile_change", args=[self.pk])
