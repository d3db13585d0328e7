"""Synthetic problems of any size over the pilot regions (Epirus and the Cyclades).

Schools are placed at real ELSTAT 2011 settlement points (``data/settlements.csv``),
more of them in larger settlements; bases, ports and the ferry timetable are those of
the embedded sample.  Technicians and tickets are fictional.  Everything is drawn
from one :class:`random.Random` seeded by the caller, so the same arguments always
give byte-identical files.

The helpers here are also used by ``tools/build_sample.py`` to build the sample
itself (schools, ticket draws, CSV writing).  The tables' records and files are in
:mod:`.records`, Greek genitives of place names in :mod:`.genitive`; both are
re-exported here.
"""

from __future__ import annotations

import json
import math
import random
import shutil
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path

from dromologio.models.cells import parse_time
from dromologio.models.vocab import SKILLS, TERRAINS

from . import SAMPLE_DATE, sample_data_dir
from .genitive import (
    genitive,
)
from .records import (
    BASE_COLUMNS,
    FERRY_COLUMNS,
    PORT_COLUMNS,
    SCHOOL_COLUMNS,
    SETTLEMENT_COLUMNS,
    TECHNICIAN_COLUMNS,
    TICKET_COLUMNS,
    BaseRow,
    SchoolRow,
    Settlement,
    TechnicianRow,
    TicketRow,
    hhmm,
    load_settlements,
    read_csv,
    write_csv,
)

#: what tools/build_sample.py, the cost commands and the tests import from here, defined in records and genitive.
__all__ = [
    "BASE_COLUMNS",
    "FERRY_COLUMNS",
    "PORT_COLUMNS",
    "SCHOOL_COLUMNS",
    "SETTLEMENT_COLUMNS",
    "TECHNICIAN_COLUMNS",
    "TICKET_COLUMNS",
    "BaseRow",
    "SchoolRow",
    "Settlement",
    "TechnicianRow",
    "TicketRow",
    "genitive",
    "hhmm",
    "load_settlements",
    "read_csv",
    "write_csv",
]

# --------------------------------------------------------------------------- vocabulary

#: Directorate areas of the pilot regions, in the genitive used in office names.
DIRECTORATE_GENITIVE: Mapping[str, str] = {
    "ΙΩΑΝΝΙΝΩΝ": "Ιωαννίνων",
    "ΑΡΤΑΣ": "Άρτας",
    "ΠΡΕΒΕΖΑΣ": "Πρέβεζας",
    "ΘΕΣΠΡΩΤΙΑΣ": "Θεσπρωτίας",
    "ΚΥΚΛΑΔΩΝ": "Κυκλάδων",
}
EPIRUS_AREAS = ("ΙΩΑΝΝΙΝΩΝ", "ΑΡΤΑΣ", "ΠΡΕΒΕΖΑΣ", "ΘΕΣΠΡΩΤΙΑΣ")

KINDERGARTEN = "Νηπιαγωγείο"
PRIMARY = "Δημοτικό Σχολείο"
LOWER_SECONDARY = "Γυμνάσιο"
UPPER_SECONDARY = "Γενικό Λύκειο"
VOCATIONAL = "ΕΠΑ.Λ."
SCHOOL_TYPES = (KINDERGARTEN, PRIMARY, LOWER_SECONDARY, UPPER_SECONDARY, VOCATIONAL)
_PRIMARY_LEVEL = frozenset({KINDERGARTEN, PRIMARY})
# Types added one by one as a settlement gets more schools (a town of 5+ cycles the tail).
_TYPE_LADDER = (PRIMARY, KINDERGARTEN, LOWER_SECONDARY, UPPER_SECONDARY)
_TOWN_CYCLE = (
    PRIMARY,
    KINDERGARTEN,
    PRIMARY,
    KINDERGARTEN,
    LOWER_SECONDARY,
    VOCATIONAL,
    PRIMARY,
    KINDERGARTEN,
    UPPER_SECONDARY,
    LOWER_SECONDARY,
)

