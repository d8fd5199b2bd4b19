from django.apps import AppConfig


class PartnarskapConfig(AppConfig):
    name = "partnarskap"
    verbose_name = "Partnarskap"

    def search_sources(self) -> list:
        from partnarskap.search import search_sources

        return search_sources()

    def framside(self, request):
        from partnarskap.hooks import framside

        return framside(request)

    def til_oppfolging(self, request):
        from partnarskap.hooks import til_oppfolging

        return til_oppfolging(request)

    def seed_scale(self, extra):
        from partnarskap.scale import seed_scale

        seed_scale(extra)
