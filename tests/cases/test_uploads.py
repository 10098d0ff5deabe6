import re
import pytest

def errs(r):
    return re.findall(r'Error: </span>([^<]*)', r.content.decode())

@pytest.mark.django_db
def test_explore(world, client_for):
    c = client_for("case_manager")
    r = c.post("/practitioners/add/", {"full_name": "", "registration_number": "", "contract_context": "", "place_of_work": "", "email": "", "phone": "", "postal_address": ""})
    print("REG", [e.strip() for e in errs(r)], re.findall(r'href="#[^"]*"', r.content.decode())[:12])
    a = client_for("administrator")
    r = a.post(f"/practitioners/{world.practitioner.pk}/equality/", {"ethnic_category": "", "qualification_country": ""})
    print("EQ", [e.strip() for e in errs(r)])
    r = c.post(f"/cases/{world.case.pk}/documents/upload/", {"title": ""})
    print("UP", [e.strip() for e in errs(r)])
    r = c.post(f"/cases/{world.case.pk}/tasks/add/", {"title": "", "owner": "", "due_on-day": "", "due_on-month": "", "due_on-year": ""})
    print("TASK", [e.strip() for e in errs(r)])
