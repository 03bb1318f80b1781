from django import forms
from django.utils.translation import gettext_lazy as _

from tejun.lib.widgets import FastSelect


class AuditFilterForm(forms.Form):
    actor = forms.ModelChoiceField(label=_("実行者"), queryset=None, required=False, empty_label=_("すべて"),
                                   widget=FastSelect)  # every person of the body
    action = forms.CharField(label=_("操作"), required=False)
    object_type = forms.CharField(label=_("対象の種類"), required=False)
    object_id = forms.CharField(label=_("対象ID"), required=False)
    date_from = forms.DateField(label=_("期間（から）"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("期間（まで）"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = people
