from django.apps import AppConfig


class HandlingsplanConfig(AppConfig):
    name = "handlingsplan"
    verbose_name = "Handlingsplan"

    def after_seed(self, added: dict) -> None:
        from handlingsplan import hooks

        hooks.kople_hospitering()

    def sok(self, query: str, user) -> list:
        from handlingsplan import hooks

        return hooks.sok(query)

    def framside(self, request) -> list:
        from handlingsplan import hooks

        return hooks.framside()

    def til_oppfolging(self, request) -> list:
        from handlingsplan import hooks

        return hooks.til_oppfolging()

    def partnar_sections(self, partnar) -> list:
        from handlingsplan import hooks

        return hooks.partnar_sections(partnar)