#: Helpdesk categories (Greek / English, as typed in the helpdesk) and the skill each needs.
CATEGORIES: tuple[tuple[str, str], ...] = (
    ("Διακομιστής LTSP / LTSP server", "ltsp"),
    ("Λεπτοί πελάτες LTSP / LTSP thin clients", "ltsp"),
    ("Δίκτυο / network", "network"),
    ("Ασύρματο δίκτυο / Wi-Fi", "network"),
    ("Σύνδεση στο ΠΣΔ / sch.gr school network link", "network"),
    ("Εκτυπωτής / printer", "printer"),
    ("Πολυμηχάνημα / multifunction printer", "printer"),
    ("Υπολογιστής Windows / Windows PC", "windows"),
    ("Εργαστήριο Πληροφορικής Windows / Windows computer lab", "windows"),
    ("Εργαστήριο Linux / Linux lab", "linux"),
    ("Υλικό Η/Υ / PC hardware", "hardware"),
    ("Διαδραστικός πίνακας / interactive whiteboard", "hardware"),
    ("Βιντεοπροβολέας / projector", "hardware"),
    ("Πύλη myschool / myschool portal", "egov"),
    ("Ψηφιακή υπογραφή / digital signature", "egov"),
)
#: How often each skill is needed, roughly as in a school helpdesk's queue.
SKILL_WEIGHTS: Mapping[str, float] = {
    "network": 0.22,
    "windows": 0.18,
    "hardware": 0.15,
    "printer": 0.15,
    "ltsp": 0.12,
    "egov": 0.10,
    "linux": 0.08,
}
PRIORITY_SHARES: Mapping[str, float] = {"urgent": 0.10, "high": 0.25, "normal": 0.50, "low": 0.15}
SERVICE_MINUTES = (30, 45, 60, 60, 75, 90, 90, 120)
REMOTE_SHARE = 0.15
WARRANTY_SHARE = 0.05
DUE_SHARE = 0.20
#: Share of schools above ``FOUR_BY_FOUR_MIN_ALTITUDE_M`` in mountainous settlements that need a 4x4.
FOUR_BY_FOUR_SHARE = 0.4
FOUR_BY_FOUR_MIN_ALTITUDE_M = 700.0
#: Share of schools placed on the islands when a generated problem has islands.
ISLAND_SHARE = 0.4


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_MALE_FIRST = _words(
    "Γιώργος Δημήτρης Νίκος Κώστας Γιάννης Βασίλης Χρήστος Παναγιώτης Θανάσης Μιχάλης Σπύρος "
    "Βαγγέλης Αντώνης Στέλιος Αλέξανδρος Πέτρος Ηλίας Σωτήρης Στάθης Άγγελος"
)
_FEMALE_FIRST = _words(
    "Μαρία Ελένη Κατερίνα Βασιλική Σοφία Αγγελική Δήμητρα Γεωργία Ευαγγελία Χριστίνα Ιωάννα "
    "Αναστασία Παναγιώτα Φωτεινή Ειρήνη Δέσποινα Θεοδώρα Χαρά Νικολέτα Αλεξάνδρα"
)
# Masculine/feminine forms of common surnames of Epirus and the Cyclades.
_SURNAMES = tuple(
    (pair.split("/")[0], pair.split("/")[1])
    for pair in _words(
        "Παπαδόπουλος/Παπαδοπούλου Γεωργίου/Γεωργίου Οικονόμου/Οικονόμου Παππάς/Παππά "
        "Νικολάου/Νικολάου Ζήσης/Ζήση Μπέλλος/Μπέλλου Κίτσος/Κίτσου Τσιρογιάννης/Τσιρογιάννη "
        "Ζώης/Ζώη Κώτσης/Κώτση Ντόκος/Ντόκου Σιούτης/Σιούτη Μάνθος/Μάνθου Χατζής/Χατζή "
        "Καραγιάννης/Καραγιάννη Δημητρίου/Δημητρίου Βλάχος/Βλάχου Θεοδωρόπουλος/Θεοδωροπούλου "
        "Αλεξίου/Αλεξίου Ρούσσος/Ρούσσου Φωσκόλος/Φωσκόλου Σιγάλας/Σιγάλα Μαργαρίτης/Μαργαρίτη "
        "Νομικός/Νομικού Ρήγας/Ρήγα Πρέκας/Πρέκα Λεβαντής/Λεβαντή Βαρθαλίτης/Βαρθαλίτη "
        "Κατσίκης/Κατσίκη"
    )
)


