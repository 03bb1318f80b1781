import unicodedata

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tejun.lib.widgets import RegisterChoiceField
from tejun.workflow.views import TransitionForm  # noqa: F401  (re-exported for the media views)

from .models import CarryOutRequest, Medium


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CarryOutForm(forms.ModelForm):
    class Meta:
        model = CarryOutRequest
        fields = ["data_description", "confidentiality", "purpose", "destination", "encrypted",
                  "password_protected", "locked_case", "protection_note", "out_date", "due_date"]
        widgets = {"out_date": DateInput(), "due_date": DateInput(), "purpose": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "confidentiality": _("情報資産の重要性分類一覧表で確認してください。機密性2以上は保護措置が必要です。"),
            "destination": _("例：〇〇会議室（町役場本庁舎）、委託事業者の事務所"),
        }

    def _post_clean(self):
        # The service validates and saves; the form only parses input.
        pass


def medium_label(medium) -> str:
    """How a medium reads in a choice list: number, kind, product, highest classification."""
    return _medium_label(medium.number, medium.get_kind_display(), medium.product,
                         medium.highest_level.label if medium.highest_level_id else None)


def _medium_label(number, kind_label, product, level_label) -> str:
    parts = [number, str(kind_label)]
    if product:
        parts.append(product)
    if level_label is not None:
        parts.append(f"（{level_label}）")
    return " ".join(parts)


_KIND_LABELS = dict(Medium.Kind.choices)  # lazy labels: translated when an option is written (get_kind_display)


class MediumChoiceField(RegisterChoiceField):
    label_columns = ("number", "kind", "product", "highest_level__axis", "highest_level__code")

    def label_from_instance(self, obj):
        return medium_label(obj)

    def label_from_row(self, number, kind, product, level_axis, level_code):
        from tejun.assets.models import Axis

        level_label = None if level_axis is None else f"{Axis(level_axis).label}{level_code}"  # level.label
        return _medium_label(number, _KIND_LABELS.get(kind, kind), product, level_label)


# More usable media than this and a form asks for the medium's 登録番号 (with suggestions as the clerk types)
# instead of a select of every one: a council has tens of media, a large body thousands. Settings may change it
# (TEJUN_MEDIUM_SELECT_MAX).
MEDIUM_SELECT_MAX = 300


def medium_select_max() -> int:
    return int(getattr(settings, "TEJUN_MEDIUM_SELECT_MAX", MEDIUM_SELECT_MAX))


def normalise_number(text: str) -> str:
    """A typed 登録番号 as the register writes it: full-width letters, digits and hyphens made half-width."""
    return unicodedata.normalize("NFKC", text or "").strip()


class MediumNumberField(forms.Field):
    """A medium typed by its 登録番号: one of `queryset` (the media that may be chosen now), else an error
    that says why — not in the register (another body's medium reads the same), or `refusal(medium)`."""

    widget = forms.TextInput

    def __init__(self, *, queryset, known, refusal, **kwargs):
        self.queryset, self.known, self.refusal = queryset, known, refusal
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value.number if isinstance(value, Medium) else value

    def to_python(self, value):
        typed = str(value or "").strip()[:100]
        if not typed:
            return None
        number = normalise_number(typed)
        exact = {typed, number, number.upper()}  # through the (body, number) index
        for lookup in ({"number__in": exact}, {"number__iexact": number}):  # then any letter case (a scan)
            found = {m.number: m for m in self.queryset.filter(**lookup)[:3]}
            if len(found) == 1:
                return next(iter(found.values()))
            if found:  # numbers that differ only in letter case: the one typed, else ask for it
                chosen = found.get(typed) or found.get(number)
                if chosen is None:
                    raise ValidationError(_("登録番号「%(number)s」に当たる記録媒体が複数あります。大文字・小文字も"
                                            "台帳のとおりに入力してください。"), code="ambiguous", params={"number": typed})
                return chosen
            known = list(self.known.filter(**lookup)[:1])
            if known:
                raise ValidationError(self.refusal(known[0]), code="unusable")
        # Another body's medium too: nothing says it exists.
        raise ValidationError(_("登録番号「%(number)s」の記録媒体は記録媒体管理台帳にありません。"),
                              code="unknown", params={"number": typed})


