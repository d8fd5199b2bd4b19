"""Response headers, the content security policy and login throttling."""

from django.urls import reverse


def test_security_headers_on_every_page(public, seeded):
    response = public.get("/partnarskap/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_htmx_is_configured_for_the_policy(public, seeded):
    html = public.get("/").content.decode()
    assert '"allowEval": false' in html and '"includeIndicatorStyles": false' in html
    assert '"selfRequestsOnly": true' in html
    assert "<script>" not in html and " style=" not in html


def test_repeated_wrong_passwords_lock_the_account_out(public, sekretariat_user, settings):
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        public.post(url, {"username": "sigrid", "password": "feil"})
    locked = public.post(url, {"username": "sigrid", "password": "ikkje-i-bruk-123"})
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Innlogginga er mellombels sperra" in html and "15 minutt" in html
    assert "_auth_user_id" not in public.session


def test_a_few_wrong_passwords_do_not_lock_out(public, sekretariat_user):
    url = reverse("login")
    public.post(url, {"username": "sigrid", "password": "feil"})
    ok = public.post(url, {"username": "sigrid", "password": "ikkje-i-bruk-123"})
    assert ok.status_code == 302
