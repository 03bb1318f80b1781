"""FastSelect writes what Django's Select writes; RegisterChoiceField's rows give the labels its instances give.

Django's widgets are the reference: each case renders the same field both ways and compares the HTML byte for byte
(selected option, empty label, escaping of < & " ', safe strings, optgroups, attributes, required, multiple)."""

import pytest
from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.safestring import mark_safe

from tejun.lib.widgets import FastSelect, FastSelectMultiple, RegisterChoiceField
from tejun.orgs.models import Post
from tejun.vendors.models import Contractor

CHOICES = [
    ("", "---------"),
    (1, 'A<B & "C" \'D\''),
    ("x'y\"<z>", "値に記号"),
    ("safe", mark_safe("<b>既に安全</b>")),
    ("群", [(3, "三"), ("4", "四 & <五>")]),
    (None, "値なし"),
    (5, 5),
]
VALUES = [None, "", 1, "1", "x'y\"<z>", 3, "4", "5", [1, 3], ["4", "x'y\"<z>"], "not-a-choice"]
ATTRS = [None, {"id": "id_f", "required": True, "class": 'a"b<c', "disabled": False, "data-n": 0,
                "aria-describedby": "id_f_helptext"}]


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", VALUES)
def test_fast_select_writes_what_select_writes(value, attrs):
    for django_widget, fast_widget in ((forms.Select, FastSelect), (forms.SelectMultiple, FastSelectMultiple)):
        expected = django_widget(choices=CHOICES, attrs={"title": "t&t"}).render("na<me", value, attrs)
        actual = fast_widget(choices=CHOICES, attrs={"title": "t&t"}).render("na<me", value, attrs)
        assert actual == expected


def test_only_the_first_matching_option_is_selected_in_a_single_select():
    choices = [("1", "a"), (1, "b")]
    html = FastSelect(choices=choices).render("n", "1")
    assert html == forms.Select(choices=choices).render("n", "1")
    assert html.count(" selected") == 1


class _Form(forms.Form):
    fast = RegisterChoiceField(queryset=Contractor.objects.none(), label_columns=["name"], required=False)
    plain = forms.ModelChoiceField(queryset=Contractor.objects.none(), required=False)


def _as_django(form, name):
    """The same bound field rendered by Django's Select over model instances."""
    field = form.fields[name]
    field.widget = forms.Select(attrs=field.widget.attrs)
    field.iterator = ModelChoiceIterator
    field.widget.choices = field.choices
    return str(form[name])


@pytest.mark.django_db
def test_register_choice_field_renders_like_a_model_choice_field(body, django_assert_num_queries):
    names = ["〇〇システム株式会社", '<script>"A&B"</script>', "△△情報サービス", "O'Reilly 商会"]
    made = [Contractor.objects.create(body=body, name=n) for n in names]
    qs = Contractor.objects.filter(body=body)
    for initial in (None, made[1].pk, str(made[3].pk)):
        form = _Form(initial={"fast": initial})
        form.fields["fast"].queryset = qs
        with django_assert_num_queries(1):  # one query for every option, none per option
            fast = str(form["fast"])
        assert fast == _as_django(form, "fast")
        assert f'value="{made[1].pk}"' in fast
        assert "&lt;script&gt;&quot;A&amp;B&quot;&lt;/script&gt;" in fast and "<script>" not in fast
        if initial is not None:
            assert f'<option value="{initial}" selected>' in fast
    bound = _Form(data={"fast": str(made[2].pk)})
    bound.fields["fast"].queryset = qs
    assert bound.is_valid() and bound.cleaned_data["fast"] == made[2]  # validation reads the instance
    assert f'<option value="{made[2].pk}" selected>' in str(bound["fast"])


@pytest.mark.django_db
def test_required_and_no_empty_label_as_django_has_them(body):
    post = Post.objects.create(body=body, name="議会事務局長")
    for required, empty_label in ((True, "---------"), (True, None), (False, "（なし）")):
        field = RegisterChoiceField(queryset=Post.objects.filter(body=body), label_columns=["name"],
                                    required=required, empty_label=empty_label)
        form = forms.Form()
        form.fields["post"] = field
        fast = str(form["post"])
        assert fast == _as_django(form, "post")
        assert (" required" in fast) == (required and empty_label is not None)
        assert f'<option value="{post.pk}">議会事務局長</option>' in fast


@pytest.mark.django_db
def test_without_label_columns_the_options_come_from_instances(body, django_assert_num_queries):
    Contractor.objects.create(body=body, name="乙社")
    field = RegisterChoiceField(queryset=Contractor.objects.filter(body=body))
    field.label_from_instance = lambda c: f"[{c.name}]"
    with django_assert_num_queries(1):
        assert [label for _v, label in field.choices] == ["---------", "[乙社]"]
