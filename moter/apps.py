from django.apps import AppConfig


class MoterConfig(AppConfig):
    name = "moter"
    verbose_name = "Møte"

    def ready(self):
        from moter.hooks import MoterHooks
        from portal import hooks

        hooks.register(MoterHooks())
