from django.apps import AppConfig


class MoterConfig(AppConfig):
    name = "moter"
    verbose_name = "Møte"

    def search_sources(self) -> list:
        from moter.search import search_sources

        return search_sources()

    def framside(self, request):
        from moter.hooks import framside

        return framside(request)

    def til_oppfolging(self, request):
        from moter.hooks import til_oppfolging

        return til_oppfolging(request)

    def seed_scale(self, n: int) -> None:
        from moter.testdata import seed_scale

        seed_scale(n)

    def arshjul_moter(self, year: int) -> list[dict]:
        from moter.hooks import arshjul_moter

        return arshjul_moter(year)
