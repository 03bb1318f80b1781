from django import forms
from django.utils.translation import gettext_lazy as _

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


class TransitionForm(forms.Form):
    comment = forms.CharField(label=_("コメント"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    deputy_reason = forms.CharField(label=_("代決の理由"), required=False)
