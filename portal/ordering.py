"""Moving an item one place up or down a list the secretariat orders by hand (a meeting's
saker, a sak's attachments, delmål, tiltak): done, announced and answered the same way for
every kind. Items keep their position in a ``rekkjefolgje`` field; a sak's number is not
its position and never changes."""

from collections.abc import Callable

from django.contrib import messages
from django.db import models, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect

from portal.htmx import HtmxHttpRequest, hx_trigger_message

OPP, NED = "opp", "ned"
UKJEND_RETNING = "Ukjend retning: bruk «opp» eller «ned»."


def swap_with_neighbour(
    item: models.Model, siblings: models.QuerySet, retning: str, reason: str
) -> bool:
    """Swap ``item`` with its neighbour in ``retning`` among ``siblings`` (in their order)
    and number them 1, 2, … False if it is first or last already.

    The siblings' rows are locked first, so two moves at once (or a move and an edit) wait
    for each other instead of numbering from the same stale order. Only the position is
    saved: an edit of the text in between is not overwritten."""
    with transaction.atomic():
        order = list(siblings.select_for_update())
        index = next((i for i, s in enumerate(order) if s.pk == item.pk), None)
        if index is None:
            raise Http404  # removed in the meantime
        other = index - 1 if retning == OPP else index + 1
        if not 0 <= other < len(order):
            return False
        order[index], order[other] = order[other], order[index]
        for position, sibling in enumerate(order, start=1):
            if sibling.rekkjefolgje != position:
                sibling.rekkjefolgje = position
                sibling._change_reason = reason
                sibling.save(update_fields=["rekkjefolgje"])
    return True


def announcement(label: str, retning: str, moved: bool) -> str:
    """What a screen reader hears after a move button: ``label`` is what moved, capitalised
    ("Sak 3/24", "Tiltaket")."""
    if moved:
        return f"{label} er flytta {retning}."
    return f"{label} står alt {'først' if retning == OPP else 'sist'}."


def move(
    request: HtmxHttpRequest,
    item: models.Model,
    siblings: models.QuerySet,
    *,
    label: str,
    fragment: Callable[[str | None], HttpResponse],
    back_to: str,
    reason: str = "Flytta",
) -> HttpResponse:
    """The whole answer to a move button (POST ``retning`` = opp or ned).

    htmx gets ``fragment(retning)``, the part of the page that holds the list, rendered
    after the move (its template keeps the focus on the button just pressed), and the
    announcement; a plain form post is sent back to ``back_to``. An unknown direction moves
    nothing and answers 422: htmx gets the list as it is, with the reason read out."""
    retning = request.POST.get("retning")
    if retning not in (OPP, NED):
        if not request.htmx:
            return HttpResponse(
                UKJEND_RETNING, status=422, content_type="text/plain; charset=utf-8"
            )
        response = fragment(None)
        response.status_code = 422
        return hx_trigger_message(response, UKJEND_RETNING)
    moved = swap_with_neighbour(item, siblings, retning, reason)
    said = announcement(label, retning, moved)
    if not request.htmx:
        messages.success(request, said)
        return redirect(back_to)
    return hx_trigger_message(fragment(retning), said)
