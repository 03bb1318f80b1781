from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tejun.access.policy import can
from tejun.lib.errors import InvalidInput
from tejun.notify.models import Notification
from tejun.notify.services import mark_read
from tejun.orgs.services import change_own_password
from tejun.workflow.selectors import my_tasks

from .forms import LoginForm, PasswordChangeForm


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


def apply_errors(form, error: InvalidInput):
    """Put a service's field errors on the form; unknown fields become form-wide errors."""
    for name, messages_ in error.fields.items():
        for message in messages_ if isinstance(messages_, list | tuple) else [messages_]:
            form.add_error(name if name in form.fields else None, message)
    if not error.fields:
        form.add_error(None, error.message)


TASKS_SHOWN = 20


@login_required
def my_tasks_view(request):
    # The oldest twenty of each kind are listed (with the full count): a longer page took longer to draw than
    # to check every waiting item, and nobody works through more than that at one sitting.
    groups = my_tasks(request.user, limit_per_kind=TASKS_SHOWN)
    return render(request, "web/my_tasks.html", {"groups": groups, "total": sum(g["count"] for g in groups),
                                                 "can_create_carry_out": can(request.user, "media.create_carry_out")})


@login_required
def notifications_view(request):
    qs = Notification.objects.filter(recipient=request.user)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "web/notifications.html", {"page_obj": page, "query": ""})


@login_required
@require_POST
def notifications_read_view(request):
    mark_read(request.user)
    return redirect("notifications")


@login_required
def password_change_view(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change_own_password(request.user, old_password=form.cleaned_data["old_password"],
                                new_password=form.cleaned_data["new_password"])
        except InvalidInput as e:
            apply_errors(form, e)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("パスワードを変更しました。"))
            return redirect("my-tasks")
    return render(request, "registration/password_change.html", {
        "form": form, "expired": request.GET.get("expired") == "1" or getattr(request, "password_expired", False),
        "rules": password_validators_help_texts(),
    })
