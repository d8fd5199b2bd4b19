"""Delivering a meeting's e-mail: one message per recipient, sent by the background worker.

A sending (``Utsending``) is written once with one delivery (``Leveranse``) per recipient.
The worker sends each as its own message, To: that person, over one SMTP connection. A
temporary failure (a 4xx reply, a refused or dropped connection, a time-out) is tried
again later, each time after a longer wait; a permanent one (a 5xx reply) and a temporary
one that outlasts every try are recorded as failed, with the server's reason, and shown to
the secretariat on the meeting's page.

The queue is the database: the task that sends is enqueued in the same transaction as the
deliveries it sends, so either both are saved or neither is."""

import logging
import smtplib
import socket
from datetime import timedelta
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from moter import kalender
from moter.models import Leveranse, Mote, Utsending

log = logging.getLogger(__name__)

# Minutes to wait before each new try after a temporary failure; then it has failed.
VENTETID = (1, 5, 15, 60, 240)


class Mellombels(Exception):
    """A failure that may pass: try again later. ``nede``: the server could not be reached
    at all, so the other messages of this round need not try."""

    def __init__(self, reason: str, *, nede: bool = False):
        super().__init__(reason)
        self.nede = nede


def lag(
    mote: Mote, kind: str, user, people: list[tuple[str, str]], *, folgjarar=None, **fields
) -> Utsending:
    """Write a sending to ``people`` ((name, address); ``folgjarar`` maps an address to
    the follower it is sent to) and queue it for the worker."""
    from moter.tasks import send_utsending

    folgjarar = folgjarar or {}
    sending = Utsending.objects.create(
        mote=mote,
        type=kind,
        sendt_av=user if user is not None and user.is_authenticated else None,
        kalenderversjon=mote.sekvens,
        **fields,
    )
    Leveranse.objects.bulk_create(
        Leveranse(utsending=sending, namn=name, epost=address, folgjar_id=folgjarar.get(address))
        for name, address in people
    )
    send_utsending.enqueue(sending.pk)
    return sending


def melding(leveranse: Leveranse) -> EmailMultiAlternatives:
    """The message to one recipient: text and HTML (and, for an invitation, the calendar
    request) as alternatives, the invitation also as an .ics file, as calendar programs
    send it themselves."""
    sending = leveranse.utsending
    tekst, avmeld = sending.tekst, None
    headers = {}
    # A follower follows an utval, so a message to one is from a meeting of an utval.
    if leveranse.folgjar_id and (utval_id := sending.mote.utval_id):
        from moter.varsel import avmeld_url

        avmeld = avmeld_url(leveranse.folgjar_id, utval_id)
        tekst += f"\n\nDu får denne e-posten fordi du følgjer utvalet. Slutt å følgje: {avmeld}\n"
        # RFC 2369 and 8058: a mail program offers its own one-click unsubscribe.
        headers["List-Unsubscribe"] = f"<{avmeld}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    with translation.override("nn"):
        html = render_to_string(
            "moter/epost/ramme.html",
            {"emne": sending.emne, "innhald": mark_safe(sending.html), "avmeld": avmeld},
        )
    message = EmailMultiAlternatives(
        subject=sending.emne,
        body=tekst,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[formataddr((leveranse.namn, leveranse.epost))],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    if sending.kalender:
        ics, method = kalender.med_deltakar(sending.kalender, leveranse.namn, leveranse.epost)
        message.attach_alternative(ics, f"text/calendar; method={method}")
        message.attach("invitasjon.ics", ics.encode(), "application/ics")
    return message


def _reason(error: BaseException) -> Exception:
    """The failure as Mellombels (it may pass) or RuntimeError (it will not), with what the
    server or the network said."""
    text: bytes | str
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
    elif isinstance(error, smtplib.SMTPResponseException):
        code, text = error.smtp_code, error.smtp_error
    elif isinstance(error, smtplib.SMTPServerDisconnected | OSError | socket.timeout):
        reason = f"Ingen kontakt med e-posttenaren: {error or type(error).__name__}"
        return Mellombels(reason, nede=True)
    else:
        return RuntimeError(f"{type(error).__name__}: {error}")
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    reason = f"{code} {text}".strip()
    return Mellombels(reason) if 400 <= code < 500 else RuntimeError(reason)


def _send_one(connection, leveranse: Leveranse) -> None:
    """Send, raising Mellombels for a temporary failure, anything else for a permanent."""
    try:
        if not connection.send_messages([melding(leveranse)]):
            raise Mellombels("E-posttenaren tok ikkje imot meldinga")
    except Exception as error:
        failure = _reason(error)
        if isinstance(failure, Mellombels):
            connection.close()  # opened again for the next message
        raise failure from error


def lever(utsending_id: int) -> int:
    """Send every delivery of the sending that is due; return how many still wait (the
    task then comes back when the first of them is due)."""
    now = timezone.now()
    due = Leveranse.objects.filter(
        utsending_id=utsending_id, status=Leveranse.Status.VENTAR
    ).select_related("utsending", "utsending__mote")
    connection = get_connection(fail_silently=False)
    down = None  # once the server cannot be reached, the rest wait for the next round too
    try:
        for leveranse in due:
            if leveranse.neste_forsok and leveranse.neste_forsok > now:
                continue
            leveranse.forsok += 1
            try:
                if down:
                    raise Mellombels(down, nede=True)
                _send_one(connection, leveranse)
            except Mellombels as error:
                leveranse.feil = str(error)
                if error.nede:
                    down = leveranse.feil
                if leveranse.forsok > len(VENTETID):
                    leveranse.status = Leveranse.Status.FEILA
                    leveranse.neste_forsok = None
                else:
                    wait = VENTETID[leveranse.forsok - 1]
                    leveranse.neste_forsok = timezone.now() + timedelta(minutes=wait)
            except Exception as error:
                log.warning("E-post til %s feila: %s", leveranse.epost, error)
                leveranse.status = Leveranse.Status.FEILA
                leveranse.feil = str(error)
                leveranse.neste_forsok = None
            else:
                leveranse.status = Leveranse.Status.SENDT
                leveranse.levert = timezone.now()
                leveranse.feil = ""
                leveranse.neste_forsok = None
            leveranse.save()
    finally:
        connection.close()
    return Leveranse.objects.filter(
        utsending_id=utsending_id, status=Leveranse.Status.VENTAR
    ).count()


def neste_runde(utsending_id: int):
    """When the first delivery still waiting is due, or None."""
    return (
        Leveranse.objects.filter(utsending_id=utsending_id, status=Leveranse.Status.VENTAR)
        .order_by("neste_forsok")
        .values_list("neste_forsok", flat=True)
        .first()
    )
