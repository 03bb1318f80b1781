"""tejun.lib.pdf.TextGrid: marked (coloured) text is escaped HTML, plain rows stay plain text, page_units."""

from django.utils.safestring import SafeString

from tejun.lib.pdf import GridColumn, Marked, TextGrid, page_units


def test_plain_rows_are_plain_text():
    grid = TextGrid([GridColumn("a", 6), GridColumn("b", 6)])
    out = grid.lines(["<b>", "x&y"])
    assert out == "<b>   x&y" and not isinstance(out, SafeString)  # the template escapes it


def test_marked_text_is_a_span_and_everything_is_escaped():
    grid = TextGrid([GridColumn("a", 9), GridColumn("b", 6)])
    out = grid.lines([["返却済", Marked("期限超過", "overdue")], "<i>"])
    assert isinstance(out, SafeString)
    assert out.split("\n") == ["返却済   &lt;i&gt;", '<span class="overdue">期限超過</span>']


def test_a_cell_is_cut_only_beyond_max_lines():
    grid = TextGrid([GridColumn("a", 5)], max_lines=3)
    assert grid.lines([["あいうえ", Marked("かきくけこ", "muted")]]).count("\n") == 2
    assert "…" in grid.lines([["あいうえ", Marked("かきくけこ", "muted")]])


def test_page_units():
    assert page_units(281, 6.0) == 265 and page_units(277, 6.0) == 261 and page_units(269, 7.0) == 217
