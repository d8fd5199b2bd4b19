"""Paging for long lists, as ``?side=N`` (a bad or too large N gives the nearest page)."""

from django.core.paginator import Page, Paginator


def sideinndeling(request, items, per_side: int) -> Page:
    """The page of ``items`` that ``request`` asks for, with ``lenker``: the page numbers to
    link to, long ranges elided (rendered by templates/portal/_sider.html)."""
    page = Paginator(items, per_side).get_page(request.GET.get("side"))
    page.lenker = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page
