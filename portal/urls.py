from django.contrib.auth import views as auth_views
from django.urls import include, path

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
