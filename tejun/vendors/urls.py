from django.urls import path, re_path

from . import views

app_name = "vendors"
urlpatterns = [
    path("", views.index, name="index"),
    path("contractors/", views.contractor_list, name="contractor-list"),
    path("contractors/new/", views.contractor_new, name="contractor-new"),
    path("contractors/<int:pk>/", views.contractor_detail, name="contractor-detail"),
    path("contractors/<int:pk>/edit/", views.contractor_edit, name="contractor-edit"),
    path("contractors/<int:pk>/contracts/new/", views.contract_new, name="contract-new"),
    path("contracts/<int:pk>/edit/", views.contract_edit, name="contract-edit"),
    path("contracts/<int:pk>/file/", views.contract_file, name="contract-file"),
    path("accounts/", views.account_list, name="account-list"),
    path("accounts/<int:pk>/unlink/", views.account_unlink, name="account-unlink"),
    path("memorandum-template/", views.memorandum_template, name="memorandum-template"),
    re_path(r"^(?P<kind>onsite|repairs|disposals)/(?P<pk>\d+)/pdf/$", views.record_pdf, name="record-pdf"),
    re_path(r"^registers/(?P<key>[a-z]+)\.(?P<fmt>pdf|xlsx)$", views.register_document, name="register-document"),
    # P-05 on-site work
    path("onsite/", views.onsite_list, name="onsite-list"),
    path("onsite/new/", views.onsite_new, name="onsite-new"),
    path("onsite/<int:pk>/", views.onsite_detail, name="onsite-detail"),
    path("onsite/<int:pk>/report/", views.onsite_report, name="onsite-report"),
    path("onsite/<int:pk>/report/file/", views.onsite_report_file, name="onsite-report-file"),
    path("onsite/<int:pk>/<slug:name>/", views.onsite_transition, name="onsite-transition"),
    # P-08 repair
    path("repairs/", views.repair_list, name="repair-list"),
    path("repairs/new/", views.repair_new, name="repair-new"),
    path("repairs/<int:pk>/", views.repair_detail, name="repair-detail"),
    path("repairs/<int:pk>/reconfirm/", views.repair_reconfirm, name="repair-reconfirm"),
    path("repairs/<int:pk>/<slug:name>/", views.repair_transition, name="repair-transition"),
    # P-09 equipment disposal / lease return
    path("disposals/", views.disposal_list, name="disposal-list"),
    path("disposals/new/", views.disposal_new, name="disposal-new"),
    path("disposals/<int:pk>/", views.disposal_detail, name="disposal-detail"),
    path("disposals/<int:pk>/agree/", views.disposal_agree, name="disposal-agree"),
    path("disposals/<int:pk>/certificate/", views.disposal_certificate, name="disposal-certificate"),
    path("disposals/<int:pk>/certificate/file/", views.disposal_certificate_file, name="disposal-certificate-file"),
    path("disposals/<int:pk>/<slug:name>/", views.disposal_transition, name="disposal-transition"),
    # P-12 data provision
    path("provisions/", views.provision_list, name="provision-list"),
    path("provisions/new/", views.provision_new, name="provision-new"),
    path("provisions/<int:pk>/", views.provision_detail, name="provision-detail"),
    path("provisions/<int:pk>/edit/", views.provision_edit, name="provision-edit"),
    path("provisions/<int:pk>/pdf/", views.provision_pdf, name="provision-pdf"),
    re_path(r"^provisions/(?P<pk>\d+)/memorandum\.(?P<fmt>docx|pdf)$", views.memorandum, name="memorandum"),
    re_path(r"^provisions/(?P<pk>\d+)/file/(?P<which>signed|erasure)/$", views.provision_file,
            name="provision-file"),
    path("provisions/<int:pk>/signed/", views.provision_signed, name="provision-signed"),
    path("provisions/<int:pk>/provide/", views.provision_provide, name="provision-provide"),
    path("provisions/<int:pk>/return/", views.provision_return, name="provision-return"),
    path("provisions/<int:pk>/erasure/", views.provision_erasure, name="provision-erasure"),
    path("provisions/<int:pk>/accident/", views.provision_accident, name="provision-accident"),
    path("provisions/<int:pk>/<slug:name>/", views.provision_transition, name="provision-transition"),
]
