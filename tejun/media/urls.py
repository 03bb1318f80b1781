from django.urls import path, re_path

from . import disposal_views, register_views, views

app_name = "media"
urlpatterns = [
    path("carry-outs/", views.carry_out_list, name="carry-out-list"),
    path("carry-outs/new/", views.carry_out_new, name="carry-out-new"),
    path("carry-outs/<int:pk>/", views.carry_out_detail, name="carry-out-detail"),
    path("carry-outs/<int:pk>/edit/", views.carry_out_edit, name="carry-out-edit"),
    # Printed documents of the carry-out (持出許可申請書, 持出簿): before the transition path.
    path("carry-outs/<int:pk>/pdf/", views.carry_out_pdf, name="carry-out-pdf"),
    re_path(r"^carry-outs/log\.(?P<fmt>pdf|xlsx)$", views.carry_out_log, name="carry-out-log"),
    path("carry-outs/<int:pk>/<slug:name>/", views.carry_out_transition, name="carry-out-transition"),
    # The media register (C-1): cabinets, media, exceptions (例外措置), stock-takes (棚卸).
    path("cabinets/", register_views.cabinet_list, name="cabinet-list"),
    path("cabinets/new/", register_views.cabinet_new, name="cabinet-new"),
    path("cabinets/<int:pk>/edit/", register_views.cabinet_edit, name="cabinet-edit"),
    path("register/", register_views.medium_list, name="medium-list"),
    path("register/new/", register_views.medium_new, name="medium-new"),
    path("register/<int:pk>/", register_views.medium_detail, name="medium-detail"),
    path("register/<int:pk>/edit/", register_views.medium_edit, name="medium-edit"),
    path("register/<int:pk>/data-written/", register_views.medium_data_written, name="medium-data-written"),
    path("exceptions/", register_views.exception_list, name="exception-list"),
    path("exceptions/new/", register_views.exception_new, name="exception-new"),
    path("exceptions/<int:pk>/", register_views.exception_detail, name="exception-detail"),
    path("exceptions/<int:pk>/edit/", register_views.exception_edit, name="exception-edit"),
    path("exceptions/<int:pk>/pdf/", views.exception_pdf, name="exception-pdf"),
    path("exceptions/<int:pk>/<slug:name>/", register_views.exception_transition, name="exception-transition"),
    path("stocktakes/", register_views.stocktake_list, name="stocktake-list"),
    path("stocktakes/start/", register_views.stocktake_start, name="stocktake-start"),
    path("stocktakes/<int:pk>/", register_views.stocktake_detail, name="stocktake-detail"),
    path("stocktakes/<int:pk>/print/", register_views.stocktake_print, name="stocktake-print"),
    path("stocktakes/<int:pk>/close/", register_views.stocktake_close, name="stocktake-close"),
    path("stocktakes/<int:pk>/items/<int:item_pk>/", register_views.stocktake_mark, name="stocktake-mark"),
    # 記録媒体管理台帳 as a document (the register page's filters apply).
    re_path(r"^register/export\.(?P<fmt>pdf|xlsx)$", views.media_register_document, name="medium-register-document"),
    # Disposal (P-02, C-1(5)).
    path("disposals/", disposal_views.disposal_list, name="disposal-list"),
    path("disposals/new/", disposal_views.disposal_new, name="disposal-new"),
    re_path(r"^disposals/log\.(?P<fmt>pdf|xlsx)$", disposal_views.destruction_log, name="destruction-log"),
    path("disposals/<int:pk>/", disposal_views.disposal_detail, name="disposal-detail"),
    path("disposals/<int:pk>/edit/", disposal_views.disposal_edit, name="disposal-edit"),
    path("disposals/<int:pk>/destruction/", disposal_views.disposal_destruction, name="disposal-destruction"),
    path("disposals/<int:pk>/file/", disposal_views.destruction_file, name="disposal-file"),
    path("disposals/<int:pk>/pdf/", disposal_views.disposal_pdf, name="disposal-pdf"),
    path("disposals/<int:pk>/<slug:name>/", disposal_views.disposal_transition, name="disposal-transition"),
]
