"""Forms of the vendor pages: they parse input; the services check it and save (nothing is saved here)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tejun.lib.widgets import FastSelect, RegisterChoiceField
from tejun.media.forms import DateInput, DateTimeInput
from tejun.workflow.views import TransitionForm  # noqa: F401  (re-exported for the views)

from .memorandum import PLACEHOLDERS
from .models import Contract, Contractor, DataProvision, EquipmentDisposal, OnsiteWork, Repair

FILE_HELP = _("PDF・PNG・JPEG（10MBまで）。ファイルの中身で形式を確認します。")


class ServiceValidated:
    def _post_clean(self):
        # The service validates and saves; the form only parses input.
        pass


class ContractorForm(ServiceValidated, forms.ModelForm):
    class Meta:
        model = Contractor
        fields = ["name", "address", "representative", "contact_person", "phone", "email", "note", "active"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class ContractForm(ServiceValidated, forms.ModelForm):
    file = forms.FileField(label=_("契約書ファイル"), required=False, help_text=FILE_HELP)

    class Meta:
        model = Contract
        fields = ["title", "system_name", "starts_on", "ends_on", "has_confidentiality_clause",
                  "confidentiality_article", "subcontracting_allowed"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}
        help_texts = {"confidentiality_article": _("例：第12条（秘密の保持）。P-08 の修理の前に再確認する条項です。")}


# The contractor and contract selects list the body's whole register (about 900 and 1,350 rows on the benchmark):
# options read as rows and written by FastSelect (tejun/lib/widgets.py), not a model instance and a template each.

class ContractorChoiceField(RegisterChoiceField):
    label_columns = ("name",)  # str(contractor)


class ContractChoiceField(RegisterChoiceField):
    """Options read "事業者名：契約名" (vendors/forms.js offers only the chosen contractor's contracts by it)."""

    label_columns = ("contractor__name", "title")

    def label_from_instance(self, obj):
        return f"{obj.contractor.name}：{obj.title}"

    def label_from_row(self, contractor_name, title):
        return f"{contractor_name}：{title}"


class VendorUserChoiceField(RegisterChoiceField):
    label_columns = ("full_name", "login_id")

    def label_from_instance(self, obj):
        return f"{obj.full_name}（{obj.login_id}）"

    def label_from_row(self, full_name, login_id):
        return f"{full_name}（{login_id}）"


REGISTER_FIELDS = {"contractor": ContractorChoiceField, "contract": ContractChoiceField}


class ContractorChoiceMixin:
    def set_choices(self, contractors, contracts=None):
        self.fields["contractor"].queryset = contractors
        if "contract" in self.fields and contracts is not None:
            self.fields["contract"].queryset = contracts


class AccountLinkForm(forms.Form):
    user = VendorUserChoiceField(label=_("利用者（委託事業者の役割）"), queryset=None,
                                 help_text=_("利用者の作成と役割の設定は「職員・役割」で行います。"))
    contractor = ContractorChoiceField(label=_("委託事業者"), queryset=None)

    def __init__(self, *args, users=None, contractors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["contractor"].queryset = contractors


class OnsiteWorkForm(ContractorChoiceMixin, ServiceValidated, forms.ModelForm):
    class Meta:
        model = OnsiteWork
        fields = ["contractor", "contract", "work_date", "workers", "area", "purpose", "systems"]
        field_classes = REGISTER_FIELDS
        widgets = {"work_date": DateInput(), "purpose": forms.Textarea(attrs={"rows": 3})}


class RepairForm(ContractorChoiceMixin, ServiceValidated, forms.ModelForm):
    class Meta:
        model = Repair
        fields = ["contractor", "contract", "equipment", "storage", "fault", "storage_handling", "handling_note"]
        field_classes = REGISTER_FIELDS
        widgets = {"fault": forms.Textarea(attrs={"rows": 3}), "storage_handling": forms.RadioSelect}


class EquipmentDisposalForm(ContractorChoiceMixin, ServiceValidated, forms.ModelForm):
    class Meta:
        model = EquipmentDisposal
        fields = ["kind", "contractor", "equipment", "storage", "planned_on"]
        field_classes = REGISTER_FIELDS
        widgets = {"planned_on": DateInput(), "kind": forms.RadioSelect}


class ProvisionForm(ContractorChoiceMixin, ServiceValidated, forms.ModelForm):
    class Meta:
        model = DataProvision
        fields = ["contractor", "contract", "system_name", "data_description", "purpose", "period_start",
                  "period_end", "medium", "received_on"]
        field_classes = REGISTER_FIELDS
        widgets = {"period_start": DateInput(), "period_end": DateInput(), "received_on": DateInput(),
                   "purpose": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"data_description": _("覚書の「甲が保有する○○等に関するデータ」と第2条に入ります。")}


class ProvisionEditForm(ProvisionForm):
    class Meta(ProvisionForm.Meta):
        fields = ["system_name", "data_description", "purpose", "period_start", "period_end", "medium", "received_on"]


class FileForm(forms.Form):
    file = forms.FileField(label=_("ファイル"), help_text=FILE_HELP)
    comment = forms.CharField(label=_("コメント"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ReconfirmForm(forms.Form):
    contract = forms.ModelChoiceField(label=_("再確認した契約"), queryset=None, widget=FastSelect)
    article = forms.CharField(label=_("再確認した条項"), max_length=50, required=False,
                              help_text=_("空欄の場合は契約に登録された守秘義務条項"))
    note = forms.CharField(label=_("再確認の方法・相手"), max_length=300, required=False,
                           help_text=_("例：契約書第12条を確認し、修理担当 鈴木氏に電話で遵守を確認"))

    def __init__(self, *args, contracts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts


class AgreeMethodForm(forms.Form):
    method = forms.ChoiceField(label=_("復元不可能にする方法"), choices=EquipmentDisposal.Method.choices)
    method_detail = forms.CharField(label=_("方法の詳細"), max_length=300, required=False,
                                    help_text=_("例：NIST SP800-88 準拠ソフトで3回上書き、作業に職員が立会い"))
    agreed_with = forms.CharField(label=_("確認した相手（事業者側）"), max_length=100)


class CertificateForm(forms.Form):
    file = forms.FileField(label=_("消去・破壊証明書"), help_text=FILE_HELP)
    certificate_number = forms.CharField(label=_("証明書番号"), max_length=100, required=False)


class ProvideForm(forms.Form):
    provided_on = forms.DateField(label=_("提供日"), widget=DateInput())
    provided_medium = forms.CharField(label=_("提供した媒体"), max_length=200,
                                      help_text=_("例：暗号化USBメモリ（管理番号 UF32-0001）"))
    comment = forms.CharField(label=_("コメント"), required=False, max_length=2000)


class ReturnForm(forms.Form):
    returned_on = forms.DateField(label=_("返却日"), required=False, widget=DateInput(),
                                  help_text=_("空欄の場合は今日"))
    comment = forms.CharField(label=_("コメント"), required=False, max_length=2000)


class ErasureForm(forms.Form):
    file = forms.FileField(label=_("消去証明書"), help_text=FILE_HELP)
    erased_on = forms.DateField(label=_("消去日"), widget=DateInput())
    comment = forms.CharField(label=_("コメント"), required=False, max_length=2000)


class AccidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("事故の種類"), choices=[("leak_loss", _("紛失・漏えい")), ("theft", _("盗難"))])
    description = forms.CharField(label=_("状況"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("いつ・どこで・何が起きたか、分かっている範囲で"))
    occurred_at = forms.DateTimeField(label=_("発生日時"), required=False, widget=DateTimeInput(),
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])


class TemplateForm(forms.Form):
    text = forms.CharField(label=_("本文"), widget=forms.Textarea(attrs={"rows": 30}), max_length=20000,
                           strip=False)
    note = forms.CharField(label=_("変更の理由"), max_length=300, required=False)


def placeholder_help() -> list[tuple[str, str]]:
    return [("{" + k + "}", v) for k, v in PLACEHOLDERS.items()]
