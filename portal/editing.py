"""One way to save an edit, for every record the secretariat edits.

Every edited model inherits ``Versioned``: a counter, ``edit_version``, that every save of
the record moves on by one. An edit form inherits ``EditForm``: it carries the version it
was loaded at in a hidden field. ``save(form)`` claims the next version with ONE
``UPDATE ... SET edit_version = N + 1 WHERE pk = ... AND edit_version = N`` inside the save's
transaction, so of two saves from the same version exactly one gets the row; the other
raises ``Conflict`` and writes nothing. A check before the save would not do: two requests
can both pass it before either writes.

After a conflict the form is ready for a second try: it holds the user's own values and the
current version, and ``form.konflikt`` says who saved, when and what they changed. Every
form that includes templates/forms/errors.html shows that (templates/forms/konflikt.html),
and the view answers 409.

A change made without an edit form (cancelling a meeting, ending a seat) reads the record
again under a row lock (``locked``) and saves it with ``save_next_version``: open forms then
see a newer version. What changes without a new version (the place in a list) is named in
the model's ``unversioned_fields``, and an edit writes what is saved there, not what it read.

A new editor: its model inherits ``Versioned`` (and gets a migration), its form inherits
``EditForm``, its view saves with ``editing.save(form, user=request.user)`` and answers 409 on
``Conflict``, and
it gets a row in tests/test_editing.py, which fails until it has one.
"""

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from django import forms
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.utils.datastructures import MultiValueDict

from portal import sidebuffer
from portal.forms import ModelForm

VERSION_FIELD = "edit_version"
# A version one below PostgreSQL's largest integer, so that the next one still fits.
MAX_SEEN = 2**31 - 2
VERSION_MISSING = "Skjemaet manglar versjonen det vart lasta frå. Last sida på nytt og prøv igjen."

T = TypeVar("T")


class Tracked:
    """What django-simple-history reads from an instance of a model it tracks, set just
    before a save: the reason its history entry gets, and (while the attribute exists) that
    the save writes no entry at all. Neither is a field; both are only declared here."""

    _change_reason: str
    skip_history_when_saving: bool


class Versioned(Tracked, models.Model):
    """A record the secretariat edits: ``edit_version`` moves on with every save."""

    edit_version = models.PositiveIntegerField("redigeringsversjon", default=1, editable=False)
    # Fields that change without a new version (the place in a list): an edit keeps what is
    # saved there, so it never moves an item back.
    unversioned_fields: ClassVar[tuple[str, ...]] = ()
    # What a page says of a refused save or delete of this record, when it says something.
    # A default on the class, not only on the few objects that get one: a template asking an
    # object for an attribute it lacks costs Django's lookup an exception and a dir().
    konflikt: "Lagring | None" = None

    class Meta:
        abstract = True


@dataclass
class Lagring:
    """What a stale save is told: who saved the record since the form was loaded, when
    (the last of those saves), why if the save said so, and what changed (field names and
    the values saved now). ``gjeld`` names the record when it is not the form's own."""

    kven: str = ""
    tid: datetime | None = None
    grunnar: list[str] = field(default_factory=list)
    endringar: list[tuple[str, str]] = field(default_factory=list)
    gjeld: str = ""
    sletting: bool = False


class Conflict(Exception):
    """Someone saved a newer version of ``record`` since ``seen`` was loaded."""

    def __init__(self, record: Versioned, seen: int):
        super().__init__(f"{record._meta.label} {record.pk}: version {seen} is not current")
        self.record = record
        self.seen = seen
        self.lagring: Lagring | None = None


def claim(record: Versioned, seen: int) -> None:
    """Claim the version after ``seen`` in ONE ``UPDATE ... WHERE edit_version = seen``: of
    two concurrent claims from the same version exactly one gets the row, the other raises
    Conflict. Call inside the save's transaction; the row stays locked until it ends."""
    model = type(record)
    rows = model._base_manager.filter(pk=record.pk, edit_version=seen)
    if rows.update(edit_version=seen + 1) != 1:
        raise Conflict(record, seen)
    record.edit_version = seen + 1
    sidebuffer.endra()  # an UPDATE sends no signal
    if model.unversioned_fields:
        record.refresh_from_db(fields=list(model.unversioned_fields))


def save(form: "EditForm", write: Callable[[], T] | None = None, *, user) -> T:
    """Save a valid edit form as the next version of what it edits, in one transaction:
    claim the version the form was loaded at, then ``write()`` (``form.save()`` unless
    given). On Conflict nothing is written, the form is ready for a second try (see the
    module docstring; what changed is told as ``user`` may see it) and Conflict is raised
    again for the view to answer 409. A record deleted in the meantime is a 404."""
    record = form.versioned()
    seen = form.cleaned_data.get(VERSION_FIELD) or 0
    try:
        with transaction.atomic():
            if record.pk is not None:
                claim(record, seen)
            return write() if write is not None else form.save()
    except Conflict as conflict:
        current = type(conflict.record)._base_manager.filter(pk=conflict.record.pk).first()
        if current is None:
            raise Http404("Det du endra, er sletta i mellomtida.") from None
        conflict.lagring = describe(current, conflict.seen, user)
        if _same(current, record) or (record.pk is None and type(current) is type(record)):
            # its own record, or the one someone else made in the meantime (minutes)
            form.second_try(current.edit_version)
        else:
            conflict.lagring.gjeld = str(current)
        form.konflikt = conflict.lagring
        raise


