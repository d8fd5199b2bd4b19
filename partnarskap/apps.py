from django.apps import AppConfig


class PartnarskapConfig(AppConfig):
    name = "partnarskap"
    verbose_name = "Partnarskap"

    def ready(self):
        from partnarskap.hooks import PartnarskapHooks
        from portal import hooks

        hooks.register(PartnarskapHooks())
