from django.urls import path

from partnarskap import views

app_name = "partnarskap"
urlpatterns = [
    path("", views.oversikt, name="oversikt"),
    path("utval/<slug:slug>/", views.utval_detalj, name="utval"),
    path("utval/<slug:slug>/medlemskap/ny/", views.medlemskap_ny, name="medlemskap_ny"),
    path(
        "utval/<slug:slug>/samansetjing/",
        views.samansetjing_endre,
        name="samansetjing_endre",
    ),
    path("partnar/<slug:slug>/", views.partnar_detalj, name="partnar"),
    path("medlemskap/<int:pk>/", views.medlemskap_rad, name="medlemskap_rad"),
    path("medlemskap/<int:pk>/endre/", views.medlemskap_endre, name="medlemskap_endre"),
    path("medlemskap/<int:pk>/avslutt/", views.medlemskap_avslutt, name="medlemskap_avslutt"),
    path("personar/", views.personar, name="personar"),
    path("personar/ny/", views.person_ny, name="person_ny"),
    path("personar/<int:pk>/", views.person_detalj, name="person"),
    path("personar/<int:pk>/fakta/", views.person_fakta, name="person_fakta"),
    path("personar/<int:pk>/endre/", views.person_endre, name="person_endre"),
    path("personar/<int:pk>/avslutt/", views.person_avslutt, name="person_avslutt"),
    path("personar/<int:pk>/konto/", views.person_konto, name="person_konto"),
    path(
        "personar/<int:pk>/konto/deaktiver/",
        views.person_konto_deaktiver,
        name="person_konto_deaktiver",
    ),
    path("arshjul/", views.arshjul, name="arshjul"),
    path("arshjul/<int:ar>/", views.arshjul, name="arshjul_ar"),
    path("arshjul/<int:ar>.pdf", views.arshjul_pdf, name="arshjul_pdf"),
    path("arshjul/punkt/ny/", views.arshjulpunkt_ny, name="arshjulpunkt_ny"),
    path("arshjul/punkt/<int:pk>/", views.arshjulpunkt_rad, name="arshjulpunkt_rad"),
    path("arshjul/punkt/<int:pk>/endre/", views.arshjulpunkt_endre, name="arshjulpunkt_endre"),
    path(
        "arshjul/punkt/<int:pk>/ta-ut/",
        views.arshjulpunkt_deaktiver,
        name="arshjulpunkt_deaktiver",
    ),
]
