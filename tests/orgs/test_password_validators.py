"""P-07 password validators: birth date and personal details (no database needed)."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from tejun.orgs.passwords import BirthDateValidator, PasswordHistoryValidator, PersonalInfoValidator

STRONG = "Kx7#mQv!rTz2pLw"


def make_user(**overrides):
    fields = {
        "login_id": "tyamada",
        "full_name": "山田 太郎",
        "furigana": "やまだ たろう",
        "email": "taro.yamada@example.lg.jp",
        "birth_date": date(1980, 1, 15),
    }
    return SimpleNamespace(**(fields | overrides))


def error_codes(validator, password, user):
    with pytest.raises(ValidationError) as exc:
        validator.validate(password, user)
    # Messages name the kind of detail but never echo the password or the detail itself.
    secrets = [password, "1980", "0115", "55", "tyamada", "山田", "太郎", "やまだ", "たろう", "taro.yamada"]
    for error in exc.value.error_list:
        message = str(error.message % (error.params or {}))
        assert message and not any(secret in message for secret in secrets)
    return {error.code for error in exc.value.error_list}


@pytest.mark.parametrize(
    "form",
    [
        "19800115",
        "800115",
        "0115",
        "1980",
        "550115",
        "15011980",
        "01151980",
        "1980-01-15",
        "1980/01/15",
        "1980/1/15",
        "1980.01.15",
        "1/15",
        "01/15",
        "S550115",
        "S55",
        "s55",
        "S55.1.15",
        "S55-01-15",
        "昭和55",
        "昭和55年1月15日",
        "1月15日",
    ],
)
def test_birth_date_forms_refused(form):
    password = f"Kx7#{form}!rTz"
    assert error_codes(BirthDateValidator(), password, make_user()) == {"password_contains_birth_date"}


@pytest.mark.parametrize(
    "password", ["Kx7#１９８０ｑｑ", "Kx7#ｓ５５ｑｑ", "Kx7#１／１５ｑｑ", "Kx7#㍼55ｑｑ"]
)
def test_birth_date_full_width_refused(password):
    with pytest.raises(ValidationError):
        BirthDateValidator().validate(password, make_user())


@pytest.mark.parametrize("form", ["平成元年", "平成1年", "H1", "h01", "H1.1.8", "890108", "010108"])
def test_birth_date_era_first_year_refused(form):
    user = make_user(birth_date=date(1989, 1, 8))
    with pytest.raises(ValidationError):
        BirthDateValidator().validate(f"Kx7#{form}!rTz", user)


def test_birth_date_era_boundary():
    # 1989-01-07 is still 昭和64, not 平成元年.
    user = make_user(birth_date=date(1989, 1, 7))
    with pytest.raises(ValidationError):
        BirthDateValidator().validate("Kx7#昭和64!rTz", user)
    BirthDateValidator().validate("Kx7#平成元!rTz", user)


@pytest.mark.parametrize("password", [STRONG, "Kx7#11/15!rTz", "Kx7#s550!rTz", "Kx7#昭和5!rTz"])
def test_birth_date_unrelated_accepted(password):
    BirthDateValidator().validate(password, make_user())


def test_birth_date_absent_accepted():
    BirthDateValidator().validate("Kx7#19800115!rTz", make_user(birth_date=None))
    BirthDateValidator().validate("Kx7#19800115!rTz", SimpleNamespace())
    BirthDateValidator().validate("Kx7#19800115!rTz", None)


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Kx7#TYamada!rTz", "password_contains_login_id"),
        ("Kx7#ｔｙａｍａｄａ!rTz", "password_contains_login_id"),
        ("Kx7#山田太郎!rTz", "password_contains_name"),
        ("Kx7#太郎!rTz", "password_contains_name"),
        ("Kx7#山田!rTz", "password_contains_name"),
        ("Kx7#やまだ!rTz", "password_contains_furigana"),
        ("Kx7#タロウ!rTz", "password_contains_furigana"),
        ("Kx7#Taro.Yamada!rTz", "password_contains_email"),
    ],
)
def test_personal_info_refused(password, code):
    assert code in error_codes(PersonalInfoValidator(), password, make_user())


def test_personal_info_reports_each_kind():
    codes = error_codes(PersonalInfoValidator(), "tyamada山田やまだtaro.yamada", make_user())
    assert codes == {
        "password_contains_login_id",
        "password_contains_name",
        "password_contains_furigana",
        "password_contains_email",
    }


def test_personal_info_short_values_ignored():
    user = make_user(login_id="ab", full_name="李 明", furigana="り めい", email="ab@example.jp")
    # Login ID "ab", e-mail "ab@" and one-character name parts are too short to refuse.
    PersonalInfoValidator().validate("Kx7#ab李!rTz", user)
    with pytest.raises(ValidationError):
        PersonalInfoValidator().validate("Kx7#李明!rTz", user)


def test_personal_info_unrelated_or_missing_accepted():
    PersonalInfoValidator().validate(STRONG, make_user())
    PersonalInfoValidator().validate(STRONG, SimpleNamespace())
    PersonalInfoValidator().validate(STRONG, None)


def test_history_skips_users_without_history():
    PasswordHistoryValidator().validate(STRONG, SimpleNamespace(pk=None))
    PasswordHistoryValidator(count=3).validate(STRONG, SimpleNamespace(pk=1))
    PasswordHistoryValidator().validate(STRONG, None)


def test_help_texts_are_japanese():
    for validator in (BirthDateValidator(), PersonalInfoValidator(), PasswordHistoryValidator(count=5)):
        assert validator.get_help_text().endswith("。")
    assert "5" in PasswordHistoryValidator(count=5).get_help_text()
