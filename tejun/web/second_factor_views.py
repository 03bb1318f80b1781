"""The second factor's pages: set-up with a QR code, the code after the password, and the status page."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tejun.access.policy import can, visible
from tejun.lib.errors import DomainError, InvalidInput
from tejun.orgs import second_factor
from tejun.orgs.middleware import SECOND_FACTOR_OK
from tejun.orgs.models import User

from .forms import SecondFactorCodeForm, SecondFactorResetForm

MAX_FAILURES = 5


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/tasks/"


@login_required
def verify_view(request):
    """The second step of a login, for a person with a confirmed authenticator app."""
    if request.session.get(SECOND_FACTOR_OK):
        return redirect(_next(request))
    if second_factor.confirmed_device(request.user) is None:
        return redirect("second-factor-setup")
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            used = second_factor.verify(request.user, form.cleaned_data["code"])
        except InvalidInput as e:
            failures = request.session.get("tejun_second_factor_failures", 0) + 1
            request.session["tejun_second_factor_failures"] = failures
            if failures >= MAX_FAILURES:  # start again from the password (which django-axes counts)
                logout(request)
                messages.error(request, _("確認コードの誤りが続いたため、ログインを取り消しました。もう一度ログインしてください。"))
                return redirect("login")
            form.add_error("code", e.message)
        else:
            request.session.pop("tejun_second_factor_failures", None)
            request.session[SECOND_FACTOR_OK] = used
            if used == "recovery":
                left = second_factor.unused_recovery_codes(request.user)
                messages.warning(request, _("リカバリーコードを使いました（残り %(n)d 個）。認証アプリを確認してください。") % {"n": left})
            return redirect(_next(request))
    return render(request, "web/second_factor_verify.html", {"form": form, "next": _next(request)}, status=400 if form.errors else 200)


@login_required
def setup_view(request):
    """Show the QR code of a new secret; a code from the app puts it in force and shows the recovery codes once."""
    if second_factor.confirmed_device(request.user) is not None:
        return redirect("second-factor")
    setup = second_factor.pending_setup(request.user) or second_factor.begin_setup(request.user)
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = second_factor.confirm_setup(request.user, form.cleaned_data["code"])
        except DomainError as e:
            form.add_error("code", e.message)
        else:
            request.session[SECOND_FACTOR_OK] = "totp"
            return render(request, "web/second_factor_codes.html", {"codes": codes, "next": _next(request)})
    return render(request, "web/second_factor_setup.html", {
        "form": form, "setup": setup, "next": _next(request), "required": second_factor.required(request.user),
        "secret_groups": [setup.secret[i:i + 4] for i in range(0, len(setup.secret), 4)],
    }, status=400 if form.errors else 200)


@login_required
def status_view(request):
    device = second_factor.confirmed_device(request.user)
    return render(request, "web/second_factor_status.html", {
        "device": device, "required": second_factor.required(request.user),
        "unused_codes": second_factor.unused_recovery_codes(request.user) if device else 0,
    })


@login_required
@require_POST
def reset_view(request, pk):
    """An administrator removes a person's second factor (a lost phone)."""
    person = get_object_or_404(visible(request.user, User), pk=pk)  # another body's person: 404
    if not can(request.user, "orgs.manage_people", person):
        return render(request, "web/forbidden.html", {"message": _("二要素認証をリセットする権限がありません。")}, status=403)
    form = SecondFactorResetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("リセットの理由を入力してください。"))
        return redirect("people")
    try:
        second_factor.reset(request.user, person, reason=form.cleaned_data["reason"])
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("%(name)s さんの二要素認証をリセットしました。次のログインで設定し直します。") % {"name": person.full_name})
    return redirect("people")
