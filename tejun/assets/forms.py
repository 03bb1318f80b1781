"""Forms of the register pages. They parse input; the services validate and save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tejun.orgs.models import Post

from .models import Asset, ClassificationLevel
from .presets import PRESETS
from .schemes import AXIS_FIELDS, preset_codes


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class LevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.code


class AssetForm(forms.ModelForm):
    """One row of the 重要性分類一覧表. Levels: the body's active scheme only; 管理者: the body's posts only."""

    class Meta:
        model = Asset
        fields = ["number", "department", "name", "business", "form", "location", "network_layer",
                  "confidentiality", "integrity", "availability", "has_personal_info",
                  "has_sensitive_personal_info", "has_specific_personal_info", "manager_post", "access_holders",
                  "retention_years", "expires_on", "external_party", "note"]
        field_classes = {"confidentiality": LevelChoiceField, "integrity": LevelChoiceField,
                         "availability": LevelChoiceField}
        widgets = {"expires_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3}),
                   "department": forms.TextInput(attrs={"list": "department-list", "autocomplete": "off"})}
        help_texts = {
            "number": _("空欄の場合は自動で採番します（IA-00001 の形式）。"),
            "department": _("例：議会事務局 議事係"),
            "location": _("例：事務局書庫キャビネットA、\\\\gikai-nas\\share\\議事、クラウド会議録システム"),
            "access_holders": _("例：議会事務局職員、議長・副議長"),
            "external_party": _("外部に提供・委託している場合はその相手先"),
            "has_specific_personal_info": _("マイナンバー（個人番号）を含む情報"),
            "has_sensitive_personal_info": _("病歴・信条・犯罪の経歴など、取扱いに特に配慮を要する個人情報"),
        }

    def __init__(self, *args, scheme, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        self.fields["number"].required = False
        for axis, name in AXIS_FIELDS.items():
            field = self.fields[name]
            field.queryset = ClassificationLevel.objects.filter(scheme=scheme, axis=axis).order_by("-rank")
            field.empty_label = _("選択してください")
        self.fields["manager_post"].queryset = Post.objects.filter(body=body).order_by("order", "name")
        self.fields["manager_post"].empty_label = _("（なし）")
        self.fields["network_layer"].choices = [("", _("該当なし"))] + [
            c for c in Asset.NetworkLayer.choices if c[0]]
        self.fields["form"].choices = [("", _("選択してください"))] + list(Asset.Form.choices)

    def _post_clean(self):
        # The service validates and saves; the form only parses input.
        pass


class LevelForm(forms.Form):
    definition = forms.CharField(label=_("定義"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    handling_restrictions = forms.CharField(
        label=_("取扱制限"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("1行に1つの制限を書いてください。"))


class ConfirmationMonthsForm(forms.Form):
    confirmation_months = forms.IntegerField(
        label=_("定期確認の周期（月）"), min_value=1, max_value=120,
        help_text=_("最後の確認（未確認の場合は登録）からこの月数が過ぎた情報資産を、管理者に確認するよう通知します。"))


class SchemeChangeForm(forms.Form):
    """The target preset, and for every level in use the code it becomes in the new scheme."""

    preset = forms.ChoiceField(label=_("変更後の分類体系"))

    def __init__(self, *args, current_preset: str, preset: str, used, suggestion: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preset"].choices = [(k, v["name"]) for k, v in PRESETS.items() if k != current_preset]
        self.fields["preset"].initial = preset
        self.used = used
        for level, count in used:
            choices = [("", _("選択してください"))] + [(code, f"{level.get_axis_display()}{code}")
                                                       for code, _b in preset_codes(preset, level.axis)]
            self.fields[f"level_{level.pk}"] = forms.ChoiceField(
                label=_("%(label)s（%(count)d件）の移行先") % {"label": level.label, "count": count},
                choices=choices, required=False, initial=suggestion.get(level.pk, ""))

    def mapping(self) -> dict[int, str]:
        return {level.pk: self.cleaned_data.get(f"level_{level.pk}", "") for level, _n in self.used}

    def level_fields(self):
        return [self[f"level_{level.pk}"] for level, _n in self.used]


class DisposeForm(forms.Form):
    confirm = forms.BooleanField(label=_("この情報資産を廃棄済にします（元には戻せません）"),
                                 error_messages={"required": _("確認のチェックを入れてください。")})
    note = forms.CharField(label=_("廃棄の記録（方法・日付など）"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))
