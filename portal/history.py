"""One history page for every model registered with django-simple-history: each version with
when, who and a field-by-field diff, and a way back for the secretariat.

History fails closed: a model's history is shown only where its app's ``access.py`` names
the model in ``HISTORY_RULES`` with a rule saying who may see the object, and only to them.
Everything else is 404. What a version refers to (an agreement, a sak) is shown only where
the user may see that too."""

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from importlib import import_module
from typing import Protocol

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods, require_safe
from simple_history.models import ModelChange
from simple_history.utils import get_history_manager_for_model, get_m2m_reverse_field_name

from portal import history_restore
from portal.access import can_see_personal_data, is_sekretariat, require_sekretariat
from portal.editing import VERSION_FIELD
from portal.sider import sideinndeling

HIDDEN = "(skjult)"


def history_url(obj: models.Model) -> str:
    meta = obj._meta
    return reverse("historikk", args=[meta.app_label, meta.model_name, obj.pk])


@dataclass
class Change:
    field: str
    old: str
    new: str
    diff: SafeString | None  # word diff for longer texts


class HistoryRecord(Protocol):
    """A row of a model's history table, as django-simple-history makes it."""

    history_id: int
    history_date: datetime
    history_type: str
    history_change_reason: str | None
    history_user: User | None
    instance: models.Model


@dataclass
class Version:
    record: HistoryRecord
    kind: str
    changes: list[Change]

    @property
    def kven(self) -> str:
        user = self.record.history_user
        if user is None:
            return "systemet"
        return user.get_full_name() or user.get_username()


KIND = {"+": "Oppretta", "~": "Endra", "-": "Sletta"}


# The apps whose access.py says, per model, who may see an object and its history.
HISTORY_APPS = ("partnarskap", "avtalar", "handlingsplan", "moter")

Rule = Callable[..., bool]  # (user, instance) -> may the user see it


def history_rule(model: type[models.Model]) -> Rule | None:
    """Who may see objects of ``model``, as its app's access.py says; None when it says
    nothing (then nobody does)."""
    app_label = model._meta.app_label
    if app_label not in HISTORY_APPS:
        return None
    rules = getattr(import_module(f"{app_label}.access"), "HISTORY_RULES", {})
    return rules.get(model._meta.model_name)


def may_see(user, obj: models.Model) -> bool:
    rule = history_rule(type(obj))
    if rule is None:
        return False
    try:
        return bool(rule(user, obj))
    except ObjectDoesNotExist:  # what the rule asks about (a sak's meeting) is gone
        return is_sekretariat(user)


def _tracked_model(app_label: str, model_name: str) -> type[models.Model]:
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404 from None
    if not hasattr(model, "history") or history_rule(model) is None:
        raise Http404
    return model


def _object_for_user(request: HttpRequest, model: type[models.Model], pk) -> models.Model | None:
    """The live object, None when it is deleted; 404 when it never was or the user may not
    see it (a deleted object is judged as it last stood)."""
    current = model._default_manager.filter(pk=pk).first()
    judged = current
    if judged is None:
        history = get_history_manager_for_model(model)
        last = history.filter(**{model._meta.pk.attname: pk}).order_by("-history_date")
        record = last.first()
        if record is None:
            raise Http404
        judged = record.instance
    if not may_see(request.user, judged):
        raise Http404
    return current


def _tracked_field(model: type[models.Model], name: str) -> models.Field:
    """A field that history records: one of the model's own, never a reverse relation."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is a reverse relation, not tracked")
    return field


def _display(field: models.Field, value, user) -> str:
    """A value as the history table shows it; what it refers to only if ``user`` may see it."""
    if isinstance(field, models.ManyToManyField):
        # simple-history gives the through rows as dicts; show what they point at.
        key = get_m2m_reverse_field_name(field)
        ids = [row.get(key) for row in value or []]
        targets = field.related_model._default_manager.filter(pk__in=ids)
        names = sorted(str(o) for o in targets if may_see(user, o))
        return ", ".join(names) or "–"
    if value is None or value == "":
        return "–"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "ja" if value else "nei"
    if isinstance(field, models.ForeignKey):
        target = field.related_model._default_manager.filter(pk=value).first()
        if target is None:
            return f"(sletta, nr. {value})"
        return str(target) if may_see(user, target) else "–"
    return norwegian(value)


def norwegian(value) -> str:
    """Dates and times as the rest of the portal writes them ("14. februar 2024",
    "10:00"), not in ISO form with seconds."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return dateformat.format(value, r"j. F Y \k\l. H:i")
    if isinstance(value, date):
        return dateformat.format(value, "j. F Y")
    if isinstance(value, time):
        return dateformat.time_format(value, "H:i")
    return str(value)


