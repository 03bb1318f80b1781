"""Forms of the backup pages. They parse input only; the services check and write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tejun.lib.widgets import RegisterChoiceField
from tejun.orgs.models import Post, User
from tejun.vendors.models import Contractor

from .models import BackupReport, BackupTarget, CheckIn, RestoreTest


class TargetForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    kind = forms.ChoiceField(label=_("種類"), choices=BackupTarget.Kind.choices)
    description = forms.CharField(label=_("内容・保存先"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    # The body's posts, people and contractors (hundreds): options read as rows, written by FastSelect.
    responsible_post = RegisterChoiceField(label=_("責任者（役職）"), queryset=Post.objects.none(), required=False,
                                           label_columns=["name"])  # str(post)
    responsible_person = RegisterChoiceField(label=_("責任者（職員）"), queryset=User.objects.none(), required=False,
                                             label_columns=["full_name"])
    responsible_contractor = RegisterChoiceField(label=_("責任者（委託事業者）"), queryset=Contractor.objects.none(),
                                                 required=False, label_columns=["name"])  # str(contractor)
    schedule_kind = forms.ChoiceField(label=_("予定の指定方法"), choices=BackupTarget.ScheduleKind.choices,
                                      widget=forms.RadioSelect)
    cron = forms.CharField(label=_("cron 式（分 時 日 月 曜日・日本時間）"), required=False, max_length=100,
                           help_text=_("例：0 2 * * * は毎日2時0分、30 1 * * 1-5 は平日1時30分、0 9 5 * * は毎月5日9時。"))
    interval_hours = forms.IntegerField(label=_("間隔（時間）"), required=False, min_value=1,
                                        help_text=_("cron 式の代わりに、前回の成功からの時間で指定します（例：24）。"))
    grace_hours = forms.IntegerField(label=_("猶予時間（時間）"), min_value=0, initial=2,
                                     help_text=_("予定時刻からこの時間を過ぎても成功の記録がなければ「遅延」としてアラートを出します。"))
    restore_test_days = forms.IntegerField(label=_("復元テストの周期（日）"), required=False, min_value=1,
                                           help_text=_("この日数のあいだ復元テストの記録がなければ通知します。空欄：通知しない。"))
    active = forms.BooleanField(label=_("監視する"), required=False, initial=True)

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_post"].queryset = Post.objects.filter(body=body)
        self.fields["responsible_person"].queryset = User.objects.filter(body=body, is_active=True).order_by(
            "furigana", "pk")
        self.fields["responsible_person"].label_from_instance = lambda u: u.full_name
        self.fields["responsible_contractor"].queryset = Contractor.objects.filter(body=body, active=True)

    @classmethod
    def initial_from(cls, target: BackupTarget) -> dict:
        names = ("name", "kind", "description", "responsible_post", "responsible_person", "responsible_contractor",
                 "schedule_kind", "cron", "interval_hours", "grace_hours", "restore_test_days", "active")
        return {n: getattr(target, n) for n in names}


class AcknowledgeForm(forms.Form):
    note = forms.CharField(label=_("確認した内容・対応"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class CheckInForm(forms.Form):
    kind = forms.ChoiceField(label=_("結果"), choices=[(CheckIn.Kind.SUCCESS, _("成功")), (CheckIn.Kind.FAIL, _("失敗"))],
                             widget=forms.RadioSelect, initial=CheckIn.Kind.SUCCESS)
    ran_at = forms.DateTimeField(label=_("実施日時"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                 input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    file = forms.FileField(label=_("証跡（画面の写真・PDF）"), required=False,
                           help_text=_("成功のときは必須です。PNG・JPEG・PDF（10 MB まで）。"))
    note = forms.CharField(label=_("備考"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"ran_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
        super().__init__(*args, **kwargs)


class RestoreTestForm(forms.Form):
    performed_on = forms.DateField(label=_("実施日"), widget=forms.DateInput(attrs={"type": "date"}))
    restored = forms.CharField(label=_("復元したもの"), max_length=300,
                               help_text=_("例：共有フォルダ「議事録」の令和7年度分を別フォルダへ復元し、開けることを確認"))
    result = forms.ChoiceField(label=_("結果"), choices=RestoreTest.Result.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("備考"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"performed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ReportForm(forms.Form):
    period_from = forms.DateField(label=_("対象期間（開始）"), widget=forms.DateInput(attrs={"type": "date"}))
    period_to = forms.DateField(label=_("対象期間（終了）"), widget=forms.DateInput(attrs={"type": "date"}))
    last_run_at = forms.DateTimeField(label=_("最終実施日時"),
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    result = forms.ChoiceField(label=_("結果"), choices=BackupReport.Result.choices, widget=forms.RadioSelect)
    file = forms.FileField(label=_("報告書（PDF・画像）"), help_text=_("PDF・PNG・JPEG（10 MB まで）。"))
    note = forms.CharField(label=_("報告内容"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("コメント"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))
