import json

from django.http import HttpResponse


def hx_trigger_message(response: HttpResponse, message: str) -> HttpResponse:
    """Tell the page (and screen readers, through portal.js) what just happened."""
    response["HX-Trigger"] = json.dumps({"portal:melding": message})
    return response
