"""The person's notification settings: single e-mails or one daily digest."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tejun.lib.errors import InvalidInput

from .models import Preference
from .services import email_mode_of, set_email_mode


class PreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(label=gettext_lazy("メールの受け取り方"), choices=Preference.EmailMode.choices,
                                   widget=forms.RadioSelect,
                                   help_text=gettext_lazy("画面の通知はどちらの場合もすぐに表示されます。"))


@login_required
def preferences_view(request):
    form = PreferenceForm(request.POST or None, initial={"email_mode": email_mode_of(request.user)})
    if request.method == "POST" and form.is_valid():
        try:
            set_email_mode(actor=request.user, email_mode=form.cleaned_data["email_mode"])
        except InvalidInput as e:
            form.add_error("email_mode", e.text())
        else:
            messages.success(request, _("通知の設定を保存しました。"))
            return redirect("notifications")
    return render(request, "notify/preferences.html", {"form": form, "has_email": bool(request.user.email)},
                  status=400 if form.errors else 200)
