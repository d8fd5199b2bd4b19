from django.contrib.auth import views as auth_views
from django.urls import include, path

from partnarskap.kontoar import GloymtPassordForm, NyttPassordForm
from portal import history, views
from portal.forms import LoginForm

urlpatterns = [
    path("", views.framside, name="framside"),
    path("helse/", views.helse, name="helse"),
    path("sok/", views.sok, name="sok"),
    path("tilgjengelegheit/", views.tilgjengelegheit, name="tilgjengelegheit"),
    path(
        "logg-inn/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", authentication_form=LoginForm
        ),
        name="login",
    ),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    # A forgotten password, and the link an invitation sends (partnarskap/kontoar.py).
    path(
        "passord/",
        auth_views.PasswordResetView.as_view(
            form_class=GloymtPassordForm, template_name="registration/passord_gloymt.html"
        ),
        name="password_reset",
    ),
    path(
        "passord/sendt/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/passord_send.html"),
        name="password_reset_done",
    ),
    path(
        "passord/vel/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=NyttPassordForm,
            template_name="registration/passord_vel.html",
            post_reset_login=True,
            post_reset_login_backend="django.contrib.auth.backends.ModelBackend",
        ),
        name="password_reset_confirm",
    ),
    path(
        "passord/ferdig/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/passord_ferdig.html"
        ),
        name="password_reset_complete",
    ),
    path(
        "historikk/<str:app_label>/<str:model_name>/<int:pk>/",
        history.historikk,
        name="historikk",
    ),
    path(
        "historikk/<str:app_label>/<str:model_name>/<int:pk>/<int:history_id>/gjenopprett/",
        history.gjenopprett,
        name="gjenopprett",
    ),
    path("partnarskap/", include("partnarskap.urls")),
    path("avtalar/", include("avtalar.urls")),
    path("handlingsplan/", include("handlingsplan.urls")),
    path("moter/", include("moter.urls")),
]

handler403 = "portal.views.feil_403"
handler404 = "portal.views.feil_404"
handler500 = "portal.views.feil_500"
