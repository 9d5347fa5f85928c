from django.urls import path

from postulates import views

app_name = "postulates"

urlpatterns = [
    path("", views.PostulateListView.as_view(), name="list"),
    path("<int:pk>/", views.PostulateDetailView.as_view(), name="detail"),
    path("zobowiazania/", views.CommitmentListView.as_view(), name="commitments"),
]
