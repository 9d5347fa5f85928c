from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from reversion.models import Revision


class RecordList(models.Model):
    """Every record a revision holds, where it keeps a version of only the changed ones: a
    meeting saved with its title changed keeps the meeting's new version and lists its
    unchanged postulates and answers, so reverting to it still restores the whole meeting
    (core.history.revision_versions)."""

    revision = models.OneToOneField(
        Revision,
        on_delete=models.CASCADE,
        related_name="record_list",
        verbose_name=_("wersja"),
    )
    # [content type id, object id] pairs, as reversion's versions name their records.
    records = models.JSONField(_("wpisy"))

    class Meta:
        verbose_name = _("lista wpisów wersji")
        verbose_name_plural = _("listy wpisów wersji")
        ordering = ["-revision"]

    def __str__(self):
        return _("Wpisy wersji nr %(revision)s: %(count)s") % {
            "revision": self.revision_id,
            "count": len(self.records),
        }


class StaffName(models.Model):
    """How a staff account signs what it entered on the public pages: an official's name and
    role, set by a coordinator. Without one, the pages name only the department; a login is
    never shown anywhere public."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_name",
        verbose_name=_("konto"),
    )
    name = models.CharField(
        _("imię i nazwisko"),
        max_length=200,
        help_text=_("Tak, jak ma się pokazać na stronach publicznych, np. „Anna Nowak”."),
    )
    role = models.CharField(
        _("stanowisko"),
        max_length=200,
        blank=True,
        help_text=_("Np. „inspektor w Wydziale Kultury”."),
    )

    class Meta:
        verbose_name = _("podpis pracownika")
        verbose_name_plural = _("podpisy pracowników")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.role}" if self.role else self.name

    def get_absolute_url(self):
        # A signature has no page of its own; the admin is its only home.
        from django.urls import reverse

        return reverse("admin:history_staffname_change", args=[self.pk])


class Redaction(models.Model):
    """A person's name taken out of the whole archive by a coordinator (history.redaction):
    who did it, when and in how many places. The name itself is kept nowhere, here included."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("wykonał(a)"),
    )
    at = models.DateTimeField(_("kiedy"), auto_now_add=True)
    # Its scope: one meeting's materials, or (empty) the whole archive.
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tylko materiały spotkania"),
    )
    places = models.PositiveIntegerField(_("zmienione miejsca"))
    records = models.PositiveIntegerField(_("zmienione wpisy"))
    versions = models.PositiveIntegerField(_("zmienione wersje z historii"))

    class Meta:
        verbose_name = _("usunięcie danych osobowych")
        verbose_name_plural = _("usunięcia danych osobowych")
        ordering = ["-at"]

    def __str__(self):
        return _("Usunięcie danych osobowych nr %(pk)s") % {"pk": self.pk}


class Unsigned(models.TextChoices):
    """Who a row names when its author had no public signature (StaffName) when it was
    written: a department's editor, or a coordinator (or a command, with no account) working
    for the whole archive. Chosen as the row is written and kept, like its signature."""

    DEPARTMENT = "wydzial", _("redakcja wydziału")
    ARCHIVE = "archiwum", _("redakcja archiwum")


@dataclass(frozen=True)
class Signature:
    """How a register row or a record card names who entered a change."""

    name: str
    role: str = ""
    # False for an unsigned row's "redakcja …": no person to name in the page's JSON-LD.
    person: bool = True

    def __str__(self):
        return f"{self.name}, {self.role}" if self.role else self.name


class RegisterEntry(models.Model):
    """One line of a record's change register, on its page and (when `listed`) in the
    site-wide register (/rejestr-zmian/), or one of its card's dates (its creation, its first
    publication): kept as a row so a page costs the same queries whatever the number of
    changes. Written in the transaction of the save that causes it (history.entries), from
    the derivation of the record's history (history.register), read by the pages
    (history.cards, history.changes); an entry dated later (a scheduled publication) is
    stored ahead and shown from its moment."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    at = models.DateTimeField(_("kiedy"))
    kind = models.CharField(_("zmiana"), max_length=30)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wprowadził(a)"),
    )
    # Labels of the public fields that changed (never their values).
    fields = models.JSONField(_("zmienione pola"), default=list, blank=True)
    # What the row shows, as it was when the row was first written (history.entries): the
    # record's public title and address, and the name and role its author signed with then.
    # A record withdrawn since keeps its title; a signature changed since keeps the old one.
    title = models.CharField(_("tytuł wpisu"), max_length=500, blank=True)
    url = models.CharField(_("adres wpisu"), max_length=600, blank=True)
    signer_name = models.CharField(_("wprowadził(a): imię i nazwisko"), max_length=200, blank=True)
    signer_role = models.CharField(_("wprowadził(a): stanowisko"), max_length=200, blank=True)
    # Who the row names when its author had no signature then (Unsigned); "" when signed.
    unsigned = models.CharField(
        _("wprowadził(a) bez podpisu"), max_length=10, choices=Unsigned.choices, blank=True
    )
    # False for what the record's own page shows but the site-wide register does not: a
    # withdrawal a record owes to its parent's (listed under the parent), and the record's
    # creation and first publication (its card's dates, not changes).
    listed = models.BooleanField(_("w rejestrze całego serwisu"), default=True)
    # A change the history's versions do not hold (a redaction, the meeting's persons list):
    # recorded as it happens and kept when the derived rows are written again.
    event = models.BooleanField(_("zdarzenie"), default=False)

    class Meta:
        verbose_name = _("wpis rejestru zmian")
        verbose_name_plural = _("wpisy rejestru zmian")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["-at", "-id"], name="register_entry_newest"),
            models.Index(fields=["content_type", "object_id"], name="register_entry_record"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"

    @property
    def signature(self):
        """As it was when the row was written: never read again from the account."""
        if self.signer_name:
            return Signature(self.signer_name, self.signer_role)
        return Signature(str(Unsigned(self.unsigned or Unsigned.ARCHIVE).label), person=False)
