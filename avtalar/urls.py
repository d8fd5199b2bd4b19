from django.urls import path

from avtalar import views

app_name = "avtalar"
urlpatterns = [
    path("", views.oversikt, name="oversikt"),
    path("oversikt.pdf", views.oversikt_pdf, name="oversikt_pdf"),
    path("avtalar.csv", views.eksport, {"fmt": "csv"}, name="csv"),
    path("avtalar.xlsx", views.eksport, {"fmt": "xlsx"}, name="xlsx"),
    path("revisjon/", views.revisjon, name="revisjon"),
    path("<slug:slug>/", views.avtale_detalj, name="avtale"),
    path("<slug:slug>/endre/", views.endre, name="endre"),
    path("<slug:slug>/ny-versjon/", views.ny_versjon, name="ny_versjon"),
    path("<slug:slug>/versjon/<int:pk>.pdf", views.dokument, name="dokument"),
]