def place_name(settlement: Settlement) -> str:
    """The settlement's name as used after a school type (genitive when known)."""
    return genitive(settlement.name, settlement.article) or settlement.name


# --------------------------------------------------------------------------- schools


def allocate(
    weights: Sequence[float], total: int, rng: random.Random, minimum: Sequence[int] | None = None
) -> list[int]:
    """Split ``total`` into integer counts proportional to ``weights``, each at least its ``minimum``.

    Entries whose proportional quota is below their minimum get the minimum; the others
    share the rest by whole parts of their quota, and the remainder is drawn without
    replacement with the fractional parts as weights (so small settlements get a school
    by chance).
    """
    floor = list(minimum) if minimum is not None else [0] * len(weights)
    if len(floor) != len(weights):
        raise ValueError("minimum and weights must have the same length")
    if sum(floor) > total:
        raise ValueError(f"the minimums ({sum(floor)}) exceed the total ({total})")
    fixed: set[int] = set()
    while True:
        free = [i for i in range(len(weights)) if i not in fixed]
        budget = total - sum(floor[i] for i in fixed)
        weight_sum = sum(weights[i] for i in free)
        quotas = {i: budget * weights[i] / weight_sum if weight_sum > 0 else 0.0 for i in free}
        newly = [i for i in free if quotas[i] < floor[i]]
        if not newly:
            break
        fixed.update(newly)
    counts = [floor[i] if i in fixed else int(quotas[i]) for i in range(len(weights))]
    left = total - sum(counts)
    # Efraimidis–Spirakis weighted sampling without replacement on the fractional parts.
    keys: list[tuple[float, int]] = []
    for i in free:
        fraction = quotas[i] - int(quotas[i])
        keys.append((math.pow(rng.random(), 1.0 / fraction) if fraction > 0 else -1.0, i))
    keys.sort(reverse=True)
    for _, i in keys[:left]:
        counts[i] += 1
    return counts


def settlement_weight(settlement: Settlement) -> float:
    """More schools in larger settlements, but less than proportionally (rural schools are small)."""
    return math.pow(max(settlement.pop_2011, 1), 0.8)


def jitter_radius_m(settlement: Settlement) -> float:
    """Up to 300 m around the settlement point; a little more in the few towns over 10,000 people."""
    if settlement.pop_2011 <= 10_000:
        return 300.0
    return min(800.0, 300.0 * math.sqrt(settlement.pop_2011 / 10_000))


def _jitter(lat: float, lon: float, radius_m: float, rng: random.Random) -> tuple[float, float]:
    distance = radius_m * math.sqrt(rng.random())
    bearing = rng.uniform(0.0, 2.0 * math.pi)
    dlat = distance * math.cos(bearing) / 111_320.0
    dlon = distance * math.sin(bearing) / (111_320.0 * math.cos(math.radians(lat)))
    return round(lat + dlat, 6), round(lon + dlon, 6)


def school_types(count: int, rng: random.Random) -> list[str]:
    """The types of the ``count`` schools of one settlement."""
    if count == 1:
        return [KINDERGARTEN if rng.random() < 0.35 else PRIMARY]
    ladder = list(_TYPE_LADDER[: min(count, len(_TYPE_LADDER))])
    ladder += [_TOWN_CYCLE[i % len(_TOWN_CYCLE)] for i in range(count - len(ladder))]
    return sorted(ladder, key=SCHOOL_TYPES.index)


