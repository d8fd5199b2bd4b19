from django.apps import AppConfig


class PartnarskapConfig(AppConfig):
    name = "partnarskap"
    verbose_name = "Partnarskap"

    def sok(self, query, user):
        from partnarskap.hooks import sok

        return sok(query, user)

    def framside(self, request):
        from partnarskap.hooks import framside

        return framside(request)

    def til_oppfolging(self, request):
        from partnarskap.hooks import til_oppfolging

        return til_oppfolging(request)
