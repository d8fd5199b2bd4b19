from django.apps import AppConfig


class PartnarskapConfig(AppConfig):
    name = "partnarskap"
    verbose_name = "Partnarskap"
