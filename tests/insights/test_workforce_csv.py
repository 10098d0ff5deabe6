"""Reading workforce figures from a CSV file (lotus/insights/equity/workforce_csv.py):
every bad input the issue names is refused with its row and column, and nothing is
taken from a file with any problem. No database."""

import csv
import io

import pytest

from lotus.insights.equity.workforce_csv import (
    MAX_BYTES,
    check_figures,
    decode,
    read_csv,
    read_entries,
    template_header,
    template_rows,
    workforce_characteristics,
)

HEADER = "profession,characteristic,group,headcount\n"
SEX = "Medical,Sex,Female,700\nMedical,Sex,Male,650\nMedical,Sex,Not known,10\n"


def read(text: str, register=None):
    return read_csv(text, register=register or {}, period="2025")


def texts(reading) -> list[str]:
    return [problem.text for problem in reading.problems]


def filled_template() -> str:
    """The template with 120 people in every profession, spread evenly over the groups."""
    sizes = {one.label: len(one.groups) for one in workforce_characteristics()}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(template_header())
    for row in template_rows():
        writer.writerow([*row[:3], 120 // sizes[row[1]]])
    return out.getvalue()


def test_the_template_filled_in_is_read_whole():
    reading = read(filled_template())
    assert reading.ok
    assert len(reading.figures) == len(template_rows())
    assert reading.figures[("medical", "ethnicity", "asian")] == 20


def test_labels_and_codes_are_both_understood_whatever_their_case():
    reading = read(HEADER + "MEDICAL,sex,female,700\nmedical,Sex,MALE,650\nMedical,SEX,not_known,10\n")
    assert reading.ok
    assert reading.figures == {("medical", "sex", "female"): 700, ("medical", "sex", "male"): 650,
                               ("medical", "sex", "not_known"): 10}


def test_thousands_separators_and_a_byte_order_mark_are_fine():
    text, problem = decode(("\ufeff" + HEADER + 'Medical,Sex,Female,"1,200"\nMedical,Sex,Male,650\n'
                            "Medical,Sex,Not known,0\n").encode("utf-8"))
    assert problem is None
    assert read(text).figures[("medical", "sex", "female")] == 1200


def test_a_missing_column_is_refused_naming_it_in_row_one():
    reading = read("profession,characteristic,headcount\nMedical,Sex,700\n")
    assert texts(reading) == [
        "Row 1, column group: The file has no ‘group’ column. The first row must name the columns profession, "
        "characteristic, group, headcount, as the template does"
    ]
    assert reading.figures == {}


def test_an_unknown_group_is_refused_naming_the_row_and_the_groups_it_could_be():
    reading = read(HEADER + SEX + "Medical,Ethnic group,Purple,3\n")
    assert texts(reading)[0].startswith("Row 5, column group: ‘Purple’ is not a group of ethnic group. Use one of: White,")
    assert reading.figures == {}


def test_a_combined_group_is_refused_with_its_parts():
    reading = read(HEADER + "Medical,Place of primary qualification,Qualified outside the UK (EEA and elsewhere),30\n")
    assert texts(reading) == [
        "Row 2, column group: ‘Qualified outside the UK (EEA and elsewhere)’ adds up several groups: give each of "
        "them on its own row (EEA, Elsewhere (international graduates))"
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-4", "Enter a headcount of 0 or more, not -4"),
        ("many", "Enter the headcount as a whole number, like 120, not ‘many’"),
        ("12.5", "Enter the headcount as a whole number, like 120, not ‘12.5’"),
        ('"1,20"', "Enter the headcount as a whole number, like 120, not ‘1,20’"),
        ("=SUM(A1)", "Enter the headcount as a whole number, like 120, not ‘=SUM(A1)’"),
        ("2000000", "Enter a headcount of 1,000,000 or fewer"),
    ],
)
def test_a_negative_or_non_numeric_headcount_is_refused_naming_row_and_column(value, message):
    reading = read(HEADER + f"Medical,Sex,Female,{value}\nMedical,Sex,Male,650\nMedical,Sex,Not known,10\n")
    assert texts(reading) == [f"Row 2, column headcount: {message}"]
    assert reading.figures == {}


def test_a_duplicate_row_is_refused_naming_the_first():
    reading = read(HEADER + SEX + "Medical,Sex,Male,651\n")
    assert texts(reading) == ["Row 5, column group: This row repeats row 3 (Medical, Sex, Male). Keep one of them"]


def test_a_headcount_below_the_practitioners_already_on_the_register_is_refused():
    reading = read(HEADER + SEX, register={("medical", "sex", "not_known"): 12, ("medical", "sex", "female"): 5})
    assert texts(reading) == [
        "Row 4, column headcount: 10 is fewer than the 12 medical practitioners LOTUS already has in this group "
        "(sex: Not known) with a concern received in 2025. Check the headcount"
    ]
    assert reading.figures == {}


def test_a_characteristic_must_count_every_group():
    reading = read(HEADER + "Medical,Sex,Female,700\nMedical,Sex,Male,650\n")
    assert texts(reading) == [
        "Row 2, column group: Medical, sex: add a row for Not known (0 if there is nobody), or leave this "
        "characteristic out"
    ]


def test_every_characteristic_must_count_the_same_people():
    disability = "Medical,Disability,Disabled,50\nMedical,Disability,Not disabled,1290\nMedical,Disability,Not known,0\n"
    reading = read(HEADER + SEX + disability)
    assert texts(reading) == [
        "Row 5, column headcount: Medical: disability adds up to 1,340 but sex adds up to 1,360. Every "
        "characteristic must count everyone in the profession"
    ]


def test_a_characteristic_left_blank_is_left_out_but_one_half_blank_is_not():
    blank_sex = "Dental,Sex,Female,\nDental,Sex,Male,\nDental,Sex,Not known,\n"
    assert read(HEADER + SEX + blank_sex).figures == read(HEADER + SEX).figures
    reading = read(HEADER + SEX + "Dental,Sex,Female,\nDental,Sex,Male,100\nDental,Sex,Not known,0\n")
    assert texts(reading) == [
        "Row 5, column headcount: Enter the headcount (0 if there is nobody in this group), or leave every row "
        "of this characteristic blank"
    ]


def test_every_problem_is_listed_in_row_order_and_nothing_is_taken():
    reading = read(HEADER + "Dentistry,Sex,Female,3\nMedical,Sex,Male,-1\nMedical,Mood,Happy,2\n")
    rows = [(problem.row, problem.column) for problem in reading.problems]
    assert rows == [(2, "profession"), (3, "headcount"), (4, "characteristic")]
    assert reading.figures == {}


def test_blank_lines_are_skipped_and_missing_cells_are_blank():
    assert read(HEADER + "\n\n" + SEX + ",,,\n").ok
    assert texts(read(HEADER + "Medical,Sex\n")) == [
        "Row 2, column group: ‘’ is not a group of sex. Use one of: Female, Male, Not known"
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty. Download the template, fill in the headcounts and upload it"),
        (b"   \n", "The file is empty. Download the template, fill in the headcounts and upload it"),
        (b"PK\x03\x04\x00\x00binary", "The file is not a CSV file. Save it as CSV (comma separated) and upload it again"),
        ("profession,group\nMédical".encode("latin-1"), "The file is not saved as UTF-8 text. Save it as ‘CSV UTF-8’ and "
                                                         "upload it again"),
        (b"x" * (MAX_BYTES + 1), "The file is larger than 512 KB. Use the template, which is much smaller"),
    ],
)
def test_a_file_that_is_not_readable_text_is_refused(data, message):
    text, problem = decode(data)
    assert text is None
    assert problem.text == message


