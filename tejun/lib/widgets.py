"""Form widgets (and the choice field that uses them) shared by every app.

FastSelect renders exactly the HTML of Django's Select (django/forms/widgets/select.html and
select_option.html: the same attributes, the selected option, optgroups, escaping, whitespace) but builds the
option strings directly instead of rendering a template per option: tens of microseconds per option, which
made a form offering a register of a few thousand rows (contractors, contracts, people, media) take hundreds of
milliseconds. Every choice field whose choices grow with the data uses it; a choice list of a fixed handful
(the classification levels, a model's TextChoices) may keep Django's widget.
"""

from html import escape as _escape

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.safestring import mark_safe


def _text(value) -> str:
    """{{ value }} in a template: safe strings as they are, anything else as str() escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape(str(value))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: False drops the attribute, True writes its name alone."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {_text(name)}")
        else:
            out.append(f' {_text(name)}="{_escape(str(value))}"')  # |stringformat:'s': always escaped
    return "".join(out)


class FastSelect(forms.Select):
    """forms.Select with the options written by Python (same output, a hundred times faster per option)."""

    def render(self, name, value, attrs=None, renderer=None):
        context = forms.Widget.get_context(self, name, value, attrs)["widget"]  # name, value list, attrs
        select_attrs = context["attrs"]
        if self.allow_multiple_selected:
            select_attrs["multiple"] = True
        values = set(context["value"])
        multiple = self.allow_multiple_selected
        has_selected = False
        parts = [f'<select name="{_text(name)}"{_attrs(select_attrs)}>']
        append = parts.append
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            grouped = isinstance(option_label, (list, tuple))
            if grouped:
                append(f'\n  <optgroup label="{_text(option_value)}">')
                group = option_label
            else:
                group = ((option_value, option_label),)
            for sub_value, sub_label in group:
                selected = (not has_selected or multiple) and str(sub_value) in values
                has_selected |= selected
                append(f'\n  <option value="{_escape(str(sub_value))}"{" selected" if selected else ""}>'
                       f"{_text(sub_label)}</option>\n")
            if grouped:
                append("\n  </optgroup>")
        append("\n</select>")  # the form renderer strips the template's final newline
        return mark_safe("".join(parts))  # noqa: S308  (every value and label escaped above)


class FastSelectMultiple(FastSelect, forms.SelectMultiple):
    """forms.SelectMultiple, written like FastSelect."""


class RowChoiceIterator(ModelChoiceIterator):
    """The options of a RegisterChoiceField read as rows (values_list) of the columns its labels need: no model
    instance per option (the ORM's instances cost more than the option's HTML on a register of a thousand rows)."""

    def __iter__(self):
        field = self.field
        if not field.label_columns:
            yield from super().__iter__()
            return
        if field.empty_label is not None:
            yield ("", field.empty_label)
        for key, *values in self.queryset.values_list(field.to_field_name or "pk", *field.label_columns):
            yield (key, field.label_from_row(*values))


class RegisterChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose choices grow with the data (contractors, contracts, people, media): written by
    FastSelect, and, with `label_columns`, its options read as rows of those columns and labelled by
    label_from_row(*values), which must say what label_from_instance says (validation and the rest of Django
    still read whole instances). Without label_columns: label_from_instance on instances, as Django does."""

    widget = FastSelect
    iterator = RowChoiceIterator
    label_columns: tuple = ()

    def __init__(self, *args, label_columns=None, **kwargs):
        if label_columns is not None:
            self.label_columns = tuple(label_columns)
        super().__init__(*args, **kwargs)

    def label_from_row(self, *values) -> str:
        """The label of one row: its only column, as str() of an instance reads (override for more columns)."""
        (value,) = values
        return str(value)
