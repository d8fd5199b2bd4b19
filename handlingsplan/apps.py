from django.apps import AppConfig


class HandlingsplanConfig(AppConfig):
    name = "handlingsplan"
    verbose_name = "Handlingsplan"

    def ready(self):
        from handlingsplan.hooks import HandlingsplanHooks
        from portal import hooks

        hooks.register(HandlingsplanHooks())
