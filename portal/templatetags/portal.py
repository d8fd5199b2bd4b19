from django import template

register = template.Library()


@register.filter
def dictget(mapping, key):
    """{{ mapping|dictget:key }}: look up a key that is not a literal name."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def minutt(delta) -> str:
    """A timedelta as whole minutes in nynorsk: «15 minutt»."""
    try:
        minutes = max(1, round(delta.total_seconds() / 60))
    except AttributeError:
        return "ei stund"
    return f"{minutes} minutt"
