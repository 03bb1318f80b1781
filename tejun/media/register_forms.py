"""Forms of the media register pages. They parse input; register_services validates and saves."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tejun.lib.wareki import to_wareki
from tejun.lib.widgets import RegisterChoiceField
from tejun.orgs.models import User

from .forms import DateInput
from .models import Cabinet, Medium, MediumException, StocktakeItem

# Lazy labels (translated when an option is written), as get_FOO_display() gives them.
_EXCEPTION_KINDS = dict(MediumException.Kind.choices)
_MEDIUM_KINDS = dict(Medium.Kind.choices)
_OWNERS = dict(Medium.Owner.choices)


class _ServiceValidates:
    def _post_clean(self):
        # The service validates and saves; the form only parses input.
        pass


# The choice lists of the register grow with the data (people, cabinets, exceptions, media): RegisterChoiceField
# reads their options as rows (label_from_row says what label_from_instance says) and FastSelect writes them.

class PersonChoiceField(RegisterChoiceField):
    label_columns = ("full_name", "post__name")

    def label_from_instance(self, obj):
        return f"{obj.full_name}（{obj.post.name}）" if obj.post_id else obj.full_name

    def label_from_row(self, full_name, post_name):
        return f"{full_name}（{post_name}）" if post_name is not None else full_name


def _people(body):
    return User.objects.filter(body=body, is_active=True).select_related("post").order_by("furigana", "pk")


class CabinetForm(_ServiceValidates, forms.ModelForm):
    class Meta:
        model = Cabinet
        fields = ["name", "place", "lockable", "key_custodian", "note"]
        field_classes = {"key_custodian": PersonChoiceField}
        help_texts = {
            "name": _("例：事務局書庫キャビネットA"),
            "place": _("例：議会事務局 書庫（本庁舎3階）"),
            "lockable": _("記録媒体は施錠できるキャビネットにしか保管できません（C-1(4)）。"),
        }

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_custodian"].queryset = _people(body)
        self.fields["key_custodian"].empty_label = _("（未定）")


class CabinetChoiceField(RegisterChoiceField):
    label_columns = ("name", "lockable")

    def label_from_instance(self, obj):
        return self.label_from_row(obj.name, obj.lockable)

    def label_from_row(self, name, lockable):
        return name if lockable else _("%(name)s（施錠不可：保管できません）") % {"name": name}


class LevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class ExceptionChoiceField(RegisterChoiceField):
    label_columns = ("number", "kind", "valid_from", "valid_to", "medium_description")

    def label_from_instance(self, obj):
        return self.label_from_row(obj.number, obj.kind, obj.valid_from, obj.valid_to, obj.medium_description)

    def label_from_row(self, number, kind, valid_from, valid_to, description):
        return _("%(number)s %(kind)s（%(start)s〜%(end)s）%(description)s") % {
            "number": number, "kind": _EXCEPTION_KINDS.get(kind, kind), "start": to_wareki(valid_from),
            "end": to_wareki(valid_to), "description": description[:40]}


class MediumForm(_ServiceValidates, forms.ModelForm):
    """One entry of the 記録媒体管理台帳. The status is not edited here (carry-out, disposal, stock-take)."""

    class Meta:
        model = Medium
        fields = ["kind", "product", "serial", "capacity", "encrypted", "owner", "custodian", "cabinet",
                  "highest_level", "exception", "registered_on", "note"]
        field_classes = {"custodian": PersonChoiceField, "cabinet": CabinetChoiceField,
                         "highest_level": LevelChoiceField, "exception": ExceptionChoiceField}
        widgets = {"registered_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "product": _("例：〇〇社 外付けHDD 2TB（型番 HD-XX2000）"),
            "serial": _("本体に記載の製造番号（シリアル番号）"),
            "capacity": _("例：2TB、32GB、4.7GB"),
            "highest_level": _("これまでに書き込んだデータの最も高い機密性。上げることはできても、下げることはできません。"),
            "exception": _("USBメモリ・私物の記録媒体は、本日有効な承認済みの例外措置が必要です（C-1(1)(2)）。"),
        }

    def __init__(self, *args, body, scheme, user, **kwargs):
        from tejun.assets.models import Axis, ClassificationLevel

        from . import register_selectors

        super().__init__(*args, **kwargs)
        self.fields["custodian"].queryset = _people(body)
        self.fields["cabinet"].queryset = Cabinet.objects.filter(body=body).order_by("-lockable", "name")
        self.fields["cabinet"].empty_label = _("選択してください")
        self.fields["highest_level"].queryset = ClassificationLevel.objects.filter(
            scheme=scheme, axis=Axis.CONFIDENTIALITY).select_related("scheme").order_by("-rank")
        self.fields["highest_level"].empty_label = _("（まだ書き込んでいない）")
        self.fields["exception"].queryset = register_selectors.approved_exceptions(user)
        self.fields["exception"].empty_label = _("（なし）")
        self.fields["kind"].choices = [("", _("選択してください"))] + list(Medium.Kind.choices)
        self.fields["registered_on"].required = False
        self.fields["product"].required = True  # the service requires it too: say so on the form
        if self.instance.pk:
            current = self.instance.highest_level
            if current is not None and current.scheme_id == scheme.pk:
                # Only the same level or higher can be chosen (the service refuses lower ones anyway).
                self.fields["highest_level"].queryset = self.fields["highest_level"].queryset.filter(
                    rank__gte=current.rank)
                self.fields["highest_level"].empty_label = None
            if self.instance.exception_id:
                # The linked exception stays choosable, even when it is no longer approved.
                self.fields["exception"].queryset = MediumException.objects.filter(
                    body=body).filter(pk=self.instance.exception_id) | self.fields["exception"].queryset


class DataWrittenForm(forms.Form):
    level = LevelChoiceField(label=_("書き込んだデータの機密性"), queryset=None, empty_label=_("選択してください"))

    def __init__(self, *args, scheme, **kwargs):
        from tejun.assets.models import Axis, ClassificationLevel

        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = ClassificationLevel.objects.filter(
            scheme=scheme, axis=Axis.CONFIDENTIALITY).order_by("-rank")


class MediumChoiceField(RegisterChoiceField):
    label_columns = ("number", "kind", "owner", "product")

    def label_from_instance(self, obj):
        return self.label_from_row(obj.number, obj.kind, obj.owner, obj.product)

    def label_from_row(self, number, kind, owner, product):
        return f"{number} {_MEDIUM_KINDS.get(kind, kind)}・{_OWNERS.get(owner, owner)} {product}".strip()


class ExceptionForm(_ServiceValidates, forms.ModelForm):
    class Meta:
        model = MediumException
        fields = ["kind", "purpose", "medium_description", "medium", "valid_from", "valid_to"]
        field_classes = {"medium": MediumChoiceField}
        widgets = {"valid_from": DateInput(), "valid_to": DateInput(), "purpose": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "purpose": _("例：議会だより原稿を印刷業者へ入稿するため（印刷業者の指定する形式がUSBメモリのみ）"),
            "medium_description": _("製品名・製造番号・容量など。例：〇〇社 USBメモリ 32GB（暗号化機能付き）"),
            "medium": _("既に台帳に登録してある記録媒体の場合に選びます（期間の更新など）。承認されると、その媒体に結び付けられます。"),
            "valid_to": _("有効期間は1年以内です。"),
        }

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("選択してください"))] + list(MediumException.Kind.choices)
        self.fields["medium_description"].required = False
        self.fields["medium"].queryset = (
            Medium.objects.filter(body=body).exclude(status=Medium.Status.DISPOSED)
            .filter(kind=Medium.Kind.USB) | Medium.objects.filter(body=body, owner=Medium.Owner.PRIVATE)
            .exclude(status=Medium.Status.DISPOSED)).order_by("number")
        self.fields["medium"].empty_label = _("（新しい記録媒体・未登録）")


class MarkForm(forms.Form):
    result = forms.ChoiceField(label=_("結果"), choices=StocktakeItem.Result.choices, required=False)
    note = forms.CharField(label=_("備考"), required=False, max_length=300)


class CloseStocktakeForm(forms.Form):
    unchecked_as_missing = forms.BooleanField(label=_("未確認を所在不明として完了"), required=False)


class StartStocktakeForm(forms.Form):
    note = forms.CharField(label=_("備考"), required=False, max_length=2000,
                           widget=forms.TextInput(attrs={"placeholder": _("例：令和8年度 上期の棚卸")}))
