"""Restoring an earlier version from history: every field and every tracked many-to-many
relation as that version had them, written as one history entry that says which version it
brought back."""

from django.db import models, transaction
from django.utils import dateformat, timezone
from simple_history.utils import (
    get_history_manager_for_model,
    get_history_model_for_model,
    get_m2m_reverse_field_name,
)

from portal.editing import VERSION_FIELD

# Counters that only move forward: forms opened before a restore must be refused as stale
# (edit_version), and calendars must take the restored meeting as a newer one (sekvens).
COUNTERS = (VERSION_FIELD, "sekvens")


def version_label(record) -> str:
    """The version as the history page heads it, in the portal's time zone."""
    return dateformat.format(timezone.localtime(record.history_date), r"j. F Y \k\l. H:i")


def restore_reason(record) -> str:
    return f"Gjenoppretta versjonen frå {version_label(record)}"


def _m2m_fields(model: type[models.Model]) -> list[models.ManyToManyField]:
    return list(getattr(get_history_model_for_model(model), "_history_m2m_fields", []))


def m2m_ids(record, field: models.ManyToManyField) -> set:
    """What a history record's version pointed at through ``field``, as far as it still
    exists."""
    key = get_m2m_reverse_field_name(field)
    ids = set(getattr(record, field.name).values_list(key, flat=True))
    return set(field.related_model._default_manager.filter(pk__in=ids).values_list("pk", flat=True))


def current_record(model: type[models.Model], pk):
    """The newest history record of the object: what it holds now."""
    return (
        get_history_manager_for_model(model)
        .filter(**{model._meta.pk.attname: pk})
        .order_by("-history_date", "-history_id")
        .first()
    )


def changes(model: type[models.Model], record) -> list:
    """What restoring ``record`` changes: (field, now, after) for every field and relation
    that differs from the current version; counters left out."""
    now = current_record(model, getattr(record, model._meta.pk.attname))
    if now is None or now.history_id == record.history_id:
        return []
    delta = record.diff_against(now)
    return [c for c in delta.changes if c.field not in COUNTERS]


def restore(model: type[models.Model], record, user) -> models.Model:
    """Bring back the version in ``record``; raises ValidationError or IntegrityError (and
    changes nothing) when it no longer fits."""
    pk = getattr(record, model._meta.pk.attname)
    instance = record.instance
    relations = {field: m2m_ids(record, field) for field in _m2m_fields(model)}
    with transaction.atomic():
        # Under the row's lock, so an edit saved meanwhile is counted (portal.editing).
        live = model._base_manager.select_for_update().filter(pk=pk).first()
        # The copy comes from history; tell validation whether it replaces a live row.
        instance._state.adding = live is None
        for counter in COUNTERS:
            if live is not None and isinstance(getattr(live, counter, None), int):
                setattr(instance, counter, getattr(live, counter) + 1)
        instance.full_clean(validate_unique=True)
        # Fields and relations first, without history; then one entry for all of it.
        instance.skip_history_when_saving = True
        try:
            instance.save()
            for field, ids in relations.items():
                getattr(instance, field.name).set(ids)
        finally:
            del instance.skip_history_when_saving
        instance._history_user = user if user.is_authenticated else None
        instance._change_reason = restore_reason(record)
        instance._state.adding = False
        instance.save()
    return instance