def test_a_header_only_file_has_no_figures():
    assert texts(read(HEADER)) == ["There are no figures in it. Fill in the template's headcount column"]


def test_entries_sent_as_a_list_are_checked_like_rows():
    entries = [{"profession": "medical", "characteristic": "sex", "group": group, "headcount": count}
               for group, count in (("female", 1), ("male", 2), ("not_known", 0))]
    assert read_entries(entries, register={}, period="2025").ok
    bad = [*entries[:2], {"profession": "medical", "characteristic": "sex", "group": "not_known", "headcount": -1}, 7]
    assert [p.text for p in read_entries(bad, register={}, period="2025").problems] == [
        "Entry 3, column headcount: Enter a headcount of 0 or more, not -1",
        "Entry 4: Send each figure as an object with profession, characteristic, group and headcount",
    ]


def test_the_checks_without_rows_name_the_figure():
    problems = check_figures({("dental", "sex", "female"): 3}, register={}, period="2025")
    assert problems[0].key == ("dental", "sex", "female")
    assert problems[0].row is None
    assert problems[0].text.startswith("Dental, sex: add a row for Male, Not known")


def test_the_module_has_no_django_import():
    import ast
    import pathlib

    import lotus.insights.equity.workforce_csv as module

    tree = ast.parse(pathlib.Path(module.__file__).read_text(encoding="utf-8"))
    names = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    names |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not any(name.startswith("django") for name in names)
