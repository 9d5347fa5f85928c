"""Alerts in the admin. Addresses are for coordinators only, who find one (by the exact address)
and erase it on request; department editors see no address and no subscriber at all, only the
messages' states, so a message that failed for good (DEAD) is seen and can be tried again."""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alerts import queue, services
from alerts.models import Delivery, Subscriber
from core.scoping import is_coordinator


class CoordinatorsOnly:
    def has_module_permission(self, request):
        return is_coordinator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_coordinator(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_coordinator(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(CoordinatorsOnly, admin.ModelAdmin):
    list_display = ("email", "frequency", "language", "created_at", "confirmed_at", "followed")
    # Exact address only: a request to erase names the address; browsing by fragments is not
    # needed for it.
    search_fields = ("=email",)
    search_help_text = _("Podaj pełny adres e-mail, aby go znaleźć i usunąć na żądanie.")
    list_filter = ("frequency", "language")
    fields = ("email", "frequency", "language", "created_at", "confirmed_at")
    readonly_fields = fields
    view_on_site = False
    actions = ["delete_selected"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                confirmed_count=Count(
                    "subscriptions", filter=Q(subscriptions__confirmed_at__isnull=False)
                )
            )
        )

    @admin.display(description=_("obserwowane strony"), ordering="confirmed_count")
    def followed(self, subscriber):
        return subscriber.confirmed_count

    def delete_model(self, request, obj):
        services.erase(obj)

    def delete_queryset(self, request, queryset):
        for subscriber in queryset:
            services.erase(subscriber)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The outbox, without addresses: editors see what waits, what went and what failed."""

    list_display = ("__str__", "kind", "state", "attempts", "created_at", "sent_at", "last_error")
    list_filter = ("state", "kind")
    fields = (
        "kind",
        "state",
        "attempts",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "last_error",
    )
    readonly_fields = fields
    view_on_site = False
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_coordinator(request.user):
            actions.pop("retry", None)
        return actions

    @admin.action(description=_("Spróbuj wysłać ponownie"))
    def retry(self, request, queryset):
        if not is_coordinator(request.user):
            return
        dead = list(queryset.filter(state=Delivery.State.DEAD).values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=dead).update(
            state=Delivery.State.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        queue.enqueue(dead)
        self.message_user(
            request,
            ngettext(
                "Wysyłka %(count)d wiadomości wznowiona.",
                "Wysyłka %(count)d wiadomości wznowiona.",
                len(dead),
            )
            % {"count": len(dead)},
            messages.SUCCESS,
        )
