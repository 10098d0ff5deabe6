"""The workforce figures pages: entering a profession's figures, uploading a file, the
template and the downloads. Bad input names the field (or the row and column), keeps what
was typed and saves nothing; saving again keeps the earlier figures, superseded."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lotus.audit.models import AuditEvent
from lotus.insights.models import WorkforceFigures, WorkforceHeadcount
from tests.insights.equity_helpers import case, ethnicity_workforce, practitioner, workforce

pytestmark = pytest.mark.django_db

ENTER = "/insights/workforce/enter/"
UPLOAD = "/insights/workforce/upload/"
YEAR = timezone.localdate().year - 1
ETHNICITY = {"white": "900", "mixed": "40", "asian": "350", "black": "120", "other": "40", "not_known": "50"}


def entry(**changes) -> dict:
    data = {"year": str(YEAR), "quarter": "0", "profession": "medical", "source": "Medical workforce return"}
    data |= {f"ethnicity__{group}": value for group, value in ETHNICITY.items()}
    return data | changes


def saved() -> list:
    return list(WorkforceHeadcount.objects.order_by("pk").values_list("figures_id", "profession", "characteristic",
                                                                        "group", "headcount"))


def test_an_administrator_enters_a_profession_and_it_is_audited(world, client_for):
    response = client_for("administrator").post(ENTER, entry())
    assert response.status_code == 302
    figures = WorkforceFigures.objects.get()
    assert (figures.year, figures.quarter, figures.how, figures.source) == (YEAR, 0, "page", "Medical workforce return")
    assert {(h.group, h.headcount) for h in figures.headcounts.all()} == {(g, int(v)) for g, v in ETHNICITY.items()}
    event = AuditEvent.objects.filter(object_type="workforce figures", action="create").get()
    assert event.details["period"] == str(YEAR) and event.details["profession"] == "medical"


def test_entering_again_supersedes_and_keeps_the_other_professions(world, client_for):
    client = client_for("administrator")
    client.post(ENTER, entry(profession="dental", **{f"ethnicity__{g}": "10" for g in ETHNICITY}))
    client.post(ENTER, entry())
    client.post(ENTER, entry(**{"ethnicity__white": "901", "ethnicity__not_known": "49"}))
    assert WorkforceFigures.objects.count() == 3
    current = WorkforceFigures.objects.get(superseded_at__isnull=True)
    by = {(h.profession, h.group): h.headcount for h in current.headcounts.all()}
    assert by[("medical", "white")] == 901 and by[("dental", "white")] == 10
    old = WorkforceFigures.objects.exclude(pk=current.pk)
    assert all(one.superseded_by_id == world.users["administrator"].pk for one in old)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"year": "25"}, "year", "Enter the year as 4 digits, like 2025"),
        ({"year": "1999"}, "year", "Enter a year from 2000 to"),
        ({"year": str(YEAR + 2)}, "year", "Enter a year from 2000 to"),
        ({"quarter": "5"}, "quarter", "Select the period from the options given"),
        ({"profession": "surgery"}, "profession", "Select the profession from the options given"),
        ({"ethnicity__asian": "35O"}, "ethnicity__asian",
         "Enter the headcount for ethnic group: Asian or Asian British as a whole number, like 120"),
        ({"ethnicity__asian": "-3"}, "ethnicity__asian",
         "Enter a headcount of 0 or more for ethnic group: Asian or Asian British"),
        ({"ethnicity__black": ""}, "ethnicity__black",
         "Enter a headcount (0 if there is nobody in this group), or leave every group of this characteristic blank"),
        ({"sex__female": "700", "sex__male": "700", "sex__not_known": "0"}, None,
         "Medical: sex adds up to 1,400 but ethnic group adds up to 1,500"),
    ],
)
def test_bad_entries_name_the_field_keep_what_was_typed_and_save_nothing(world, client_for, changes, field, message):
    before = saved()
    response = client_for("administrator").post(ENTER, entry(**changes))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    if field:
        assert f'href="#{field}"' in html  # the error summary links to the box
    for value in changes.values():
        assert f'value="{value}"' in html or value in ("5", "surgery", "")
    assert saved() == before


def test_a_headcount_below_the_register_is_refused_on_the_page(world, client_for):
    for _ in range(3):
        case(world.organisation, practitioner(world.organisation, ethnic="M"), received_on=dt.date(YEAR, 3, 1))
    response = client_for("administrator").post(ENTER, entry(ethnicity__black="2", ethnicity__not_known="168"))
    assert "2 is fewer than the 3 medical practitioners LOTUS already has in this group" in response.content.decode()
    assert not WorkforceFigures.objects.exists()


def test_the_entry_page_fills_in_the_saved_figures(world, client_for):
    workforce(world.organisation, YEAR, ethnicity_workforce())
    html = client_for("administrator").get(ENTER, {"year": YEAR, "quarter": 0, "profession": "medical"}).content.decode()
    assert 'name="ethnicity__asian"' in html and 'value="350"' in html


def upload(client, text: str, **fields):
    data = {"year": str(YEAR), "quarter": "0", "source": "", **fields,
            "file": SimpleUploadedFile("figures.csv", text.encode("utf-8"), content_type="text/csv")}
    return client.post(UPLOAD, data)


SEX = "profession,characteristic,group,headcount\nMedical,Sex,Female,700\nMedical,Sex,Male,650\nMedical,Sex,Not known,10\n"


def test_an_upload_replaces_the_period_whole(world, client_for):
    workforce(world.organisation, YEAR, ethnicity_workforce())
    response = upload(client_for("administrator"), SEX)
    assert response.status_code == 302
    current = WorkforceFigures.objects.get(superseded_at__isnull=True)
    assert current.how == "upload"
    assert {(h.characteristic, h.group) for h in current.headcounts.all()} == {
        ("sex", "female"), ("sex", "male"), ("sex", "not_known")}
    assert WorkforceFigures.objects.count() == 2


@pytest.mark.parametrize(
    ("text", "row", "column", "message"),
    [
        ("profession,group,headcount\nMedical,Female,3\n", "1", "characteristic", "The file has no ‘characteristic’ column"),
        (SEX + "Medical,Ethnic group,Purple,3\n", "5", "group", "‘Purple’ is not a group of ethnic group"),
        (SEX.replace("Female,700", "Female,-7"), "2", "headcount", "Enter a headcount of 0 or more, not -7"),
        (SEX.replace("Female,700", "Female,lots"), "2", "headcount", "Enter the headcount as a whole number"),
        (SEX + "Medical,Sex,Male,651\n", "5", "group", "This row repeats row 3 (Medical, Sex, Male)"),
    ],
)
def test_a_bad_file_lists_each_problem_by_row_and_column_and_saves_nothing(world, client_for, text, row, column,
                                                                           message):
    before = saved()
    response = upload(client_for("administrator"), text, source="Typed source kept")
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert f'<td class="nhsuk-table__cell">{row}</td>\n              <td class="nhsuk-table__cell">{column}</td>' in html
    assert "Nothing was saved: the file has 1 problem" in html
    assert "Typed source kept" in html
    assert saved() == before
    assert AuditEvent.objects.filter(action="upload refused", object_type="workforce figures").exists()


def test_an_upload_below_the_register_is_refused(world, client_for):
    for _ in range(11):
        case(world.organisation, practitioner(world.organisation, sex="not_stated"), received_on=dt.date(YEAR, 5, 1))
    response = upload(client_for("administrator"), SEX)
    assert "10 is fewer than the 11 medical practitioners LOTUS already has in this group" in response.content.decode()
    assert not WorkforceFigures.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [({"year": "twenty"}, "Enter the year as 4 digits, like 2025"),
     ({"quarter": ""}, "Choose the whole year or a quarter")],
)
def test_a_bad_period_on_the_upload_names_the_field(world, client_for, fields, message):
    response = upload(client_for("administrator"), SEX, **fields)
    assert message in response.content.decode()
    assert not WorkforceFigures.objects.exists()


def test_an_upload_for_a_quarter_not_yet_started_is_refused(world, client_for):
    this_year = timezone.localdate().year
    quarter = (timezone.localdate().month - 1) // 3 + 2
    if quarter > 4:
        pytest.skip("every quarter of this year has started")
    response = upload(client_for("administrator"), SEX, year=str(this_year), quarter=str(quarter))
    assert "Choose a quarter that has started" in response.content.decode()


def test_no_file_names_the_field(world, client_for):
    response = client_for("administrator").post(UPLOAD, {"year": str(YEAR), "quarter": "0"})
    assert "Choose the CSV file to upload" in response.content.decode()


def test_the_template_and_a_period_download_are_csv_with_formulas_defused(world, client_for):
    client = client_for("analyst")
    template = client.get("/insights/workforce/template.csv")
    assert template["Content-Type"].startswith("text/csv")
    lines = template.content.decode("utf-8-sig").splitlines()
    assert lines[0] == '"profession","characteristic","group","headcount"'
    assert '"Medical","Ethnic group","White",""' in lines
    workforce(world.organisation, YEAR, ethnicity_workforce())
    download = client.get(f"/insights/workforce/{YEAR}-0.csv").content.decode("utf-8-sig").splitlines()
    assert '"Medical","Ethnic group","Asian or Asian British","350"' in download
    assert len(download) == 1 + len(ethnicity_workforce())
    assert AuditEvent.objects.filter(action="export", object_type="workforce figures").exists()


def test_a_period_with_no_figures_is_not_found(world, client_for):
    assert client_for("analyst").get(f"/insights/workforce/{YEAR}-0.csv").status_code == 404
    assert client_for("analyst").get(f"/insights/workforce/{YEAR}-7.csv").status_code == 404


def test_the_list_shows_each_period_with_its_headcounts(world, client_for):
    workforce(world.organisation, YEAR, ethnicity_workforce(), user=world.users["administrator"])
    html = client_for("analyst").get("/insights/workforce/").content.decode()
    assert "1,500" in html and "None entered" in html
    assert "Enter figures" not in html  # analysts read, administrators enter
