from django.urls import path

from . import views

app_name = "media"
urlpatterns = [
    path("carry-outs/", views.carry_out_list, name="carry-out-list"),
    path("carry-outs/new/", views.carry_out_new, name="carry-out-new"),
    path("carry-outs/<int:pk>/", views.carry_out_detail, name="carry-out-detail"),
    path("carry-outs/<int:pk>/edit/", views.carry_out_edit, name="carry-out-edit"),
    path("carry-outs/<int:pk>/<slug:name>/", views.carry_out_transition, name="carry-out-transition"),
]
