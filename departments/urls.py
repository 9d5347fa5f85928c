from django.urls import path

from departments import views

app_name = "departments"

urlpatterns = [
    path("", views.DepartmentListView.as_view(), name="list"),
    path("<slug:slug>/", views.DepartmentDetailView.as_view(), name="detail"),
]