def _hours(school_type: str, town: bool, rng: random.Random) -> tuple[str, str]:
    if school_type == KINDERGARTEN:
        return ("08:00", "13:30") if rng.random() < 0.7 else ("08:15", "14:00")
    # A few town secondary schools work in the afternoon (shared buildings).
    if town and school_type not in _PRIMARY_LEVEL and rng.random() < 0.2:
        return "13:30", "19:00"
    if rng.random() < 0.1:
        return "08:00", "13:30"
    return "08:15", "14:00"


def directorate_of(settlement: Settlement, school_type: str) -> str:
    area = DIRECTORATE_GENITIVE.get(settlement.directorate_area, settlement.directorate_area.title())
    prefix = "Δ.Π.Ε." if school_type in _PRIMARY_LEVEL else "Δ.Δ.Ε."
    return f"{prefix} {area}"


def make_schools(
    settlements: Sequence[Settlement],
    counts: Sequence[int],
    rng: random.Random,
    *,
    first_number: int = 1,
    id_width: int = 4,
) -> list[SchoolRow]:
    """Schools for ``counts[i]`` schools at ``settlements[i]``, numbered ``S0001``, ``S0002``, ..."""
    schools: list[SchoolRow] = []
    number = first_number
    for settlement, count in zip(settlements, counts, strict=True):
        if count <= 0:
            continue
        types = school_types(count, rng)
        place = place_name(settlement)
        radius = jitter_radius_m(settlement)
        for school_type in SCHOOL_TYPES:
            of_type = sum(1 for t in types if t == school_type)
            for k in range(of_type):
                ordinal = f"{k + 1}ο " if of_type > 1 else ""
                lat, lon = _jitter(settlement.lat, settlement.lon, radius, rng)
                opens, closes = _hours(school_type, count >= 5, rng)
                schools.append(
                    SchoolRow(
                        school_id=f"S{number:0{id_width}d}",
                        name=f"{ordinal}{school_type} {place}",
                        lat=lat,
                        lon=lon,
                        directorate=directorate_of(settlement, school_type),
                        island=settlement.island,
                        opens_min=parse_time(opens),
                        closes_min=parse_time(closes),
                        needs_4x4=False,
                        terrain=settlement.terrain if settlement.terrain in TERRAINS else "plain",
                        settlement=settlement.code,
                        school_type=school_type,
                    )
                )
                number += 1
    return schools


def mark_needs_4x4(
    schools: Sequence[SchoolRow],
    settlements: Mapping[str, Settlement],
    rng: random.Random,
    share: float = FOUR_BY_FOUR_SHARE,
) -> None:
    """Mark about ``share`` of the schools of high mountain settlements as needing a 4x4.

    The choice is made per settlement (one access road serves all its schools).
    """
    by_settlement: dict[str, list[SchoolRow]] = {}
    for school in schools:
        place = settlements[school.settlement]
        if place.terrain == "mountainous" and place.altitude_m > FOUR_BY_FOUR_MIN_ALTITUDE_M:
            by_settlement.setdefault(school.settlement, []).append(school)
    candidates = sorted(by_settlement)
    if not candidates:
        return
    target = round(share * sum(len(v) for v in by_settlement.values()))
    rng.shuffle(candidates)
    marked = 0
    for code in candidates:
        group = by_settlement[code]
        if marked >= target or (marked > 0 and marked + len(group) > target + 1):
            continue
        for school in group:
            school.needs_4x4 = True
        marked += len(group)


def build_schools(
    settlements: Sequence[Settlement],
    num_schools: int,
    rng: random.Random,
    *,
    minimum: Mapping[str, int] | None = None,
    first_number: int = 1,
    id_width: int = 4,
) -> list[SchoolRow]:
    """Place ``num_schools`` schools on ``settlements`` (in their order), more in larger ones."""
    weights = [settlement_weight(s) for s in settlements]
    floor = [(minimum or {}).get(s.code, 0) for s in settlements]
    counts = allocate(weights, num_schools, rng, floor)
    return make_schools(settlements, counts, rng, first_number=first_number, id_width=id_width)


