"""People, their accounts and choosing a password: rows in the permission matrix."""

from matrix import GET_ONLY_WRITE, PERSONAS, POST_ONLY_WRITE, READ, WRITE, Route


def _person(d) -> dict:
    return {"pk": d["seat"].person_id}


# Forms everyone may use, logged in or not: a bad form answers 200, a good one redirects.
OPEN_FORM = {"GET": dict.fromkeys(PERSONAS, {200}), "POST": dict.fromkeys(PERSONAS, {200, 302})}

ROUTES = {
    "partnarskap:personar": Route(lambda d: {}, READ),
    "partnarskap:person": Route(_person, READ),
    "partnarskap:person_ny": Route(lambda d: {}, WRITE),
    "partnarskap:person_fakta": Route(_person, GET_ONLY_WRITE),
    "partnarskap:person_endre": Route(_person, WRITE),
    "partnarskap:person_avslutt": Route(_person, WRITE),  # GET asks first
    "partnarskap:person_konto": Route(_person, POST_ONLY_WRITE),
    "partnarskap:person_konto_deaktiver": Route(_person, WRITE),  # GET asks first
    "password_reset": Route(lambda d: {}, OPEN_FORM),
    "password_reset_done": Route(lambda d: {}, READ),
    # A link that is not valid: the page says so, to everyone, for GET and POST alike.
    "password_reset_confirm": Route(
        lambda d: {"uidb64": "MQ", "token": "ugyldig-lenkje"},
        {"GET": dict.fromkeys(PERSONAS, {200}), "POST": dict.fromkeys(PERSONAS, {200})},
    ),
    "password_reset_complete": Route(lambda d: {}, READ),
}
