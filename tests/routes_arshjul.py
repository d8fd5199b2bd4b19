"""The årshjul's rows in the permission matrix."""

from matrix import GET_ONLY_WRITE, POST_ONLY_WRITE, READ, WRITE, Route


def _punkt(d) -> dict:
    from partnarskap.models import Arshjulpunkt

    return {"pk": Arshjulpunkt.objects.get(tittel="Samhandlingskonferanse").pk}


ROUTES = {
    "partnarskap:arshjul": Route(lambda d: {}, READ),
    "partnarskap:arshjul_ar": Route(lambda d: {"ar": 2024}, READ),
    "partnarskap:arshjul_pdf": Route(lambda d: {"ar": 2024}, READ),
    "partnarskap:arshjulpunkt_ny": Route(lambda d: {}, WRITE),
    "partnarskap:arshjulpunkt_rad": Route(_punkt, GET_ONLY_WRITE),
    "partnarskap:arshjulpunkt_endre": Route(_punkt, WRITE),
    "partnarskap:arshjulpunkt_deaktiver": Route(_punkt, POST_ONLY_WRITE),
}
