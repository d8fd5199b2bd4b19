from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from django.core import checks

        from portal import search_index, sidebuffer
        from portal.links import check_site_url

        sidebuffer.connect_signals()
        search_index.connect_signals()
        checks.register(check_site_url, checks.Tags.security, deploy=True)
