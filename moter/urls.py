from django.urls import path

from moter import views

app_name = "moter"
urlpatterns = [
    path("", views.oversikt, name="oversikt"),
    path("<int:ar>/", views.arsplan, name="ar"),
    path("<int:ar>/moteplan.pdf", views.moteplan_pdf, name="moteplan_pdf"),
    path("<int:ar>/moter.csv", views.eksport, {"fmt": "csv"}, name="csv"),
    path("<int:ar>/moter.xlsx", views.eksport, {"fmt": "xlsx"}, name="xlsx"),
    path("kalender.ics", views.kalender_alle, name="kalender"),
    path("kalender/<slug:slug>.ics", views.kalender_utval, name="kalender_utval"),
    path("ny/", views.mote_ny, name="mote_ny"),
    path("mote/<int:pk>/", views.mote_detalj, name="mote"),
    path("mote/<int:pk>/fakta/", views.mote_fakta, name="mote_fakta"),
    path("mote/<int:pk>/endre/", views.mote_endre, name="mote_endre"),
    path("mote/<int:pk>/avlys/", views.mote_avlys, name="mote_avlys"),
    path("mote/<int:pk>/innkalling/", views.innkalling_send, name="innkalling_send"),
    path("mote/<int:pk>/motepakke.pdf", views.motepakke, name="motepakke"),
    path("mote/<int:pk>/motepakke/status/", views.motepakke_status, name="motepakke_status"),
    path("mote/<int:pk>/sak/ny/", views.sak_ny, name="sak_ny"),
    path("mote/<int:pk>/referat/", views.referat_endre, name="referat_endre"),
    path("mote/<int:pk>/referat.pdf", views.referat_pdf, name="referat_pdf"),
    path("sak/<int:pk>/", views.sak_vis, name="sak"),
    path("sak/<int:pk>/endre/", views.sak_endre, name="sak_endre"),
    path("sak/<int:pk>/flytt/", views.sak_flytt, name="sak_flytt"),
    path("sak/<int:pk>/vedlegg/ny/", views.vedlegg_ny, name="vedlegg_ny"),
    path("vedlegg/<int:pk>/", views.vedlegg_fil, name="vedlegg"),
    path("vedlegg/<int:pk>/flytt/", views.vedlegg_flytt, name="vedlegg_flytt"),
    path("vedlegg/<int:pk>/fjern/", views.vedlegg_slett, name="vedlegg_slett"),
]
