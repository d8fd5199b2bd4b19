from django.apps import AppConfig


class MoterConfig(AppConfig):
    name = "moter"
    verbose_name = "Møte"

    def sok(self, query, user):
        from moter.hooks import sok

        return sok(query, user)

    def framside(self, request):
        from moter.hooks import framside

        return framside(request)

    def til_oppfolging(self, request):
        from moter.hooks import til_oppfolging

        return til_oppfolging(request)

    def arshjul_moter(self, year: int) -> list[dict]:
        from moter.hooks import arshjul_moter

        return arshjul_moter(year)
