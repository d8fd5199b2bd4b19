"""Paging for long lists, as ``?side=N`` (a bad or too large N gives the nearest page)."""

from django.core.paginator import Page, Paginator


class Side(Page):
    """A page with ``lenker``: the page numbers to link to, long ranges elided (rendered by
    templates/portal/_sider.html)."""

    lenker: list[str | int]


def sideinndeling(request, items, per_side: int, nummer: int | None = None) -> Side:
    """The page of ``items`` that ``request`` asks for (or page ``nummer``), with its
    ``lenker``."""
    paginator = Paginator(items, per_side)
    page = paginator.get_page(nummer or request.GET.get("side"))
    side = Side(page.object_list, page.number, paginator)
    side.lenker = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return side
