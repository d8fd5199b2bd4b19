from django import template

register = template.Library()


@register.filter
def dictget(mapping, key):
    """{{ mapping|dictget:key }}: look up a key that is not a literal name."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