def region_order(settlement: Settlement) -> tuple[int, str, int, str]:
    """Sort key: Epirus (by directorate) before the Cyclades (by island), larger settlements first."""
    area = settlement.directorate_area
    rank = EPIRUS_AREAS.index(area) if area in EPIRUS_AREAS else len(EPIRUS_AREAS)
    return rank, settlement.island, -settlement.pop_2011, settlement.code


# --------------------------------------------------------------------------- technicians


def technician_names(count: int, rng: random.Random) -> list[str]:
    """``count`` distinct Greek full names (male and female, surnames agreeing)."""
    pool = [f"{first} {male}" for first in _MALE_FIRST for male, _ in _SURNAMES]
    pool += [f"{first} {female}" for first in _FEMALE_FIRST for _, female in _SURNAMES]
    pool = sorted(set(pool))
    if count <= len(pool):
        return rng.sample(pool, count)
    names = rng.sample(pool, len(pool))
    return names + [f"{names[i % len(pool)]} ({i // len(pool) + 1})" for i in range(len(pool), count)]


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def base_shares(bases: Sequence[BaseRow], schools: Sequence[SchoolRow]) -> list[float]:
    """How many schools each base is nearest to (same island first; ties split)."""
    shares = [0.0] * len(bases)
    for school in schools:
        local = [i for i, b in enumerate(bases) if b.island == school.island] or list(range(len(bases)))
        dist = {i: _haversine_km(school.lat, school.lon, bases[i].lat, bases[i].lon) for i in local}
        best = min(dist.values())
        nearest = [i for i in local if dist[i] <= best + 0.05]
        for i in nearest:
            shares[i] += 1.0 / len(nearest)
    return shares


#: Relative staffing of a base of each kind for the same number of nearby schools.
_KIND_STAFFING: Mapping[str, float] = {"keplinet": 1.0, "partner": 0.6, "substation": 0.5}


def build_technicians(
    num_technicians: int,
    bases: Sequence[BaseRow],
    schools: Sequence[SchoolRow],
    employers: Mapping[str, str],
    rng: random.Random,
) -> list[TechnicianRow]:
    """Technicians spread over ``bases`` in proportion to the schools each base is nearest to."""
    if num_technicians < 1:
        raise ValueError("num_technicians must be at least 1")
    shares = base_shares(bases, schools)
    weights = [
        (share + 1.0) * _KIND_STAFFING.get(base.kind, 1.0) for base, share in zip(bases, shares, strict=True)
    ]
    if num_technicians >= len(bases):
        floor = [1] * len(bases)
    else:
        # Too few for every base: still staff the busiest base of the mainland and of the islands.
        floor = [0] * len(bases)
        for on_island in (False, True):
            group = [i for i, b in enumerate(bases) if bool(b.island) == on_island]
            if group and sum(floor) < num_technicians:
                floor[max(group, key=lambda i: weights[i])] = 1
    counts = allocate(weights, num_technicians, rng, floor)
    names = technician_names(num_technicians, rng)
    width = max(2, len(str(num_technicians)))
    technicians: list[TechnicianRow] = []
    for base, count in zip(bases, counts, strict=True):
        for _ in range(count):
            n = len(technicians)
            # The first skill rotates through the vocabulary so every skill is covered.
            skills = {SKILLS[n % len(SKILLS)]}
            while len(skills) < 2:
                skills.update(rng.sample(SKILLS, rng.randint(1, 4)))
            island = bool(base.island)
            draw = rng.random()
            if draw < (0.4 if island else 0.1):
                shift = ("07:00", "15:00")
            elif draw < (0.55 if island else 0.25):
                shift = ("07:30", "15:30")
            else:
                shift = ("08:00", "16:00")
            technicians.append(
                TechnicianRow(
                    technician_id=f"T{n + 1:0{width}d}",
                    name=names[n],
                    base_id=base.base_id,
                    skills=tuple(s for s in SKILLS if s in skills),
                    shift_start_min=parse_time(shift[0]),
                    shift_end_min=parse_time(shift[1]),
                    employer=employers.get(base.base_id, base.name),
                    max_km_per_day=250.0 if not island and rng.random() < 0.25 else None,
                    has_4x4=not island and rng.random() < 0.35,
                    cost_per_km=rng.choice((0.15, 0.18, 0.2, 0.22, 0.25)) if rng.random() < 0.3 else None,
                )
            )
    return technicians


