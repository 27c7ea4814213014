from django.urls import include, path

from portal.benchmarks import views

urlpatterns = [
    path("bench/floor/", views.floor, name="bench_floor"),
    path("", include("portal.urls")),
]
