from django import forms
from django.utils.translation import gettext_lazy as _

from tejun.workflow.views import TransitionForm  # noqa: F401  (re-exported for the media views)

from .models import CarryOutRequest


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CarryOutForm(forms.ModelForm):
    class Meta:
        model = CarryOutRequest
        fields = ["data_description", "confidentiality", "purpose", "destination", "encrypted",
                  "password_protected", "locked_case", "protection_note", "out_date", "due_date"]
        widgets = {"out_date": DateInput(), "due_date": DateInput(), "purpose": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "confidentiality": _("情報資産の重要性分類一覧表で確認してください。機密性2以上は保護措置が必要です。"),
            "destination": _("例：〇〇会議室（町役場本庁舎）、委託事業者の事務所"),
        }

    def _post_clean(self):
        # The service validates and saves; the form only parses input.
        pass


def medium_label(medium) -> str:
    """How a medium reads in a choice list: number, kind, product, highest classification."""
    parts = [medium.number, medium.get_kind_display()]
    if medium.product:
        parts.append(medium.product)
    if medium.highest_level_id:
        parts.append(f"（{medium.highest_level.label}）")
    return " ".join(parts)


class MediumChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return medium_label(obj)


class CarryOutMediumMixin(forms.Form):
    """The registered medium a copy travels on: the form offers the body's media that may be used now."""

    medium = MediumChoiceField(
        label=_("記録媒体"), required=False, queryset=None, empty_label=_("（登録済みの記録媒体を使わない）"),
        help_text=_("記録媒体管理台帳に登録された媒体で持ち出すときに選択します。廃棄済・紛失・持出中の媒体と、"
                    "有効な例外措置のないUSBメモリ・私物の媒体は選べません。"))

    def set_media(self, media):
        from .models import Medium

        self.fields["medium"].queryset = (Medium.objects.filter(pk__in=[m.pk for m in media])
                                          .select_related("highest_level").order_by("number"))


class CarryOutWithMediumForm(CarryOutMediumMixin, CarryOutForm):
    field_order = ["medium", "data_description", "confidentiality", "purpose", "destination", "encrypted",
                   "password_protected", "locked_case", "protection_note", "out_date", "due_date"]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DisposalForm(forms.Form):
    """廃棄申請 (P-02): the service checks the medium, the reason and the classification."""

    medium = MediumChoiceField(label=_("記録媒体"), queryset=None)
    reason = forms.CharField(label=_("廃棄の理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("例：故障のため、容量不足により更新するため"))
    highest_level = forms.ModelChoiceField(
        label=_("含まれるデータの最高機密性"), queryset=None, required=False,
        empty_label=_("（記録媒体管理台帳のとおり）"),
        help_text=_("機密性2以上のデータを含む媒体は、責任者の承認と物理的な破壊（破砕・穿孔・裁断）が必要です。"
                    "台帳の記録より低い分類は選べません。"))

    def __init__(self, *args, media=(), levels=(), **kwargs):
        from tejun.assets.models import ClassificationLevel

        from .models import Medium

        super().__init__(*args, **kwargs)
        self.fields["medium"].queryset = (Medium.objects.filter(pk__in=[m.pk for m in media])
                                          .select_related("highest_level").order_by("number"))
        self.fields["highest_level"].queryset = ClassificationLevel.objects.filter(pk__in=[lv.pk for lv in levels])
        self.fields["highest_level"].label_from_instance = lambda lv: lv.label


class DisposalEditForm(DisposalForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["medium"]


class DestructionForm(forms.Form):
    """破壊記録: how, by whom, witnessed by whom, when, where; evidence for class 2 or higher."""

    method = forms.ChoiceField(label=_("方法"), widget=forms.RadioSelect)
    performer = forms.CharField(label=_("実施者"), max_length=100, help_text=_("氏名（委託業者の場合は会社名と氏名）"))
    witness = forms.CharField(label=_("立会者"), max_length=100, help_text=_("実施者とは別の職員"))
    performed_at = forms.DateTimeField(label=_("実施日時"), widget=DateTimeInput(),
                                       input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label=_("場所"), max_length=200)
    certificate_number = forms.CharField(label=_("証明書番号"), max_length=100, required=False,
                                         help_text=_("委託業者が発行した破壊・消去証明書の番号"))
    file = forms.FileField(label=_("写真・証明書ファイル"), required=False,
                           help_text=_("PNG・JPEG・PDF（10MBまで）。ファイルの中身で形式を確認します。"))
    comment = forms.CharField(label=_("コメント"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, physical_only=False, **kwargs):
        from .models import DestructionRecord

        super().__init__(*args, **kwargs)
        methods = DestructionRecord.Method.choices
        if physical_only:
            methods = [(k, v) for k, v in methods if k in DestructionRecord.PHYSICAL]
            self.fields["file"].help_text = _("機密性2以上のため、写真・証明書のファイルか証明書番号のどちらかが必要です。"
                                              "PNG・JPEG・PDF（10MBまで）。")
        self.fields["method"].choices = methods

