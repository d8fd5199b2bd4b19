from django.apps import AppConfig


class AvtalarConfig(AppConfig):
    name = "avtalar"
    verbose_name = "Avtalar"

    def ready(self):
        from avtalar.hooks import AvtalarHooks
        from portal import hooks

        hooks.register(AvtalarHooks())
