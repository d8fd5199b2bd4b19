from django.apps import AppConfig


class HandlingsplanConfig(AppConfig):
    name = "handlingsplan"
    verbose_name = "Handlingsplan"

    def after_seed(self, added: dict) -> None:
        from handlingsplan import hooks

        hooks.kople_hospitering()

    def search_sources(self) -> list:
        from handlingsplan.search import search_sources

        return search_sources()

    def framside(self, request) -> list:
        from handlingsplan import hooks

        return hooks.framside()

    def til_oppfolging(self, request) -> list:
        from handlingsplan import hooks

        return hooks.til_oppfolging()

    def partnar_sections(self, partnar) -> list:
        from handlingsplan import hooks

        return hooks.partnar_sections(partnar)

    def seed_scale(self, n: int) -> None:
        from handlingsplan import hooks

        hooks.seed_scale(n)
