"""Entity specs: the bodies, answers and row values of a resource follow from its one list of fields."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

import pytest
from pydantic import ValidationError

from dromologio.api import schemas
from dromologio.api.entity import EntitySpec
from dromologio.api.specs import ABSENCE, BASE, PORT, SAILING, SCHOOL, TECHNICIAN, TICKET
from dromologio.models import School, Technician
from dromologio.models.table_specs import SPECS

SCHOOL_BODY = {
    "school_id": "S1",
    "name": "1ο Δημοτικό Σχολείο Ιωαννίνων",
    "lat": 39.667,
    "lon": 20.853,
    "directorate": "Δ.Π.Ε. Ιωαννίνων",
    "opens": "08:30",
}


def test_the_models_carry_every_field_of_the_spec_with_the_id_last_in_create_and_first_in_public() -> None:
    names = [a.name for a in SCHOOL.attrs]
    assert list(schemas.SchoolPublic.model_fields) == names
    assert list(schemas.SchoolCreate.model_fields) == [*names[1:], names[0]]
    assert "school_id" not in schemas.SchoolUpdate.model_fields
    assert all(not f.is_required() for f in schemas.SchoolUpdate.model_fields.values())
    assert "status" in schemas.TicketUpdate.model_fields and "status" not in schemas.TicketCreate.model_fields


def test_a_create_body_checks_the_constraints_and_forbids_unknown_fields() -> None:
    with pytest.raises(ValidationError) as wrong:
        schemas.SchoolCreate.model_validate({**SCHOOL_BODY, "lat": 10.0, "colour": "red"})
    assert {e["loc"][0] for e in wrong.value.errors()} == {"lat", "colour"}


def test_values_go_into_columns_and_the_domain_object_and_come_back_as_the_answer() -> None:
    body = schemas.SchoolCreate.model_validate(SCHOOL_BODY)
    values = SCHOOL.values(body)
    assert values["opens_min"] == 510 and values["closes_min"] == 14 * 60 and values["extra"] == {}
    school = SCHOOL.from_row(values)
    assert isinstance(school, School) and school.opens_min == 510
    assert "lab_installed" not in SCHOOL.domain_values(school)
    answer = SCHOOL.answer(SimpleNamespace(**values), schemas.SchoolPublic)
    assert answer.model_dump()["opens"] == "08:30" and answer.model_dump()["school_id"] == "S1"


def test_skills_are_a_set_in_the_domain_and_an_ordered_list_in_the_table() -> None:
    body = schemas.TechnicianCreate.model_validate(
        {
            "technician_id": "T1",
            "name": "Ελένη",
            "base_id": "B1",
            "skills": ["network", "windows"],
            "employer": "E",
        }
    )
    values = TECHNICIAN.values(body)
    assert values["skills"] == ["windows", "network"] and values["shift_start_min"] == 8 * 60
    technician = TECHNICIAN.from_row(values)
    assert isinstance(technician, Technician) and technician.skills == frozenset({"windows", "network"})


def test_a_patch_is_merged_into_the_row_nulls_replacing_or_keeping_as_the_resource_says() -> None:
    row = SimpleNamespace(
        ticket_id="K1",
        school_id="S1",
        opened_at=datetime(2026, 11, 20, 9, 30),
        category="Δίκτυο",
        skill="network",
        priority="normal",
        service_minutes=60,
        remote=False,
        warranty=False,
        due_by=None,
        extra={},
    )
    change = schemas.TicketUpdate.model_validate({"priority": "urgent", "due_by": None, "status": "done"})
    merged = TICKET.merged(row, change)
    assert merged["priority"] == "urgent" and merged["opened_at"] == "2026-11-20T09:30"
    assert "status" not in merged  # not a field of the create body: the route handles it
    day = date(2026, 11, 23)
    absence = SimpleNamespace(technician_id="T1", first_day=day, last_day=day, kind="leave", note="")
    kept = ABSENCE.merged(absence, schemas.AbsenceUpdate.model_validate({"kind": None}), replace_nulls=False)
    assert kept["kind"] == "leave" and kept["from"] == day


@pytest.mark.parametrize(
    ("table", "spec"),
    [
        ("schools", SCHOOL),
        ("bases", BASE),
        ("technicians", TECHNICIAN),
        ("tickets", TICKET),
        ("ports", PORT),
        ("ferries", SAILING),
    ],
)
def test_the_fields_of_each_entity_are_the_columns_its_file_reader_reads(
    table: str, spec: EntitySpec
) -> None:
    """The contract (``models/table_specs.py``) and the service name the same columns, stored in the same fields."""
    read = {c.name: c.field for c in SPECS[table].columns}
    served = {a.name: a.col for a in spec.attrs if a.in_create and a.in_domain and a.name != "extra"}
    assert served == read