# --------------------------------------------------------------------------- tickets


def exact_shares(shares: Mapping[str, float], total: int, rng: random.Random) -> list[str]:
    """A shuffled list of ``total`` labels in the given proportions (largest remainder)."""
    labels = list(shares)
    quotas = [shares[k] * total for k in labels]
    counts = [int(q) for q in quotas]
    order = sorted(range(len(labels)), key=lambda i: (quotas[i] - counts[i], -i), reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    out = [label for label, c in zip(labels, counts, strict=True) for _ in range(c)]
    rng.shuffle(out)
    return out


def category_for(skill: str, rng: random.Random) -> str:
    """A helpdesk category that needs ``skill``."""
    return rng.choice([c for c, s in CATEGORIES if s == skill])


def _opened_at(plan_date: date, rng: random.Random) -> datetime:
    while True:
        day = plan_date - timedelta(days=rng.randint(1, 15))
        # Most tickets arrive on school days; a few come in over the weekend web form.
        if day.weekday() < 5 or rng.random() < 0.15:
            break
    minute = rng.randrange(7 * 60 + 30, 15 * 60, 5)
    return datetime.combine(day, time(minute // 60, minute % 60))


def _due_by(opened_at: datetime, plan_date: date, kind: str, rng: random.Random) -> datetime:
    if kind == "overdue":
        earliest = opened_at.date() + timedelta(days=1)
        spare_days = max(0, (plan_date - timedelta(days=1) - earliest).days)
        return datetime.combine(earliest + timedelta(days=rng.randint(0, spare_days)), time(14, 0))
    if kind == "soon":
        return datetime.combine(plan_date + timedelta(days=rng.randint(0, 1)), time(rng.choice((12, 14)), 0))
    return datetime.combine(plan_date + timedelta(days=rng.randint(2, 7)), time(14, 0))


def build_tickets(
    school_ids: Sequence[str],
    rng: random.Random,
    *,
    plan_date: date = SAMPLE_DATE,
    first_number: int = 1,
    id_width: int = 4,
) -> list[TicketRow]:
    """One ticket per entry of ``school_ids`` (repeat an id for several tickets at a school)."""
    total = len(school_ids)
    skills = rng.choices(list(SKILL_WEIGHTS), weights=list(SKILL_WEIGHTS.values()), k=total)
    priorities = exact_shares(PRIORITY_SHARES, total, rng)
    tickets: list[TicketRow] = []
    for school_id, skill, priority in zip(school_ids, skills, priorities, strict=True):
        tickets.append(
            TicketRow(
                ticket_id="",  # numbered below, in opening order
                school_id=school_id,
                opened_at=_opened_at(plan_date, rng),
                category=category_for(skill, rng),
                skill=skill,
                priority=priority,
                service_minutes=rng.choice(SERVICE_MINUTES),
            )
        )
    indices = list(range(total))
    remote_pool = [
        i for i in indices if tickets[i].skill in ("windows", "egov", "linux", "network", "printer")
    ]
    remote = set(rng.sample(remote_pool, min(len(remote_pool), round(REMOTE_SHARE * total))))
    warranty_pool = [i for i in indices if tickets[i].skill in ("hardware", "printer") and i not in remote]
    warranty = set(rng.sample(warranty_pool, min(len(warranty_pool), round(WARRANTY_SHARE * total))))
    due = rng.sample(indices, round(DUE_SHARE * total))
    for i in remote:
        tickets[i].remote = True
    for i in warranty:
        tickets[i].warranty = True
    for rank, i in enumerate(due):
        kind = ("overdue", "soon", "later", "soon", "later")[rank % 5]
        tickets[i].due_by = _due_by(tickets[i].opened_at, plan_date, kind, rng)
    # Helpdesk numbers grow with time: number the tickets in the order they were opened.
    tickets.sort(key=lambda t: t.opened_at)
    for k, ticket in enumerate(tickets):
        ticket.ticket_id = f"K{first_number + k:0{id_width}d}"
    return tickets


# --------------------------------------------------------------------------- embedded tables


def load_bases(path: Path | None = None) -> list[BaseRow]:
    rows = read_csv(path or sample_data_dir() / "bases.csv")
    return [BaseRow.from_cells(r, directorate=r.get("directorate", "")) for r in rows]


def sample_employers() -> dict[str, str]:
    """Employer of the technicians of each sample base (first one listed)."""
    employers: dict[str, str] = {}
    for row in read_csv(sample_data_dir() / "technicians.csv"):
        employers.setdefault(row["base_id"], row["employer"])
    return employers


def _plain_settlements(settlements: Sequence[Settlement], *, islands: bool) -> list[Settlement]:
    chosen = [s for s in settlements if bool(s.island) == islands]
    return sorted(chosen, key=region_order)


def generate_problem_files(
    target: Path,
    *,
    num_tickets: int,
    num_technicians: int,
    seed: int = 0,
    num_schools: int | None = None,
    plan_date: date = SAMPLE_DATE,
    islands: bool = True,
) -> Path:
    """Write a synthetic problem folder (CSV + ``policy.json``) into ``target`` and return it.

    Parameters
    ----------
    num_tickets, num_technicians
        Sizes of ``tickets.csv`` and ``technicians.csv``.
    seed
        Seed of every random draw: the same arguments give identical files.
    num_schools
        Size of ``schools.csv``; default ``max(150, num_tickets)``.
    plan_date
        Tickets are opened over the 15 days before it; due dates are set around it.
    islands
        False for a mainland-only problem (Epirus schools and bases, no ports or ferries).
    """
    if num_tickets < 0:
        raise ValueError("num_tickets must not be negative")
    schools_wanted = max(150, num_tickets) if num_schools is None else num_schools
    if schools_wanted < 1:
        raise ValueError("num_schools must be at least 1")
    rng = random.Random(seed)
    data = sample_data_dir()
    settlements = load_settlements()
    by_code = {s.code: s for s in settlements}

    width = max(4, len(str(schools_wanted)))
    mainland = _plain_settlements(settlements, islands=False)
    if islands:
        island_count = round(ISLAND_SHARE * schools_wanted)
        schools = build_schools(mainland, schools_wanted - island_count, rng, id_width=width)
        schools += build_schools(
            _plain_settlements(settlements, islands=True),
            island_count,
            rng,
            first_number=len(schools) + 1,
            id_width=width,
        )
    else:
        schools = build_schools(mainland, schools_wanted, rng, id_width=width)
    mark_needs_4x4(schools, by_code, rng)

    bases = [b for b in load_bases() if islands or not b.island]
    technicians = build_technicians(num_technicians, bases, schools, sample_employers(), rng)
    ticket_schools = [rng.choice(schools).school_id for _ in range(num_tickets)]
    tickets = build_tickets(ticket_schools, rng, plan_date=plan_date, id_width=max(4, len(str(num_tickets))))

    target.mkdir(parents=True, exist_ok=True)
    write_csv(target / "schools.csv", SCHOOL_COLUMNS, (s.as_row() for s in schools))
    write_csv(target / "bases.csv", BASE_COLUMNS, (b.as_row() for b in bases))
    write_csv(target / "technicians.csv", TECHNICIAN_COLUMNS, (t.as_row() for t in technicians))
    write_csv(target / "tickets.csv", TICKET_COLUMNS, (t.as_row() for t in tickets))
    for name in ("ports.csv", "ferries.csv"):
        if islands:
            shutil.copyfile(data / name, target / name)
        else:
            (target / name).unlink(missing_ok=True)
    policy = json.loads((data / "policy.json").read_text(encoding="utf-8"))
    (target / "policy.json").write_text(
        json.dumps(policy, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    shutil.copyfile(data / "ATTRIBUTION.md", target / "ATTRIBUTION.md")
    return target
