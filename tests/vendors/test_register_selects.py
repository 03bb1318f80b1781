"""The contractor, contract and account selects of the vendor forms (issue 8): written by FastSelect from rows,
they are byte for byte what Django's Select writes from model instances; labels and values unchanged; the page's
queries do not grow with the register."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tejun.orgs.roles import Role
from tejun.vendors import forms
from tejun.vendors.models import Contract, Contractor, OnsiteWork
from tejun.vendors.views import _contract_choices, _contractor_choices, _linkable_users

from ..factories import UserFactory, give_role
from ..selects import as_django, select_of

PAGES = [("/vendors/onsite/new/", forms.OnsiteWorkForm, True), ("/vendors/repairs/new/", forms.RepairForm, True),
         ("/vendors/provisions/new/", forms.ProvisionForm, True),
         ("/vendors/disposals/new/", forms.EquipmentDisposalForm, False)]


@pytest.fixture
def register(body, other_body, contractor, contract):
    """Contractors whose names need escaping, an inactive one, another body's; contracts of each."""
    made = [Contractor.objects.create(body=body, name=name) for name in
            ['<b>"A&B" 商会</b>', "O'Reilly 情報", "株式会社 ＜全角＞"]]
    Contractor.objects.create(body=body, name="休止中の事業者", active=False)
    theirs = Contractor.objects.create(body=other_body, name="よその事業者")
    start = timezone.localdate() - timedelta(days=10)
    for c in [*made, theirs]:
        Contract.objects.create(body=c.body, contractor=c, title=f"{c.name} の保守 & <点検>", starts_on=start)
    return made


@pytest.mark.parametrize(("path", "form_class", "has_contract"), PAGES)
def test_the_pages_selects_are_what_django_writes(login, staff_in_charge, register, contractor, path, form_class,
                                                   has_contract):
    page = login(staff_in_charge).get(f"{path}?contractor={register[0].pk}").content.decode()
    form = form_class(initial={"contractor": str(register[0].pk)})
    form.set_choices(_contractor_choices(staff_in_charge),
                     _contract_choices(staff_in_charge) if has_contract else None)
    assert select_of(page, "contractor") == as_django(form, "contractor")
    contractors = select_of(page, "contractor")
    assert f'<option value="{register[0].pk}" selected>&lt;b&gt;&quot;A&amp;B&quot; 商会&lt;/b&gt;</option>' in contractors
    assert "O&#x27;Reilly 情報" in contractors and "休止中の事業者" not in contractors
    assert "よその事業者" not in page
    if has_contract:
        assert select_of(page, "contract") == as_django(form, "contract")
        assert "〇〇システム株式会社：会議録検索システム構築業務委託" in select_of(page, "contract")


def test_a_refused_post_shows_the_choice_again(login, staff_in_charge, contractor, contract, register):
    response = login(staff_in_charge).post("/vendors/onsite/new/", {"contractor": register[1].pk,
                                                                   "contract": contract.pk})
    assert response.status_code == 400
    page = response.content.decode()
    assert f'<option value="{register[1].pk}" selected>' in select_of(page, "contractor")
    assert f'<option value="{contract.pk}" selected>' in select_of(page, "contract")


def test_posting_a_choice_still_records(login, staff_in_charge, contractor, contract):
    response = login(staff_in_charge).post("/vendors/onsite/new/", {
        "contractor": contractor.pk, "contract": contract.pk, "work_date": timezone.localdate().isoformat(),
        "workers": "佐藤 隆", "area": "議会事務局", "purpose": "定期点検", "systems": "会議録検索サーバー"})
    assert response.status_code == 302
    work = OnsiteWork.objects.get()
    assert (work.contractor, work.contract) == (contractor, contract)


def test_another_bodys_contractor_posted_anyway_is_refused(login, staff_in_charge, register, contract):
    theirs = Contractor.objects.get(name="よその事業者")
    response = login(staff_in_charge).post("/vendors/onsite/new/", {"contractor": theirs.pk, "contract": contract.pk})
    assert response.status_code == 400
    assert "選択したものは候補にありません" in response.content.decode()


def test_account_page_selects(login, staff_in_charge, register, body):
    for n in range(2):
        user = UserFactory(body=body, login_id=f"vendor-x{n}", full_name=f'業者 <"{n}">')
        give_role(user, Role.VENDOR)
    page = login(staff_in_charge).get("/vendors/accounts/").content.decode()
    form = forms.AccountLinkForm(users=_linkable_users(staff_in_charge), contractors=_contractor_choices(staff_in_charge))
    assert select_of(page, "user") == as_django(form, "user")
    assert select_of(page, "contractor") == as_django(form, "contractor")
    assert "業者 &lt;&quot;0&quot;&gt;（vendor-x0）" in select_of(page, "user")


def test_the_queries_do_not_grow_with_the_register(login, staff_in_charge, register, body):
    client = login(staff_in_charge)

    def count(path):
        client.get(path)  # warm: the session, the roles
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    before = {path: count(path) for path, _f, _c in PAGES}
    before["/vendors/accounts/"] = count("/vendors/accounts/")
    for n in range(30):
        c = Contractor.objects.create(body=body, name=f"追加事業者 {n:02d}")
        Contract.objects.create(body=body, contractor=c, title="追加契約", starts_on=timezone.localdate())
    after = {path: count(path) for path in before}
    assert after == before