def word_diff(old: str, new: str) -> SafeString:
    """Inline diff of two texts: removed words in <del>, added in <ins>, all escaped."""
    a, b = old.split(), new.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    return mark_safe(" ".join(out))  # every piece above is escaped


def _snapshot(model, record, private: set, show_private: bool, user) -> list[Change]:
    """What a newly created object held, as changes from nothing."""
    changes = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name == VERSION_FIELD or not hasattr(record, field.attname):
            continue
        value = getattr(record, field.attname)
        if value in (None, ""):
            continue
        if field.name in private and not show_private:
            changes.append(Change(str(field.verbose_name), "–", HIDDEN, None))
        elif (shown := _display(field, value, user)) != "–":
            changes.append(Change(str(field.verbose_name), "–", shown, None))
    return changes


def _history(model: type[models.Model], pk) -> models.QuerySet:
    """A record's history entries, newest first."""
    return (
        get_history_manager_for_model(model)
        .filter(**{model._meta.pk.attname: pk})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def versions_of(
    model: type[models.Model], pk, *, show_private: bool, user, after: int | None = None
) -> list[Version]:
    """The saved versions of a record, newest first, each with what changed since the one
    before it. With ``after`` (an edit version), only those saved since that version: the
    rest of a long history is not read, but for the entry the oldest of them is told
    against."""
    history = _history(model, pk)
    if after is None:
        records = list(history)
        return _versions(model, records, len(records), show_private, user)
    records = list(history.filter(**{f"{VERSION_FIELD}__gt": after}))
    shown = len(records)
    before = history.filter(**{f"{VERSION_FIELD}__lte": after}).first()
    if before is not None:
        records.append(before)
    return _versions(model, records, shown, show_private, user)


def _versions(model, records: list, shown: int, show_private: bool, user) -> list[Version]:
    """The first ``shown`` of ``records`` (newest first) as versions, each told against the
    record after it in the list (the one saved before it), when there is one."""
    private = set(getattr(model, "private_fields", ()))
    m2m = _m2m_rows(records)
    shown_as: dict = {}  # a value refers to the same records in every version: named once

    def display(field, value) -> str:
        try:
            key = (field, _hashable(value))
        except TypeError:
            return _display(field, value, user)
        if key not in shown_as:
            shown_as[key] = _display(field, value, user)
        return shown_as[key]

    result = []
    for index, record in enumerate(records[:shown]):
        older = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if older is None and record.history_type == "+":
            changes = _snapshot(model, record, private, show_private, user)
        if older is not None:
            delta = record.diff_against(older, excluded_fields=list(m2m))
            told = delta.changes + [
                ModelChange(name, rows.get(older.history_id, []), rows.get(record.history_id, []))
                for name, rows in m2m.items()
                if rows.get(older.history_id, []) != rows.get(record.history_id, [])
            ]
            for change in sorted(told, key=lambda change: change.field):
                field = _tracked_field(model, change.field)
                if change.field in private and not show_private:
                    changes.append(Change(str(field.verbose_name), HIDDEN, HIDDEN, None))
                    continue
                old, new = display(field, change.old), display(field, change.new)
                if old == new:  # a change only to something the user may not see
                    continue
                long_text = isinstance(field, models.TextField) or max(len(old), len(new)) > 60
                diff = word_diff(old, new) if long_text else None
                changes.append(Change(str(field.verbose_name), old, new, diff))
        result.append(Version(record, KIND.get(record.history_type, ""), changes))
    return result


def _hashable(value):
    """A value as a key: a many-to-many field's through rows as a set of their items."""
    if isinstance(value, list):
        return frozenset(tuple(sorted(row.items())) for row in value)
    hash(value)
    return value


def _m2m_rows(records: list) -> dict[str, dict[int, list[dict]]]:
    """What each many-to-many field held in each of ``records``, as simple-history compares
    it (the through rows without their keys), read in one query per field: its own
    ``diff_against`` reads both sides of every field again for every pair it compares."""
    if not records:
        return {}
    result: dict[str, dict[int, list[dict]]] = {}
    for field in records[0]._history_m2m_fields:
        through = getattr(records[0], field.name).model  # its rows for that record
        compared = [
            f.name
            for f in through._meta.fields
            if f.editable and f.name not in ("id", "m2m_history_id", "history")
        ]
        target = get_m2m_reverse_field_name(field)
        rows = through._default_manager.filter(history__in=[r.history_id for r in records])
        held: dict[int, list[dict]] = {}
        for row in rows.order_by("history_id", f"{target}_id").values("history_id", *compared):
            held.setdefault(row.pop("history_id"), []).append(row)
        result[field.name] = held
    return result


# Versions per page of a record's history: a record edited every week for years has hundreds,
# and each is compared with the one before it.
VERSJONAR_PER_SIDE = 50


@require_safe
def historikk(request: HttpRequest, app_label: str, model_name: str, pk: int) -> HttpResponse:
    model = _tracked_model(app_label, model_name)
    if getattr(model, "private_fields", None) and not can_see_personal_data(request.user):
        # A person's own history is personal data.
        return redirect_to_login(request)
    current = _object_for_user(request, model, pk)
    show_private = can_see_personal_data(request.user)
    history = _history(model, pk)
    side = sideinndeling(request, history, VERSJONAR_PER_SIDE)
    if not side.paginator.count:
        raise Http404
    # The page's entries and the one saved before the oldest of them, to compare it with.
    first, shown = side.start_index() - 1, side.end_index() - side.start_index() + 1
    records = list(history[first : first + shown + 1])
    versions = _versions(model, records, shown, show_private, request.user)
    newest = versions[0].record if side.number == 1 else history[0]
    return render(
        request,
        "portal/historikk.html",
        {
            "objekt": current,
            "tittel": str(current or newest.instance),
            "modell": model._meta.verbose_name,
            "versjonar": versions,
            "nyaste": newest.history_id,
            "side": side,
            "vis_kven": show_private,
            "app_label": app_label,
            "model_name": model_name,
            "pk": pk,
        },
    )


def redirect_to_login(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth.views import redirect_to_login as _redirect

    return _redirect(request.get_full_path())


@require_http_methods(["GET", "POST"])
@require_sekretariat
def gjenopprett(
    request: HttpRequest, app_label: str, model_name: str, pk: int, history_id: int
) -> HttpResponse:
    """Asks first (GET: what will change), then restores (POST) as one history entry."""
    model = _tracked_model(app_label, model_name)
    live = _object_for_user(request, model, pk)
    record = get_object_or_404(
        get_history_manager_for_model(model).all(),
        history_id=history_id,
        **{model._meta.pk.attname: pk},
    )
    back = reverse("historikk", args=[app_label, model_name, pk])
    if request.method == "GET":
        return _confirm_restore(request, model, record, live, back)
    try:
        history_restore.restore(model, record, request.user)
    except (ValidationError, IntegrityError) as error:
        detail = "; ".join(getattr(error, "messages", [])) or "Han kolliderer med andre data."
        messages.error(request, f"Versjonen kunne ikkje gjenopprettast: {detail}")
    else:
        messages.success(
            request, f"Versjonen frå {history_restore.version_label(record)} er gjenoppretta."
        )
    return redirect(back)


def _confirm_restore(request: HttpRequest, model, record, current, back: str) -> HttpResponse:
    """What restoring ``record`` will change, field by field, and a button to do it."""
    rows = []
    for change in history_restore.changes(model, record):
        field = model._meta.get_field(change.field)
        now = _display(field, change.old, request.user)
        after = _display(field, change.new, request.user)
        rows.append(Change(str(field.verbose_name), now, after, None))
    return render(
        request,
        "portal/gjenopprett.html",
        {
            "objekt": current,
            "tittel": str(current or record.instance),
            "versjon": history_restore.version_label(record),
            "endringar": rows,
            "tilbake": back,
        },
    )
