from django.urls import path, re_path

from . import contact_views, views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("report/", views.report, name="report"),
    re_path(r"^register\.xlsx$", contact_views.register, name="register"),
    re_path(r"^register\.(?P<fmt>pdf)$", contact_views.register, name="register-pdf"),
    path("contacts/", contact_views.contacts, name="contacts"),
    re_path(r"^contacts\.pdf$", contact_views.contacts_pdf, name="contacts-pdf"),
    path("contacts/parties/new/", contact_views.party_edit, name="party-new"),
    path("contacts/parties/<int:pk>/", contact_views.party_edit, name="party-edit"),
    path("contacts/cases/new/", contact_views.case_edit, name="case-new"),
    path("contacts/cases/<int:pk>/", contact_views.case_edit, name="case-edit"),
    path("reminders/", contact_views.reminders, name="reminders"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/notes/", views.add_note, name="note"),
    path("<int:pk>/attachments/", views.attach, name="attach"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_file, name="attachment"),
    path("<int:pk>/case/", views.choose_case, name="case"),
    path("<int:pk>/contacts/<int:contact_pk>/", views.contact, name="contact"),
    path("<int:pk>/disconnection/", views.disconnection, name="disconnection"),
    path("<int:pk>/disconnection/<int:step_pk>/", views.disconnection_step, name="disconnection-step"),
    re_path(r"^(?P<pk>\d+)/report-(?P<stage>first|followup|final)\.pdf$", contact_views.report_pdf, name="pdf"),
    path("<int:pk>/<slug:name>/", views.transition, name="transition"),
]
