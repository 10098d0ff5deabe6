"""The equity API: workforce figures read, written (JSON and CSV) and downloaded, and the
dashboard's figures. Bad input names the entry and field and saves nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lotus.audit.models import AuditEvent
from lotus.insights.models import WorkforceFigures
from tests.api.conftest import bearer_client
from tests.insights.equity_helpers import ethnicity_workforce, gap_at_investigation, workforce

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1
BASE = f"/api/v1/insights/workforce/{YEAR}/0/"
SEX = [{"profession": "medical", "characteristic": "sex", "group": group, "headcount": count}
       for group, count in (("female", 700), ("male", 650), ("not_known", 10))]


def api(token_for, role="administrator"):
    return bearer_client(token_for(role))


def test_figures_are_written_read_and_listed(world, token_for):
    client = api(token_for)
    response = client.put(BASE, {"source": "Medical workforce return", "figures": SEX}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["figures"] == sorted(SEX, key=lambda f: (f["profession"], f["characteristic"], f["group"]))
    saved = WorkforceFigures.objects.get()
    assert (saved.how, saved.source) == ("api", "Medical workforce return")
    read = api(token_for, "analyst")
    assert read.get(BASE).json()["label"] == str(YEAR)
    listed = read.get("/api/v1/insights/workforce/").json()["results"]
    assert listed[0]["headcounts"] == {"medical": 1360}


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        ([*SEX[:2], {**SEX[2], "headcount": -1}], "Entry 3, column headcount: Enter a headcount of 0 or more, not -1"),
        ([*SEX[:2], {**SEX[2], "headcount": "ten"}], "Entry 3, column headcount: Enter the headcount as a whole number"),
        ([*SEX, {**SEX[1], "headcount": 1}], "Entry 4, column group: This row repeats row 2 (Medical, Sex, Male)"),
        ([*SEX[:2], {**SEX[2], "group": "unknown"}], "Entry 3, column group: ‘unknown’ is not a group of sex"),
        ([*SEX[:2], {**SEX[2], "profession": "nursing"}], "Entry 3, column profession: ‘nursing’ is not a profession"),
        (SEX[:2], "Entry 1, column group: Medical, sex: add a row for Not known"),
        ([*SEX, "not an object"], "Entry 4: Send each figure as an object"),
    ],
)
def test_bad_figures_are_refused_naming_the_entry_and_nothing_is_saved(world, token_for, figures, message):
    response = api(token_for).put(BASE, {"figures": figures}, content_type="application/json")
    assert response.status_code == 400
    assert any(text.startswith(message) for text in response.json()["errors"]["figures"]), response.json()
    assert not WorkforceFigures.objects.exists()
    assert AuditEvent.objects.filter(action="upload refused", object_type="workforce figures").exists()


@pytest.mark.parametrize("path", [f"/api/v1/insights/workforce/{YEAR}/5/", "/api/v1/insights/workforce/1999/0/",
                                  f"/api/v1/insights/workforce/{YEAR + 2}/0/"])
def test_a_period_that_cannot_be_is_not_found(world, token_for, path):
    assert api(token_for).put(path, {"figures": SEX}, content_type="application/json").status_code == 404
    assert api(token_for).get(path).status_code == 404


def test_an_analyst_may_read_but_not_write(world, token_for):
    assert api(token_for, "analyst").put(BASE, {"figures": SEX}, content_type="application/json").status_code == 404
    assert not WorkforceFigures.objects.exists()


def test_a_csv_is_uploaded_and_downloaded_in_the_templates_shape(world, token_for):
    client = api(token_for)
    text = "profession,characteristic,group,headcount\nMedical,Sex,Female,700\nMedical,Sex,Male,650\nMedical,Sex,Not known,10\n"
    response = client.post(f"{BASE}csv/", {"file": SimpleUploadedFile("w.csv", text.encode()), "source": "Return"})
    assert response.status_code == 200, response.content
    download = client.get(f"{BASE}csv/")
    assert download["Content-Type"].startswith("text/csv")
    assert '"Medical","Sex","Female","700"' in download.content.decode("utf-8-sig")


def test_a_bad_csv_names_the_row_and_column_and_saves_nothing(world, token_for):
    text = "profession,characteristic,group,headcount\nMedical,Sex,Female,-2\n"
    response = api(token_for).post(f"{BASE}csv/", {"file": SimpleUploadedFile("w.csv", text.encode())})
    assert response.status_code == 400
    assert response.json()["errors"]["file"] == ["Row 2, column headcount: Enter a headcount of 0 or more, not -2"]
    assert not WorkforceFigures.objects.exists()


def test_a_csv_that_is_too_large_is_413(world, token_for):
    big = b"profession,characteristic,group,headcount\n" + b"x" * (600 * 1024)
    response = api(token_for).post(f"{BASE}csv/", {"file": SimpleUploadedFile("w.csv", big)})
    assert response.status_code == 413


def test_the_dashboards_figures_are_the_pages_tables(world, token_for):
    gap_at_investigation(world.organisation, year=YEAR, per_group=60)
    workforce(world.organisation, YEAR, ethnicity_workforce())
    response = api(token_for, "analyst").get("/api/v1/insights/equity/", {"year": YEAR})
    body = response.json()
    assert response.status_code == 200
    assert (body["year"], body["characteristic"], body["has_workforce"], body["threshold"]) == (YEAR, "ethnicity", True, 8)
    summary = next(t for t in body["tables"] if t["slug"] == "summary-ethnicity")
    investigation = next(row for row in summary["rows"] if row["label"] == "Formal investigation")
    assert investigation["cells"][:3] == ["72", "120", "60.0%"]


@pytest.mark.parametrize(("query", "field"), [({"year": "soon"}, "year"), ({"characteristic": "mood"}, "characteristic"),
                                              ({"year": "2099"}, "year")])
def test_bad_dashboard_queries_name_the_field(world, token_for, query, field):
    response = api(token_for, "analyst").get("/api/v1/insights/equity/", query)
    assert response.status_code == 400
    assert field in response.json()["errors"]
