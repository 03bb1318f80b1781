"""The backup target form's responsible post, person and contractor selects (issue 8): written by FastSelect from
rows, byte for byte what Django's Select writes from instances, the saved choice selected on the edit page."""

from tejun.backups.forms import TargetForm
from tejun.orgs.models import Post
from tejun.vendors.models import Contractor

from ..factories import UserFactory
from ..selects import as_django, select_of


def test_the_selects_are_what_django_writes(login, staff_in_charge, body, other_body, nas):
    target, _token = nas
    Post.objects.create(body=body, name='係長 <"A&B">')
    UserFactory(body=body, login_id="o-reilly", full_name="O'Reilly 花子")
    UserFactory(body=body, login_id="gone", full_name="退職 太郎", is_active=False)
    Contractor.objects.create(body=body, name="<株式会社 & 商会>")
    Contractor.objects.create(body=body, name="休止中", active=False)
    Contractor.objects.create(body=other_body, name="よその事業者")
    client = login(staff_in_charge)
    for path, initial in (("/backups/targets/new/", {}), (f"/backups/targets/{target.pk}/edit/",
                                                           TargetForm.initial_from(target))):
        page = client.get(path).content.decode()
        form = TargetForm(body=body, initial=initial)
        for name in ("responsible_post", "responsible_person", "responsible_contractor"):
            assert select_of(page, name) == as_django(form, name), (path, name)
        assert "係長 &lt;&quot;A&amp;B&quot;&gt;" in select_of(page, "responsible_post")
        assert "O&#x27;Reilly 花子" in page and "退職 太郎" not in page
        assert "&lt;株式会社 &amp; 商会&gt;" in page and "休止中" not in page and "よその事業者" not in page
    edit = client.get(f"/backups/targets/{target.pk}/edit/").content.decode()
    assert f'<option value="{staff_in_charge.pk}" selected>' in select_of(edit, "responsible_person")
