from django.urls import path

from alerts import views
from alerts.models import Subscription

Kind = Subscription.Kind

app_name = "alerts"

urlpatterns = [
    path(
        "wydzial/<slug:value>/",
        views.SubscribeView.as_view(kind=Kind.DEPARTMENT),
        name="department",
    ),
    path(
        "organizacja/<slug:value>/",
        views.SubscribeView.as_view(kind=Kind.ORGANISATION),
        name="organisation",
    ),
    path(
        "postulat/<int:value>/", views.SubscribeView.as_view(kind=Kind.POSTULATE), name="postulate"
    ),
    path("rok/<int:value>/", views.SubscribeView.as_view(kind=Kind.YEAR), name="year"),
    path("archiwum/", views.SubscribeView.as_view(kind=Kind.ARCHIVE), name="archive"),
    path("spotkania/", views.SubscribeView.as_view(kind=Kind.MEETING_LIST), name="meeting_list"),
    path(
        "postulaty/",
        views.SubscribeView.as_view(kind=Kind.POSTULATE_LIST),
        name="postulate_list",
    ),
    path("sprawdz-poczte/", views.RequestedView.as_view(), name="requested"),
    path("potwierdz/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path("zarzadzaj/<str:token>/", views.ManageView.as_view(), name="manage"),
    path("wypisz/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]
