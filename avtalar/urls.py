from django.urls import path, re_path

from avtalar import views

app_name = "avtalar"
urlpatterns = [
    path("", views.oversikt, name="oversikt"),
    path("oversikt.pdf", views.oversikt_pdf, name="oversikt_pdf"),
    path("avtalar.csv", views.eksport, {"fmt": "csv"}, name="csv"),
    path("avtalar.xlsx", views.eksport, {"fmt": "xlsx"}, name="xlsx"),
    path("revisjon/", views.revisjon, name="revisjon"),
    path("signering/", views.signering_oversikt, name="signering"),
    re_path(
        r"^signering\.(?P<format>csv|xlsx)$", views.signering_eksport, name="signering_eksport"
    ),
    path("signering/<int:pk>/endre/", views.signering_endre, name="signering_endre"),
    path("signering/<int:pk>.pdf", views.signering_dokument, name="signering_dokument"),
    path("<slug:slug>/", views.avtale_detalj, name="avtale"),
    path("<slug:slug>/endre/", views.endre, name="endre"),
    path("<slug:slug>/ny-versjon/", views.ny_versjon, name="ny_versjon"),
    path("<slug:slug>/versjon/<int:pk>.pdf", views.dokument, name="dokument"),
    path("<slug:slug>/versjon/<int:pk>/signering/", views.signering_ny, name="signering_ny"),
]
