"""The vendor registers as TextGrid PDFs (issue 8): every cell printed, long values wrapped, the limit kept."""

import shutil
import subprocess
from datetime import date

import pytest
from django.urls import reverse

from tejun.lib.pdf import GridColumn, TextGrid, page_units
from tejun.vendors import documents
from tejun.vendors.models import Contract, Contractor

from ..grid_text import assert_row_printed, assert_wrapped

LONG_ADDRESS = "愛知県名古屋市中区三の丸三丁目一番二号 〇〇ビルディング 東館 十二階 情報システム事業本部 自治体ソリューション部"

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


def _text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def _grid(key: str) -> tuple[TextGrid, tuple, tuple]:
    title, headers, _rows, _empty = documents.REGISTERS[key]
    widths, aligned, split_times = documents.PDF_LAYOUT[key]
    grid = TextGrid([GridColumn(h, w) for h, w in zip(headers(), widths, strict=True)],
                    font_size_pt=documents.GRID_PT, max_lines=documents.GRID_MAX_LINES)
    return grid, aligned, split_times


def test_the_grids_fit_between_the_margins():
    assert documents.GRID_UNITS == page_units(277, documents.GRID_PT)
    for key, (widths, _a, _s) in documents.PDF_LAYOUT.items():
        assert sum(widths) <= documents.GRID_UNITS, key
        assert len(widths) == len(documents.REGISTERS[key][1]()), key


@pytest.mark.parametrize("key", ["contractors", "onsite", "repairs", "disposals"])
def test_every_cell_is_printed(login, staff_in_charge, key, contract, onsite_work, repair, equipment_disposal):
    r = login(staff_in_charge).get(reverse("vendors:register-document", args=[key, "pdf"]))
    assert r.status_code == 200
    text = _text(r.content)
    grid, _aligned, split_times = _grid(key)
    rows = list(documents.REGISTERS[key][2](staff_in_charge))
    assert rows
    for row in rows:
        values = ["" if v is None else str(v) for v in row]
        for i in split_times:
            values[i] = values[i].replace(" ", "\n", 1)
        assert_row_printed(text, grid, values)
    for h in documents.REGISTERS[key][1]():
        assert h.replace("（", "").split("・")[0] in text.replace("（", ""), h  # headers (may wrap)


def test_contracts_line_up_with_their_clauses_and_a_long_address_wraps(login, staff_in_charge, contractor):
    contractor.address = LONG_ADDRESS
    contractor.save()
    Contract.objects.create(body=contractor.body, contractor=contractor, starts_on=date(2025, 4, 1),
                            title="会議録検索システム及び議会中継システムの保守・運用支援並びに機器更新に係る業務委託",
                            has_confidentiality_clause=True, confidentiality_article="第12条（秘密の保持）")
    Contract.objects.create(body=contractor.body, contractor=contractor, starts_on=date(2024, 4, 1),
                            title="保守点検", subcontracting_allowed=True)
    text = _text(login(staff_in_charge).get(reverse("vendors:register-document", args=["contractors", "pdf"])).content)
    grid, aligned, _s = _grid("contractors")
    assert_wrapped(text, grid, 1, LONG_ADDRESS)
    lines = [line for line in text.splitlines() if "第12条" in line or "保守点検（" in line or "なし" in line]
    # the first contract wraps: its clause stays on its first line, the second contract's なし/可 on the second's
    assert any("第12条" in line and "会議録検索システム" in line for line in lines), lines
    assert any("保守点検（" in line and "なし" in line and "可" in line for line in lines), lines


def test_aligned_columns_pad_each_item_to_the_tallest():
    grid = TextGrid([GridColumn("a", 5), GridColumn("b", 5)], max_lines=20)
    out = grid.lines(["あいうえおかき\nく", "1\n2"], aligned=(0, 1)).split("\n")
    assert out == ["あい 1", "うえ", "おか", "き", "く   2"]


def test_the_limit_still_refuses(login, staff_in_charge, contractor, contractor_b, monkeypatch):
    monkeypatch.setattr(documents, "PDF_MAX_ROWS", 1)
    r = login(staff_in_charge).get(reverse("vendors:register-document", args=["contractors", "pdf"]), follow=True)
    assert "PDF に出力できるのは 1 件までです。Excel で出力してください。" in r.content.decode()


def test_a_thousand_contractors_print(staff_in_charge, contractor):
    Contractor.objects.bulk_create([Contractor(body=contractor.body, name=f"株式会社テスト{i:04d}", address=LONG_ADDRESS,
                                               representative="代表取締役 山田 一郎") for i in range(999)])
    data, name = documents.register_pdf(staff_in_charge, "contractors")
    assert name == "委託事業者一覧.pdf"
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    assert int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:"))) >= 20
