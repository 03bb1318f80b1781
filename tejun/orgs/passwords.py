"""Password validators for procedure P-07: no birthdays, no personal details, no reuse.

Length and common-password checks stay with Django's own validators (see settings).
"""

import re
import unicodedata
from datetime import date

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# (first day, romaji initial, kanji name) of each Japanese era, newest first.
# Meiji years are counted from the start of 1868, as is customary.
ERAS = [
    (date(2019, 5, 1), "r", "令和"),
    (date(1989, 1, 8), "h", "平成"),
    (date(1926, 12, 25), "s", "昭和"),
    (date(1912, 7, 30), "t", "大正"),
    (date(1868, 1, 1), "m", "明治"),
]

_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(ord("ァ"), ord("ヶ") + 1)}


def normalize(text):
    """Full-width to ASCII (NFKC), lower case, katakana to hiragana: '１９８０' == '1980', 'ヤマダ' == 'やまだ'."""
    return unicodedata.normalize("NFKC", text).lower().translate(_KATAKANA_TO_HIRAGANA)


def japanese_era(day):
    """(romaji initial, kanji name, era year) for a date, or None before Meiji."""
    for start, initial, name in ERAS:
        if day >= start:
            return initial, name, day.year - start.year + 1
    return None


def birth_date_pattern(birth):
    """One regex matching the birth date in the forms people actually write it."""
    yyyy, yy = f"{birth.year:04d}", f"{birth.year % 100:02d}"
    mm, dd = f"{birth.month:02d}", f"{birth.day:02d}"
    # Digit runs of length >= 4 are matched anywhere: "s550115" is caught by "550115".
    digits = {
        yyyy,
        yyyy + mm + dd,
        yy + mm + dd,
        mm + dd,
        dd + mm + yyyy,
        mm + dd + yyyy,
        dd + mm + yy,
        mm + dd + yy,
    }
    # Separated forms have unpadded numbers, so they need digit boundaries: "1/15" must not hit "11/15".
    months, days = {mm, str(birth.month)}, {dd, str(birth.day)}
    separated = {f"{m}月{d}日" for m in months for d in days}
    for sep in "-/.":
        for m in months:
            for d in days:
                separated.add(f"{m}{sep}{d}")
                for y in (yyyy, yy):
                    separated.update({f"{y}{sep}{m}{sep}{d}", f"{d}{sep}{m}{sep}{y}", f"{m}{sep}{d}{sep}{y}"})
    alternatives = [re.escape(form) for form in digits]
    alternatives += [rf"(?<!\d){re.escape(form)}(?!\d)" for form in separated]
    era = japanese_era(birth)
    if era:
        initial, name, year = era
        digits_only = f"{year:02d}" + mm + dd  # "550115", "010108"
        alternatives.append(re.escape(digits_only))
        # Era plus year is enough ("s55", "昭和55", "平成元"); the year must not run on into more digits.
        years = {str(year), f"{year:02d}"}
        kanji_years = years | ({"元"} if year == 1 else set())
        alternatives.append(rf"{initial}(?:{'|'.join(years)})(?!\d)")
        alternatives.append(rf"{name}(?:{'|'.join(kanji_years)})(?!\d)")
    return re.compile("|".join(alternatives))


class BirthDateValidator:
    """Refuse passwords containing the user's birth date, Western or Japanese-era, in any usual form."""

    def validate(self, password, user=None):
        birth = getattr(user, "birth_date", None)
        if not birth:
            return
        if birth_date_pattern(birth).search(normalize(password)):
            raise ValidationError(
                _("パスワードに生年月日（またはその一部）を含めることはできません。"),
                code="password_contains_birth_date",
            )

    def get_help_text(self):
        return _("生年月日（和暦・西暦、またはその一部）を含むパスワードは使用できません。")


class PersonalInfoValidator:
    """Refuse passwords containing the login ID, name, furigana or e-mail local part.

    Messages name the kind of detail only, never the matched text.
    """

    def validate(self, password, user=None):
        if user is None:
            return
        password = normalize(password)
        errors = []
        for message, code, parts in self._checks(user):
            if any(part in password for part in parts):
                errors.append(ValidationError(message, code=code))
        if errors:
            raise ValidationError(errors)

    def _checks(self, user):
        def name_parts(value):
            # Whole name without spaces plus each part; one-character parts would refuse too much.
            words = normalize(value or "").split()
            return {p for p in ["".join(words), *words] if len(p) >= 2}

        login_id = normalize(getattr(user, "login_id", "") or "")
        local_part = normalize((getattr(user, "email", "") or "").rpartition("@")[0])
        return [
            (
                _("パスワードにログインIDを含めることはできません。"),
                "password_contains_login_id",
                {login_id} if len(login_id) >= 3 else set(),
            ),
            (
                _("パスワードに氏名を含めることはできません。"),
                "password_contains_name",
                name_parts(getattr(user, "full_name", "")),
            ),
            (
                _("パスワードに氏名のふりがなを含めることはできません。"),
                "password_contains_furigana",
                name_parts(getattr(user, "furigana", "")),
            ),
            (
                _("パスワードにメールアドレスを含めることはできません。"),
                "password_contains_email",
                {local_part} if len(local_part) >= 3 else set(),
            ),
        ]

    def get_help_text(self):
        return _("ログインID・氏名・ふりがな・メールアドレスを含むパスワードは使用できません。")


class PasswordHistoryValidator:
    """Refuse the last `count` passwords used: the current one and the `count - 1` before it.

    With count=5, after five changes the oldest of them may be used again (as "remember 5
    passwords" works elsewhere). services.set_password keeps no more history than that.
    """

    def __init__(self, count=5):
        self.count = count

    def validate(self, password, user=None):
        # Unsaved users (sign-up) have no history yet.
        if user is None or not getattr(user, "pk", None) or not hasattr(user, "password_history"):
            return
        recent = user.password_history.order_by("-created_at", "-id")[: max(self.count - 1, 0)]
        # hashers.check_password, not user.check_password: validating must never re-save the hash.
        current = bool(getattr(user, "password", "")) and check_password(password, user.password)
        if current or any(check_password(password, old.password) for old in recent):
            raise ValidationError(
                _("直近%(count)d回に使用したパスワードは再利用できません。"),
                code="password_reused",
                params={"count": self.count},
            )

    def get_help_text(self):
        return _("直近%(count)d回に使用したパスワードは再利用できません。") % {"count": self.count}
