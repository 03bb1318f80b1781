from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ContactCase, ContactParty, Incident

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def datetime_field(label, required=False):
    return forms.DateTimeField(label=label, required=required, widget=DateTimeInput(),
                               input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"])


class ReportForm(forms.Form):
    """何が起きましたか: a big choice, one text, two optional answers. Nothing more on a phone."""

    kind = forms.ChoiceField(label=_("何が起きましたか"), choices=Incident.Kind.choices, widget=forms.RadioSelect)
    description = forms.CharField(label=_("どんな状況ですか"), widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("見たこと・画面の表示・気付いたきっかけなど。わかる範囲で構いません。"))
    location = forms.CharField(label=_("場所・機器（任意）"), required=False, max_length=200,
                               help_text=_("例：総務課 3番のパソコン、議場のタブレット"))
    occurred_at = datetime_field(_("いつ気付きましたか（任意・空欄なら今）"))


class DetailsForm(forms.ModelForm):
    """What the handlers complete while investigating; the fields shown follow the procedure."""

    COMMON = ["title", "kind", "location", "occurred_at", "description", "findings", "cause", "action_taken",
              "prevention"]
    BY_PROCEDURE = {
        "malfunction": ["vendor_name", "vendor_note"],
        "failure": ["system_name", "failure_started_at", "failure_ended_at", "impact"],
        "breach": ["damage", "scope", "persons_affected", "sensitive_data", "financial_risk", "wrongful_purpose"],
    }

    class Meta:
        model = Incident
        fields = ["title", "kind", "location", "occurred_at", "description", "findings", "cause", "damage", "scope",
                  "action_taken", "prevention", "vendor_name", "vendor_note", "system_name", "failure_started_at",
                  "failure_ended_at", "impact", "persons_affected", "sensitive_data", "financial_risk",
                  "wrongful_purpose"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in
                   ("description", "findings", "cause", "damage", "scope", "action_taken", "prevention",
                    "vendor_note", "impact")}

    def __init__(self, *args, procedure: str, **kwargs):
        super().__init__(*args, **kwargs)
        keep = set(self.COMMON) | set(self.BY_PROCEDURE.get(procedure, []))
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        for name in ("occurred_at", "failure_started_at", "failure_ended_at"):
            if name in self.fields:
                self.fields[name] = datetime_field(Incident._meta.get_field(name).verbose_name)
        for name, field in self.fields.items():
            if name not in ("title", "kind", "description"):
                field.required = False

    def _post_clean(self):
        pass  # the service checks and saves


# What each transition asks for on the page (prefilled with what is recorded so far).
TRANSITION_INPUTS = {
    "report_to_manager": ["findings"],
    "contact_vendor": ["vendor_name", "vendor_contacted_at", "vendor_note"],
    "remedy": ["cause", "action_taken", "prevention"],
    "instruct": ["instruction"],
    "complete": ["action_taken", "prevention"],
    "accept_failure_record": ["failure_ended_at", "action_taken", "prevention"],
}
FAILURE_REPORT_INPUTS = ["findings", "system_name", "failure_started_at", "impact", "cause"]


def transition_form(incident: Incident, name: str, data=None):
    names = TRANSITION_INPUTS.get(name, [])
    if name == "report_to_manager" and incident.is_failure:
        names = FAILURE_REPORT_INPUTS
    fields = {}
    for field_name in names:
        model_field = Incident._meta.get_field(field_name)
        if isinstance(model_field, type(Incident._meta.get_field("occurred_at"))):
            fields[field_name] = datetime_field(model_field.verbose_name)
        elif model_field.max_length and model_field.max_length <= 300:
            fields[field_name] = forms.CharField(label=model_field.verbose_name, required=False,
                                                 max_length=model_field.max_length)
        else:
            fields[field_name] = forms.CharField(label=model_field.verbose_name, required=False,
                                                 widget=forms.Textarea(attrs={"rows": 3}))
    transition = incident.workflow.get(name)
    for field_name in transition.required if transition else ():
        if field_name in fields:  # marked 必須 on the page; the engine is the one that refuses
            fields[field_name].required = True
    fields["comment"] = forms.CharField(label=_("コメント"), required=bool(transition and transition.comment_required),
                                        widget=forms.Textarea(attrs={"rows": 2}))
    fields["deputy_reason"] = forms.CharField(label=_("代決の理由"), required=False)
    form_class = type("TransitionInputForm", (forms.Form,), fields)
    initial = {n: getattr(incident, n) for n in names}
    return form_class(data, initial=initial, prefix=name)


class TimelineForm(forms.Form):
    at = datetime_field(_("日時"), required=True)
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("ファイル（PNG・JPEG・PDF）"))
    description = forms.CharField(label=_("説明"), required=False, max_length=300)


class CaseForm(forms.Form):
    case = forms.ModelChoiceField(label=_("事案の区分"), queryset=ContactCase.objects.none())

    def __init__(self, *args, body_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = ContactCase.objects.filter(body_id=body_id, active=True)


class ContactDoneForm(forms.Form):
    done_at = datetime_field(_("連絡日時（空欄なら今）"))
    note = forms.CharField(label=_("備考"), required=False, max_length=300)
    waived_reason = forms.CharField(label=_("連絡不要の理由"), required=False, max_length=300)


class StepForm(forms.Form):
    done_at = datetime_field(_("実施日時（空欄なら今）"))
    note = forms.CharField(label=_("備考"), required=False, max_length=300)


class PartyForm(forms.ModelForm):
    class Meta:
        model = ContactParty
        fields = ["name", "contact_details", "note"]

    def _post_clean(self):
        pass


class CaseEditForm(forms.ModelForm):
    class Meta:
        model = ContactCase
        fields = ["name", "caller_role", "parties", "active"]
        widgets = {"parties": forms.CheckboxSelectMultiple}

    def __init__(self, *args, body_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = ContactParty.objects.filter(body_id=body_id)

    def _post_clean(self):
        pass


class ReminderForm(forms.Form):
    """Hours each step may wait, one field per waiting state."""

    def __init__(self, *args, hours: dict, labels: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for state, value in hours.items():
            self.fields[state] = forms.IntegerField(label=labels.get(state, state), min_value=1, max_value=24 * 90,
                                                    initial=value)
