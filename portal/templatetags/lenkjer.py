"""``{% url %}`` with every address worked out once per process.

The heavy pages link every row (a tiltak's editor, a sak's attachments, an agreement's
versions), and Django's ``reverse`` walks the URL patterns each time: some 400 times for
the action plan, a quarter of its rendering. The same view name and arguments always give
the same address while the URL configuration and script prefix stay, so this tag, loaded
as a builtin in place of Django's own (settings.TEMPLATES), keeps what it has reversed.
"""

from functools import lru_cache

from django.core.signals import setting_changed
from django.template import Library, defaulttags
from django.urls import get_script_prefix, get_urlconf, reverse

register = Library()


@lru_cache(maxsize=20000)
def _reverse(view_name, args, kwargs, current_app, prefix, urlconf) -> str:
    return reverse(
        view_name, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app
    )


def _forget(setting, **kwargs) -> None:
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME"):
        _reverse.cache_clear()


setting_changed.connect(_forget, dispatch_uid="lenkjer-forget")


def _where(request) -> tuple:
    """The current app, script prefix and URL configuration, as ``_reverse`` takes them."""
    current_app = getattr(request, "current_app", None)
    if current_app is None:
        current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
    return current_app, get_script_prefix(), get_urlconf()


class CachedURLNode(defaulttags.URLNode):
    def render(self, context):
        from django.urls import NoReverseMatch
        from django.utils.html import conditional_escape

        args = tuple(str(arg.resolve(context)) for arg in self.args)
        kwargs = tuple(sorted((k, str(v.resolve(context))) for k, v in self.kwargs.items()))
        view_name = self.view_name.resolve(context)
        # What stays the same for a whole render is looked up once per render.
        where = context.render_context.get(self)
        if where is None:
            where = context.render_context[self] = _where(getattr(context, "request", None))
        url = ""
        try:
            url = _reverse(view_name, args, kwargs, *where)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)
    node.__class__ = CachedURLNode
    return node
