"""Reading a page's <select> and writing the same form field the way Django's own Select does, for the tests
that FastSelect / RegisterChoiceField (tejun/lib/widgets.py) write byte for byte what Django writes."""

import re

from django import forms as django_forms
from django.forms.models import ModelChoiceIterator


def select_of(html: str, name: str) -> str:
    found = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert found, f"no select {name}"
    return found.group(0)


def as_django(form, name) -> str:
    """The bound field as Django's own Select over model instances writes it."""
    field = form.fields[name]
    field.widget = django_forms.Select(attrs=field.widget.attrs)
    field.iterator = ModelChoiceIterator
    field.widget.choices = field.choices
    return str(form[name])
