"""Probes and metrics for load balancers, orchestrators and monitoring (ADR 0022)."""

from django.urls import path

from lotus.ops import views

app_name = "ops"

urlpatterns = [
    path("health/live", views.liveness, name="liveness"),
    path("health/ready", views.readiness, name="readiness"),
    path("metrics", views.show_metrics, name="metrics"),
]