def save_once(form: "EditForm", *, user, **unique) -> Versioned:
    """``save`` for a form that may make a record of which only one may exist for
    ``unique`` (one rule per utval, one signing per party and version): one made by someone
    else since the form was loaded is a Conflict, like a stale edit, not a crash."""

    def write():
        try:
            with transaction.atomic():
                return form.save()
        except IntegrityError:
            made = type(form.instance)._base_manager.filter(**unique).first()
            if made is None:
                raise
            raise Conflict(made, 0) from None

    return save(form, write, user=user)


def save_with_relations(record: Versioned, set_relations: Callable[[], object], reason=""):
    """Save ``record`` and its many-to-many relations as ONE history entry that holds both
    (simple-history would otherwise write an entry per relation, and the 'created' entry
    without them)."""
    created = record.pk is None
    record.skip_history_when_saving = True
    try:
        if created:  # relations need its key; a saved record has one, and is saved below
            record.save()
        set_relations()
    finally:
        del record.skip_history_when_saving
    if reason:
        record._change_reason = reason
    record.save()
    if created:
        history = record.history  # type: ignore[attr-defined]  # simple-history's, per model
        latest = history.order_by("-history_date", "-history_id").first()
        history.filter(history_id=latest.history_id).update(history_type="+")


@contextmanager
def locked(record: Versioned) -> Iterator[Versioned]:
    """A transaction in which ``record`` is read again under a row lock: for a change made
    without an edit form, which then starts from what is saved. Save it inside with
    ``save_next_version``."""
    with transaction.atomic():
        record.refresh_from_db(from_queryset=type(record)._base_manager.select_for_update())
        yield record


def save_next_version(record: Versioned, reason: str = "") -> None:
    """Save ``record`` as the version after the one it holds (read under ``locked``), so
    forms opened before it are refused as stale instead of writing over it."""
    with transaction.atomic():
        claim(record, record.edit_version)
        if reason:
            record._change_reason = reason
        record.save()


def delete(record: Versioned, seen: int, reason: str, *, user) -> None:
    """Delete ``record`` if ``seen`` is still its version; Conflict (with what was saved
    since, or a 404 if it is gone) otherwise."""
    with transaction.atomic():
        current = type(record)._base_manager.select_for_update().filter(pk=record.pk).first()
        if current is None:
            raise Http404("Det er alt sletta.")
        if current.edit_version != seen:
            conflict = Conflict(current, seen)
            conflict.lagring = describe(current, seen, user)
            conflict.lagring.sletting = True
            raise conflict
        current._change_reason = reason
        current.delete()


def describe(record: Versioned, seen: int, user) -> Lagring:
    """Who saved ``record`` after version ``seen``, when, and what changed, from its
    history, as ``user`` may see it."""
    from portal.access import can_see_personal_data
    from portal.history import versions_of  # the history page's diff, with display values

    private = can_see_personal_data(user)
    newer = versions_of(type(record), record.pk, show_private=private, user=user, after=seen)
    newer.reverse()  # oldest first: a field changed twice shows its latest value
    names: list[str] = []
    changes: dict[str, str] = {}
    reasons: list[str] = []
    for version in newer:
        if version.kven not in names:
            names.append(version.kven)
        reason = version.record.history_change_reason
        if reason and reason not in reasons:
            reasons.append(reason)
        for change in version.changes:
            changes[change.field] = change.new
    return Lagring(
        kven=_list(names),
        tid=newer[-1].record.history_date if newer else None,
        grunnar=reasons,
        endringar=list(changes.items()),
    )


def _list(names: list[str]) -> str:
    return " og ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)


def _same(a: models.Model, b: models.Model) -> bool:
    return type(a) is type(b) and a.pk == b.pk


class EditForm(ModelForm):
    """A model form saved through ``editing.save``: it carries the version of the record it
    edits (``versioned()``, the form's instance unless a form says otherwise) as a hidden
    field. A form for a record not saved yet carries 0, so a save that finds the record
    created in the meantime (the minutes of a meeting) is a conflict, not an overwrite."""

    edit_version = forms.IntegerField(
        min_value=0, max_value=MAX_SEEN, widget=forms.HiddenInput, required=False
    )
    konflikt: Lagring | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        record = self.versioned()
        version = self.fields[VERSION_FIELD]
        version.initial = record.edit_version if record.pk is not None else 0
        version.required = record.pk is not None

    def versioned(self) -> Versioned:
        """The record whose version this form carries and claims."""
        return self.instance

    def clean(self):
        data = super().clean()
        if VERSION_FIELD in self.errors:  # a missing or broken hidden field
            del self.errors[VERSION_FIELD]
            self.add_error(None, VERSION_MISSING)
        return data

    def second_try(self, version: int) -> None:
        """After a conflict: keep the user's values, with the current version, so saving
        again applies them on top of what is saved now."""
        data = editable_copy(self.data)
        data[self.add_prefix(VERSION_FIELD)] = str(version)
        self.data = data


def editable_copy(data: Mapping[str, Any]) -> MultiValueDict | dict[str, Any]:
    """A copy of a form's data that can be changed: of a QueryDict (a request's, which is
    immutable) with every value of a field, or of a plain dict."""
    return data.copy() if isinstance(data, MultiValueDict) else dict(data)


class VersionForm(forms.Form):
    """What a delete carries: the version the user saw."""

    edit_version = forms.IntegerField(min_value=0, max_value=MAX_SEEN, widget=forms.HiddenInput)
    konflikt: Lagring | None = None

    def clean(self):
        data = super().clean()
        if VERSION_FIELD in self.errors:
            del self.errors[VERSION_FIELD]
            self.add_error(None, VERSION_MISSING)
        return data
