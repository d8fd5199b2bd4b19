from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from portal import search_index, sidebuffer

        sidebuffer.connect_signals()
        search_index.connect_signals()

    def after_seed(self, added: dict) -> None:
        """The shipped data is loaded raw (no signals): index it, and index a database that
        has data but no index yet (one made before the search index existed)."""
        from portal import search_index
        from portal.models import SearchEntry

        if added or not SearchEntry.objects.exists():
            search_index.rebuild()