class MediumPicker:
    """The form's `medium`: a select of the media that may be chosen now, or, when they are more than
    medium_select_max(), a text input for the 登録番号 that the server resolves, with suggestions fetched from
    `search_url` by media/medium_picker.js."""

    medium_by_number = False
    medium_count = 0  # how many media may be chosen, up to medium_select_max() + 1

    def set_medium_choices(self, usable, *, body_id, refusal, search_url):
        field = self.fields["medium"]
        limit = medium_select_max()
        self.medium_count = len(usable.order_by().values_list("pk", flat=True)[:limit + 1])
        field.queryset = usable
        if self.medium_count <= limit:
            return
        self.medium_by_number = True
        help_text = _("記録媒体の登録番号（例：MD-00001）を入力してください。入力すると、選べる記録媒体の候補を"
                      "登録番号・製品名から表示します。")
        number_field = MediumNumberField(
            queryset=usable, known=Medium.objects.filter(body_id=body_id or -1), refusal=refusal,
            label=field.label, required=field.required, help_text=f"{help_text}{field.help_text}",
            widget=forms.TextInput(attrs={
                "autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters", "maxlength": "100",
                "class": "medium-number", "data-medium-search": search_url, "data-list-label": _("記録媒体の候補"),
                "data-none-text": _("該当する記録媒体はありません。"),
                "data-more-text": _("ほかにも該当する記録媒体があります。続けて入力して絞り込んでください。"),
                "data-error-text": _("候補を読み込めませんでした。登録番号をそのまま入力してください。")}))
        self.fields["medium"] = number_field
        initial = self.initial.get("medium")
        if initial not in (None, "") and not self.is_bound:
            pk = initial.pk if isinstance(initial, Medium) else initial
            self.initial["medium"] = (number_field.known.filter(pk=pk).values_list("number", flat=True).first()
                                      if str(pk).isdigit() else None)


class CarryOutMediumMixin(MediumPicker, forms.Form):
    """The registered medium a copy travels on: the form offers the body's media that may be used now."""

    medium = MediumChoiceField(
        label=_("記録媒体"), required=False, queryset=None, empty_label=_("（登録済みの記録媒体を使わない）"),
        help_text=_("記録媒体管理台帳に登録された媒体で持ち出すときに選択します。廃棄済・紛失・持出中の媒体と、"
                    "有効な例外措置のないUSBメモリ・私物の媒体は選べません。"))

    def set_media(self, user, *, include=None):
        from . import selectors

        self.set_medium_choices(
            selectors.usable_media(user, include=include), body_id=user.body_id,
            refusal=lambda medium: selectors.carry_out_refusal(user, medium),
            search_url=reverse("carry-out-media"))


class CarryOutWithMediumForm(CarryOutMediumMixin, CarryOutForm):
    field_order = ["medium", "data_description", "confidentiality", "purpose", "destination", "encrypted",
                   "password_protected", "locked_case", "protection_note", "out_date", "due_date"]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DisposalForm(MediumPicker, forms.Form):
    """廃棄申請 (P-02): the service checks the medium, the reason and the classification.

    With `user`, the medium is one the user may ask to dispose of now (a select, or the 登録番号 when many)."""

    medium = MediumChoiceField(label=_("記録媒体"), queryset=None)
    reason = forms.CharField(label=_("廃棄の理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("例：故障のため、容量不足により更新するため"))
    highest_level = forms.ModelChoiceField(
        label=_("含まれるデータの最高機密性"), queryset=None, required=False,
        empty_label=_("（記録媒体管理台帳のとおり）"),
        help_text=_("機密性2以上のデータを含む媒体は、責任者の承認と物理的な破壊（破砕・穿孔・裁断）が必要です。"
                    "台帳の記録より低い分類は選べません。"))

    def __init__(self, *args, user=None, levels=(), **kwargs):
        from tejun.assets.models import ClassificationLevel

        from . import disposal_selectors

        super().__init__(*args, **kwargs)
        if user is not None:
            self.set_medium_choices(
                disposal_selectors.disposable_media(user), body_id=user.body_id,
                refusal=lambda medium: disposal_selectors.disposal_refusal(user, medium),
                search_url=reverse("disposal-media"))
        self.fields["highest_level"].queryset = ClassificationLevel.objects.filter(pk__in=[lv.pk for lv in levels])
        self.fields["highest_level"].label_from_instance = lambda lv: lv.label


class DisposalEditForm(DisposalForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["medium"]


class DestructionForm(forms.Form):
    """破壊記録: how, by whom, witnessed by whom, when, where; evidence for class 2 or higher."""

    method = forms.ChoiceField(label=_("方法"), widget=forms.RadioSelect)
    performer = forms.CharField(label=_("実施者"), max_length=100, help_text=_("氏名（委託業者の場合は会社名と氏名）"))
    witness = forms.CharField(label=_("立会者"), max_length=100, help_text=_("実施者とは別の職員"))
    performed_at = forms.DateTimeField(label=_("実施日時"), widget=DateTimeInput(),
                                       input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label=_("場所"), max_length=200)
    certificate_number = forms.CharField(label=_("証明書番号"), max_length=100, required=False,
                                         help_text=_("委託業者が発行した破壊・消去証明書の番号"))
    file = forms.FileField(label=_("写真・証明書ファイル"), required=False,
                           help_text=_("PNG・JPEG・PDF（10MBまで）。ファイルの中身で形式を確認します。"))
    comment = forms.CharField(label=_("コメント"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, physical_only=False, **kwargs):
        from .models import DestructionRecord

        super().__init__(*args, **kwargs)
        methods = DestructionRecord.Method.choices
        if physical_only:
            methods = [(k, v) for k, v in methods if k in DestructionRecord.PHYSICAL]
            self.fields["file"].help_text = _("機密性2以上のため、写真・証明書のファイルか証明書番号のどちらかが必要です。"
                                              "PNG・JPEG・PDF（10MBまで）。")
        self.fields["method"].choices = methods

