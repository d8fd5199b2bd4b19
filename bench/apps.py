from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Measuring and drills (``make bench``, ``make db-restart-drill``) and the synthetic data
    they run on; nothing the portal serves depends on it."""

    name = "bench"
    verbose_name = "Måling"
