"""Accounts for the people in the register.

The secretariat gives a person an account from their page: a user named by the person's
e-mail address, with no password, and an e-mail with a link to choose one (Django's
password-reset tokens, so the link works once and expires after PASSWORD_RESET_TIMEOUT). A
forgotten password is asked for from the login page the same way. When a person has left
every seat, their account can be deactivated. Every e-mail about an account goes through
``send``; links are made from SITE_URL."""

import logging
import smtplib

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from partnarskap.models import Person
from portal import editing
from portal.forms import as_one_line
from portal.links import absolute_url

log = logging.getLogger(__name__)

# What a mail server that is down or refuses a message raises.
SENDING_FAILED = (smtplib.SMTPException, OSError)


class KontoFeil(Exception):
    """Why an account could not be given or taken away; the message is for the secretariat."""


def send(to: str, subject: str, body: str) -> None:
    """Send one e-mail about an account, now. (Meeting mail has its own queue; this is the
    one place to swap if account mail should go there too.)"""
    send_mail(as_one_line(subject), body, None, [to])


def passordlenkje(user) -> str:
    """The link where ``user`` chooses a password: valid once, until it expires."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse("password_reset_confirm", args=[uid, token]))


def _epost_context(user) -> dict:
    return {
        "user": user,
        "lenkje": passordlenkje(user),
        "dagar": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        "logg_inn": absolute_url(reverse("login")),
        "gloymt": absolute_url(reverse("password_reset")),
    }


def konto_status(person: Person) -> str:
    """What the person's page says about their account: ingen, invitert, aktiv, deaktivert."""
    user = person.brukar
    if user is None:
        return "ingen"
    if not user.is_active:
        return "deaktivert"
    return "aktiv" if user.has_usable_password() else "invitert"


def inviter(person: Person) -> User:
    """Give ``person`` an account (or open their deactivated one again) and send them the
    link to choose a password. KontoFeil if they have no address, the address is another
    account's, or they have chosen a password already (then they use «Gløymt passordet?»)."""
    with editing.locked(person):
        if not person.epost:
            raise KontoFeil(f"{person} har inga e-postadresse. Legg inn ei før du gjev konto.")
        user = person.brukar
        if user is not None and user.is_active and user.has_usable_password():
            raise KontoFeil(
                f"{person} har alt ein konto med passord. Har vedkomande gløymt passordet, "
                "kan det veljast på nytt frå innloggingssida."
            )
        if user is None:
            username = person.epost.lower()
            if User._default_manager.filter(
                Q(username__iexact=username) | Q(email__iexact=username)
            ).exists():
                raise KontoFeil(
                    f"Det finst alt ein konto med e-postadressa {person.epost}, "
                    "men han høyrer ikkje til denne personen."
                )
            if len(username) > (User._meta.get_field("username").max_length or 150):
                raise KontoFeil("E-postadressa er for lang til å vere brukarnamn.")
            user = User(username=username)
        user.email = person.epost
        user.first_name = person.namn[:150]
        user.is_active = True
        user.set_unusable_password()  # old links stop working; the new one chooses it
        user.save()
        reason = "Konto opna att" if person.brukar_id else "Konto gjeven"
        person.brukar = user
        editing.save_next_version(person, f"{reason}, invitasjon send")
    try:
        send(
            person.epost,
            "Konto i portalen til Sogn og Fjordane helsefellesskap",
            render_to_string("partnarskap/epost/invitasjon.txt", _epost_context(user)),
        )
    except SENDING_FAILED:
        log.exception("The invitation to person %s could not be sent", person.pk)
        raise KontoFeil(
            f"Kontoen til {person} er klar, men e-posten med invitasjonen kunne ikkje "
            "sendast. Prøv «Send invitasjonen på nytt» om litt."
        ) from None
    return user


def deaktiver(person: Person, *, av) -> None:
    """Close the account of a person who has left every seat: they can no longer log in,
    and links sent to them stop working."""
    with editing.locked(person):
        user = person.brukar
        if user is None or not user.is_active:
            raise KontoFeil(f"{person} har ingen aktiv konto.")
        if user.pk == av.pk:
            raise KontoFeil("Du kan ikkje deaktivere din eigen konto.")
        if person.medlemskap.ikkje_avslutta().exists():
            raise KontoFeil(
                f"{person} har framleis medlemskap. Avslutt dei før du deaktiverer kontoen."
            )
        user.is_active = False
        user.set_unusable_password()
        user.save()
        editing.save_next_version(person, "Konto deaktivert")


def synk_epost(person: Person) -> None:
    """After the person's address is changed: their account follows, as its e-mail and,
    when it was named by the old address, as its user name."""
    user = person.brukar
    if user is None or not person.epost or user.email == person.epost:
        return
    if user.username.lower() == user.email.lower():
        user.username = person.epost.lower()
    user.email = person.epost
    user.save()


def epost_er_brukt(epost: str, person: Person) -> bool:
    """Does another person, or an account not theirs, already go by ``epost``?"""
    others = Person.objects.filter(epost__iexact=epost)
    if person.pk is not None:
        others = others.exclude(pk=person.pk)
    accounts = User._default_manager.filter(Q(username__iexact=epost) | Q(email__iexact=epost))
    if person.brukar_id is not None:
        accounts = accounts.exclude(pk=person.brukar_id)
    return others.exists() or accounts.exists()


# --- A forgotten password, from the login page (Django's views, our forms) ---


class GloymtPassordForm(PasswordResetForm):
    email = forms.EmailField(
        label="E-postadressa di",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Skriv e-postadressa di.",
            "invalid": "Skriv ei gyldig e-postadresse, til dømes namn@kommune.no.",
        },
    )

    def get_users(self, email):
        # Accounts here are made by invitation: one still waiting for its first password may
        # ask for a new link too (Django leaves out accounts without a usable password).
        return User._default_manager.filter(email__iexact=email, is_active=True)

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        user = context["user"]
        try:
            send(
                user.email,
                "Nytt passord i portalen til Sogn og Fjordane helsefellesskap",
                render_to_string("registration/passord_epost.txt", _epost_context(user)),
            )
        except SENDING_FAILED:
            # The page must not tell whether the address has an account, so it cannot say
            # that sending failed either; the log does.
            log.exception("The password link to user %s could not be sent", user.pk)


class NyttPassordForm(SetPasswordForm):
    """Choosing a password from the link: Django's form, with our words."""

    error_messages = {
        **SetPasswordForm.error_messages,
        "password_mismatch": "Dei to passorda er ikkje like.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Nytt passord"
        self.fields[
            "new_password1"
        ].help_text = (
            "Minst 8 teikn, ikkje berre tal, og ikkje eit vanleg passord eller likt namnet ditt."
        )
        self.fields["new_password2"].label = "Skriv passordet ein gong til"
        self.fields["new_password2"].help_text = ""
        for field in self.fields.values():
            field.error_messages["required"] = "Skriv passordet."
