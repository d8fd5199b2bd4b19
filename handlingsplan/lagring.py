"""Saving edits safely: a compare-and-swap on the version, and one history entry per save."""

from collections.abc import Callable

from django.db import models

from portal import sidebuffer


class Konflikt(Exception):
    """Someone saved a newer version since the form was loaded."""


def ta_versjon(model: type[models.Model], pk: int, versjon: int) -> int:
    """Claim the next version in ONE ``UPDATE ... WHERE versjon = N``: of two concurrent
    saves from the same version exactly one gets the row, the other raises Konflikt.
    Call inside a transaction; the row stays locked until it ends."""
    if model._default_manager.filter(pk=pk, versjon=versjon).update(versjon=versjon + 1) != 1:
        raise Konflikt
    sidebuffer.endra()  # an UPDATE sends no signal
    return versjon + 1


def lagre_med_relasjonar(obj: models.Model, set_relations: Callable[[], None], reason: str = ""):
    """Save ``obj`` and its many-to-many relations as ONE history entry that holds both
    (simple-history would otherwise write an entry per relation, and the 'created' entry
    without them)."""
    created = obj.pk is None
    obj.skip_history_when_saving = True
    try:
        obj.save()
        set_relations()
    finally:
        del obj.skip_history_when_saving
    if reason:
        obj._change_reason = reason
    obj.save()
    if created:
        latest = obj.history.order_by("-history_date", "-history_id").first()
        obj.history.filter(history_id=latest.history_id).update(history_type="+")
