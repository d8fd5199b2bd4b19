from django.apps import AppConfig


class AvtalarConfig(AppConfig):
    name = "avtalar"
