from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("ログインIDまたはパスワードが正しくありません。"),
        "inactive": _("このアカウントは無効です。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("ログインID")
        self.fields["password"].label = _("パスワード")


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("現在のパスワード"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password = forms.CharField(label=_("新しいパスワード"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password_again = forms.CharField(label=_("新しいパスワード（確認）"),
                                         widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("確認用のパスワードが一致しません。"))
        return data


class SecondFactorCodeForm(forms.Form):
    code = forms.CharField(label=_("確認コード"), max_length=20, help_text=_("認証アプリの6桁の数字、またはリカバリーコード"),
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text",
                                                         "autofocus": True, "spellcheck": "false"}))


class SecondFactorResetForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=200)
