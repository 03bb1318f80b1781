"""Performing a workflow transition from a page's button: one function for every request type."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tejun.lib.errors import DomainError, NotFound

from .engine import perform


class TransitionForm(forms.Form):
    comment = forms.CharField(label=gettext_lazy("コメント"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    deputy_reason = forms.CharField(label=gettext_lazy("代決の理由"), required=False)


def perform_from_post(request, obj, name: str):
    """Run transition `name` with the posted comment; flash the outcome and go back to the object."""
    form = TransitionForm(request.POST)
    form.is_valid()  # both fields are optional text: always valid
    data = form.cleaned_data
    try:
        perform(obj, name, request.user, comment=data.get("comment", ""),
                deputy_reason=data.get("deputy_reason", ""))
    except NotFound:
        raise Http404 from None
    except DomainError as e:
        messages.error(request, e.text())
    else:
        messages.success(request, _("「%(action)s」を行いました。") % {"action": obj.workflow.get(name).label})
    return redirect(obj)
