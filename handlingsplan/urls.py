from django.urls import path

from handlingsplan import views

app_name = "handlingsplan"
urlpatterns = [
    path("", views.plan, name="plan"),
    path("<int:fra_ar>-<int:til_ar>/", views.plan_i_periode, name="periode"),
    path("<int:fra_ar>-<int:til_ar>/handlingsplan.pdf", views.eksport_pdf, name="pdf"),
    path("<int:fra_ar>-<int:til_ar>/handlingsplan.csv", views.eksport, {"fmt": "csv"}, name="csv"),
    path(
        "<int:fra_ar>-<int:til_ar>/handlingsplan.xlsx", views.eksport, {"fmt": "xlsx"}, name="xlsx"
    ),
    path("<int:fra_ar>-<int:til_ar>/ny-periode/", views.ny_periode, name="ny_periode"),
    path("strategi/", views.strategi, name="strategi_gjeldande"),
    path("strategi/<int:pk>/", views.strategi, name="strategi"),
    path("tiltak/<int:pk>/", views.tiltak, name="tiltak"),
    path("tiltak/<int:pk>/endre/", views.tiltak_endre, name="tiltak_endre"),
    path("tiltak/<int:pk>/slett/", views.tiltak_slett, name="tiltak_slett"),
    path("tiltak/<int:pk>/flytt/", views.tiltak_flytt, name="tiltak_flytt"),
    path("delmal/<int:pk>/", views.delmal, name="delmal"),
    path("delmal/<int:pk>/endre/", views.delmal_endre, name="delmal_endre"),
    path("delmal/<int:pk>/slett/", views.delmal_slett, name="delmal_slett"),
    path("delmal/<int:pk>/flytt/", views.delmal_flytt, name="delmal_flytt"),
    path("delmal/<int:pk>/tiltak/ny/", views.tiltak_ny, name="tiltak_ny"),
    path("innsatsomrade/<int:pk>/delmal/ny/", views.delmal_ny, name="delmal_ny"),
]
