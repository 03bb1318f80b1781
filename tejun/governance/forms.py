"""Forms parse input; the services validate and save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tejun.lib.widgets import FastSelect
from tejun.media.forms import DateInput

from .models import InspectionAnswer, PolicyReview


def _people_choices(people):
    return [("", "---------")] + [(p.pk, p.full_name + (f"（{p.post.name}）" if p.post_id else "")) for p in people]


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=200)
    review_cycle_months = forms.IntegerField(label=_("見直しの周期（月）"), min_value=1, max_value=120)
    next_review_due = forms.DateField(label=_("次回見直し期限"), required=False, widget=DateInput())
    requires_acknowledgement = forms.BooleanField(label=_("職員の周知確認を求める"), required=False)


class VersionForm(forms.Form):
    file = forms.FileField(label=_("ファイル"), help_text=_("PDF・Word（.docx）・Excel（.xlsx）、10MBまで。"
                                                             "ファイルの中身で形式を確認します。"))
    effective_on = forms.DateField(label=_("施行日"), widget=DateInput())
    summary = forms.CharField(label=_("改定内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("見直し日"), widget=DateInput())
    outcome = forms.ChoiceField(label=_("結果"), choices=PolicyReview.Outcome.choices, widget=forms.RadioSelect)
    changes = forms.CharField(label=_("見直しの内容"), widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("何を確認し、何を変えたか（変えなかった場合はその理由）"))
    version = forms.TypedChoiceField(label=_("改定後の版"), required=False, coerce=int, empty_value=None,
                                     help_text=_("改定ありの場合は、先に新しい版を登録して選んでください。"))
    approved_by = forms.TypedChoiceField(label=_("承認者"), coerce=int, widget=FastSelect)  # every member of staff
    approved_on = forms.DateField(label=_("承認日"), widget=DateInput())
    next_review_due = forms.DateField(label=_("次回見直し期限"), required=False, widget=DateInput(),
                                      help_text=_("空欄の場合は、見直し日から見直しの周期だけ後の日になります。"))

    def __init__(self, *args, people=(), versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approved_by"].choices = _people_choices(people)
        self.fields["version"].choices = [("", _("（なし）"))] + [(v.pk, f"{v.label} {v.file_name}") for v in versions]


class CampaignForm(forms.Form):
    fiscal_year = forms.IntegerField(label=_("年度（西暦）"), min_value=2000, max_value=2200,
                                     help_text=_("例：2026 は令和8年度（4月1日から翌年3月31日）"))
    due_on = forms.DateField(label=_("回答期限"), widget=DateInput())
    title = forms.CharField(label=_("名称"), max_length=200, required=False,
                            help_text=_("空欄の場合は「令和◯年度 情報セキュリティ自己点検」"))


class ActionForm(forms.Form):
    item = forms.TypedChoiceField(label=_("点検項目"), coerce=int, required=False, empty_value=None)
    description = forms.CharField(label=_("改善措置"), widget=forms.Textarea(attrs={"rows": 2}))
    assignee = forms.TypedChoiceField(label=_("担当者"), coerce=int, widget=FastSelect)  # every member of staff
    due_on = forms.DateField(label=_("期限"), widget=DateInput())

    def __init__(self, *args, items=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", _("（項目を特定しない）"))] + [(i.pk, f"{i.code} {i.text[:40]}") for i in items]
        self.fields["assignee"].choices = _people_choices(people)


class ChecklistItemForm(forms.Form):
    code = forms.CharField(label=_("項目番号"), max_length=20, help_text=_("例：C4-3"))
    procedure = forms.CharField(label=_("根拠"), max_length=30, required=False, help_text=_("例：C-4、P-07"))
    text = forms.CharField(label=_("点検項目"), widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("「はい」が望ましい状態になるように書いてください。"))


class CompleteActionForm(forms.Form):
    result = forms.CharField(label=_("実施結果"), widget=forms.Textarea(attrs={"rows": 2}))
    done_on = forms.DateField(label=_("完了日"), widget=DateInput(), required=False)


ANSWER_CHOICES = InspectionAnswer.Answer.choices


def answers_from_post(data, items) -> dict:
    """{item_id: (answer, note)} from item_<id> / note_<id> fields of the answer sheet."""
    return {i.pk: (data.get(f"item_{i.pk}", ""), data.get(f"note_{i.pk}", "")) for i in items}
