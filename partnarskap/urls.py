from django.urls import path

from partnarskap import views

app_name = "partnarskap"
urlpatterns = [
    path("", views.oversikt, name="oversikt"),
    path("utval/<slug:slug>/", views.utval_detalj, name="utval"),
    path("utval/<slug:slug>/medlemskap/ny/", views.medlemskap_ny, name="medlemskap_ny"),
    path("partnar/<slug:slug>/", views.partnar_detalj, name="partnar"),
    path("medlemskap/<int:pk>/", views.medlemskap_rad, name="medlemskap_rad"),
    path("medlemskap/<int:pk>/endre/", views.medlemskap_endre, name="medlemskap_endre"),
    path("medlemskap/<int:pk>/avslutt/", views.medlemskap_avslutt, name="medlemskap_avslutt"),
]
