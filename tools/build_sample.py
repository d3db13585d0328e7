"""Build the embedded sample region from the shared Greek reference data.

Reads ``../shared/data/greece`` (ELSTAT settlements, pilot support sites, Aegean ports
and ferry links) and writes the package's ``dromologio/sample/data`` folder: the sample
problem (schools, bases, technicians, tickets, ports, ferries, policy), the compact
``settlements.csv`` used by :mod:`dromologio.sample.generate`, a README and the
attribution notes.  Deterministic: the seed is fixed, so a rebuild gives the same
bytes.  Run by developers (``python tools/build_sample.py``), never at run time.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dromologio import ATTRIBUTION
from dromologio.models.vocab import SKILLS, WEEKDAYS
from dromologio.sample import SAMPLE_DATE
from dromologio.sample.generate import (
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
    build_schools,
    build_tickets,
    hhmm,
    mark_needs_4x4,
    region_order,
    write_csv,
)

SEED = 20261123
REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "greece"
DEFAULT_TARGET = REPO / "dromologio" / "sample" / "data"

NUM_EPIRUS_SCHOOLS = 130
NUM_CYCLADES_SCHOOLS = 90

#: Islands of the sample (names as in ``island_name`` of the settlements and ports files).
ISLANDS = (
    "Σύρος",
    "Τήνος",
    "Άνδρος",
    "Μύκονος",
    "Πάρος",
    "Αντίπαρος",
    "Νάξος",
    "Ηρακλειά",
    "Σχοινούσα",
    "Κουφονήσια",
    "Αμοργός",
    "Ίος",
    "Θήρα (Σαντορίνη)",
)
#: Ports of those islands that the timetable serves (Aigiali on Amorgos is reached by road).
PORTS = ("JSY", "TIN", "JMK", "AND", "PAS", "PNT", "ANP", "JNX", "IRK", "SXI", "KOU", "AMO", "IOS", "JTR")
EPIRUS_MIN_POP = 100
CYCLADES_MIN_POP = 50
#: The island in Lake Pamvotis is reached by boat only; it is not part of the road model.
EXCLUDED_SETTLEMENTS = frozenset({"1801040101"})

#: Minimum number of schools at named settlements (name, municipality): the towns and the
#: mountain villages (Zagori, Tzoumerka, Metsovo, Konitsa) the pilot is about.
EPIRUS_MINIMUM: Mapping[tuple[str, str], int] = {
    ("Ιωάννινα", "ΙΩΑΝΝΙΤΩΝ"): 24,
    ("Άρτα", "ΑΡΤΑΙΩΝ"): 8,
    ("Πρέβεζα", "ΠΡΕΒΕΖΑΣ"): 7,
    ("Ηγουμενίτσα", "ΗΓΟΥΜΕΝΙΤΣΑΣ"): 5,
    ("Μέτσοβον", "ΜΕΤΣΟΒΟΥ"): 3,
    ("Κόνιτσα", "ΚΟΝΙΤΣΑΣ"): 3,
    ("Πράμαντα", "ΒΟΡΕΙΩΝ ΤΖΟΥΜΕΡΚΩΝ"): 2,
    ("Τσεπέλοβον", "ΖΑΓΟΡΙΟΥ"): 1,
    ("Πάπιγκον", "ΖΑΓΟΡΙΟΥ"): 1,
    ("Μονοδένδριον", "ΖΑΓΟΡΙΟΥ"): 1,
    ("Συρράκον", "ΒΟΡΕΙΩΝ ΤΖΟΥΜΕΡΚΩΝ"): 1,
    ("Ματσούκιον", "ΒΟΡΕΙΩΝ ΤΖΟΥΜΕΡΚΩΝ"): 1,
    ("Μελισσουργοί", "ΚΕΝΤΡΙΚΩΝ ΤΖΟΥΜΕΡΚΩΝ"): 1,
    ("Βουργαρέλι", "ΚΕΝΤΡΙΚΩΝ ΤΖΟΥΜΕΡΚΩΝ"): 1,
    ("Άγναντα", "ΚΕΝΤΡΙΚΩΝ ΤΖΟΥΜΕΡΚΩΝ"): 1,
    ("Αετομηλίτσα", "ΚΟΝΙΤΣΑΣ"): 1,
    ("Μηλέα", "ΜΕΤΣΟΒΟΥ"): 1,
}
CYCLADES_MINIMUM: Mapping[tuple[str, str], int] = {
    ("Ερμούπολις", "ΣΥΡΟΥ - ΕΡΜΟΥΠΟΛΗΣ"): 8,
    ("Νάξος", "ΝΑΞΟΥ ΚΑΙ ΜΙΚΡΩΝ ΚΥΚΛΑΔΩΝ"): 5,
    ("Κουφονήσιον", "ΝΑΞΟΥ ΚΑΙ ΜΙΚΡΩΝ ΚΥΚΛΑΔΩΝ"): 2,
    ("Αντίπαρος", "ΑΝΤΙΠΑΡΟΥ"): 1,
    ("Αμοργός", "ΑΜΟΡΓΟΥ"): 1,
    ("Αιγιάλη", "ΑΜΟΡΓΟΥ"): 1,
    ("Ίος", "ΙΗΤΩΝ"): 2,
}

# --------------------------------------------------------------------------- ferry timetable

#: Fare for a technician with a car: EUR per estimated sea-km, rounded to 0.5, with a floor.
FARE_EUR_PER_SEA_KM = 0.25
MIN_FARE_EUR = 3.0


@dataclass(frozen=True)
class Service:
    """A ship calling at ``ports`` in order, leaving the first at ``depart`` on ``days``."""

    ports: tuple[str, ...]
    depart: str
    days: str = "daily"


MON_FRI = "Mon;Tue;Wed;Thu;Fri"
MON_SAT = "Mon;Tue;Wed;Thu;Fri;Sat"

# Winter pattern (the sample date is in November).  Trunk lines run several times a day;
# small lines run on some weekdays only.  Early departures and afternoon returns make a
# day trip possible on some links and days, not on others (see data/README.md).
SERVICES: tuple[Service, ...] = (
    # Syros – Tinos – Mykonos trunk.
    Service(("JMK", "TIN", "JSY"), "07:00"),
    Service(("JSY", "TIN", "JMK"), "07:30"),
    Service(("JSY", "TIN", "JMK"), "08:45", "Tue;Thu"),
    Service(("JSY", "TIN", "JMK"), "11:15"),
    Service(("JMK", "TIN", "JSY"), "13:00"),
    Service(("JMK", "TIN", "JSY"), "16:45"),
    Service(("JSY", "TIN", "JMK"), "17:30", "Mon;Wed;Fri;Sun"),
    # Rafina line: Andros – Tinos – Mykonos.
    Service(("AND", "TIN", "JMK"), "07:30"),
    Service(("JMK", "TIN", "AND"), "14:30"),
    Service(("TIN", "AND"), "09:00", "Mon;Wed;Fri"),
    Service(("AND", "TIN"), "13:30", "Mon;Wed;Fri"),
    # Syros – Paros.
    Service(("JSY", "PAS"), "07:45", "Mon;Wed;Fri"),
    Service(("PAS", "JSY"), "15:00", "Mon;Wed;Fri"),
    Service(("PAS", "JSY"), "07:15", "Tue;Thu;Sat"),
    Service(("JSY", "PAS"), "16:00", "Tue;Thu;Sun"),
    # Paros – Naxos – Ios – Santorini trunk and Paros – Naxos shuttles.
    Service(("JTR", "IOS", "JNX", "PAS"), "07:00"),
    Service(("PAS", "JNX", "IOS", "JTR"), "12:00"),
    Service(("JNX", "PAS"), "07:30"),
    Service(("PAS", "JNX"), "08:30", MON_FRI),
    Service(("PAS", "JNX"), "14:00"),
    Service(("JNX", "PAS"), "17:00"),
    Service(("IOS", "JTR"), "07:30", "Tue;Thu;Sat"),
    Service(("JTR", "IOS"), "16:00", "Tue;Thu;Sat"),
    # Small Cyclades local line: early to Naxos, back in the afternoon.
    Service(("AMO", "KOU", "SXI", "IRK", "JNX"), "06:30", MON_SAT),
    Service(("JNX", "IRK", "SXI", "KOU", "AMO"), "14:00", MON_SAT),
    # Naxos – Amorgos (Katapola) conventional ferry.
    Service(("JNX", "AMO"), "12:30", "Mon;Wed;Fri"),
    Service(("AMO", "JNX"), "07:00", "Tue;Thu;Sat"),
    # Paros (Pounta) – Antiparos car-ferry shuttle, hourly.
    *(Service(("PNT", "ANP"), f"{h:02d}:00") for h in range(7, 22)),
    *(Service(("ANP", "PNT"), f"{h:02d}:30") for h in range(7, 22)),
)


@dataclass(frozen=True)
class Link:
    duration_min: int
    sea_km: float


def _minutes(value: str) -> int:
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def fare(sea_km: float) -> float:
    return max(MIN_FARE_EUR, round(FARE_EUR_PER_SEA_KM * sea_km * 2) / 2)


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def year_round_links(source: Path) -> dict[frozenset[str], Link]:
    """Year-round links between the sample's ports (undirected)."""
    links: dict[frozenset[str], Link] = {}
    for row in read_rows(source / "ferry_links_aegean.csv"):
        pair = frozenset((row["port_a"], row["port_b"]))
        if row["season"] != "year_round" or not pair <= set(PORTS) or pair in links:
            continue
        links[pair] = Link(int(row["duration_min_est"]), float(row["sea_km_est"]))
    return links


def timetable(links: Mapping[frozenset[str], Link]) -> list[list[str]]:
    """Rows of ``ferries.csv``: one per pair of ports along every service.

    A ship calling at A, B, C gives A→B, B→C and the through trip A→C (a technician
    stays on board, so the through trip needs one check-in, not two).
    """
    legs: dict[tuple[str, str, int], list[str]] = {}
    for service in SERVICES:
        days = service.days
        if days != "daily" and not set(days.split(";")) <= set(WEEKDAYS):
            raise ValueError(f"bad days {days!r}")
        # Arrival clock at each call; the estimated duration includes docking, so the
        # ship leaves each port on arrival.
        clock = [_minutes(service.depart)]
        sea_km = [0.0]
        for a, b in zip(service.ports, service.ports[1:], strict=False):
            link = links.get(frozenset((a, b)))
            if link is None:
                raise ValueError(f"no year-round link {a}–{b} in ferry_links_aegean.csv")
            clock.append(clock[-1] + link.duration_min)
            sea_km.append(sea_km[-1] + link.sea_km)
        if clock[-1] >= 24 * 60:
            raise ValueError(f"service from {service.ports[0]} at {service.depart} runs past midnight")
        for i, a in enumerate(service.ports):
            for j in range(i + 1, len(service.ports)):
                b = service.ports[j]
                key = (a, b, clock[i])
                if key in legs:
                    raise ValueError(f"two services leave {a} for {b} at {hhmm(clock[i])}")
                duration = clock[j] - clock[i]
                legs[key] = [a, b, hhmm(clock[i]), str(duration), days, f"{fare(sea_km[j] - sea_km[i]):.1f}"]
    return [legs[k] for k in sorted(legs)]


# --------------------------------------------------------------------------- source tables


def load_region_settlements(source: Path) -> list[Settlement]:
    chosen: list[Settlement] = []
    for row in read_rows(source / "settlements_elstat2011.csv"):
        pop = int(row["pop_2011"] or 0)
        epirus = row["region"] == "ΗΠΕΙΡΟΥ" and row["island"] == "False" and pop >= EPIRUS_MIN_POP
        cyclades = row["island_name"] in ISLANDS and pop >= CYCLADES_MIN_POP
        usable = row["lat"] and row["altitude_m"] and row["coord_check"] == "ok"
        if not (epirus or cyclades) or not usable or row["elstat_code"] in EXCLUDED_SETTLEMENTS:
            continue
        chosen.append(
            Settlement(
                code=row["elstat_code"],
                name=row["name"],
                article=row["article"],
                name_latin=row["name_latin"],
                municipality=row["municipality"],
                directorate_area=row["directorate_area"],
                island=row["island_name"] if cyclades else "",
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                altitude_m=float(row["altitude_m"]),
                terrain=row["terrain"],
                pop_2011=pop,
            )
        )
    return sorted(chosen, key=lambda s: s.code)


def port_rows(source: Path) -> list[list[str]]:
    by_id = {r["port_id"]: r for r in read_rows(source / "ports_aegean.csv")}
    rows = []
    for port_id in PORTS:
        r = by_id[port_id]
        if r["island_name"] not in ISLANDS:
            raise ValueError(f"port {port_id} is on {r['island_name']!r}, not a sample island")
        rows.append(
            [port_id, r["name_el"], f"{float(r['lat']):.6f}", f"{float(r['lon']):.6f}", r["island_name"]]
        )
    return rows


def bases(source: Path, settlements: Mapping[str, Settlement]) -> list[BaseRow]:
    sites = {r["site_id"]: r for r in read_rows(source / "pilot_support_sites.csv")}

    def from_site(
        base_id: str, site_id: str, kind: str, directorate: str, name: str | None = None
    ) -> BaseRow:
        site = sites[site_id]
        return BaseRow(
            base_id,
            name or site["name_el"],
            float(site["lat"]),
            float(site["lon"]),
            site["island_name"],
            kind,
            directorate,
        )

    naxos = settlements["6702010101"]
    return [
        # Each base serves one Directorate: the service plans and scopes its technicians with it.
        from_site("KPN-IOA", "KEPLINET_IOA", "keplinet", "Δ.Π.Ε. Ιωαννίνων"),
        from_site("UOI-IOA", "UOI_IOANNINA", "partner", "Δ.Δ.Ε. Ιωαννίνων"),
        from_site("KPN-ART", "KEPLINET_ART", "keplinet", "Δ.Π.Ε. Άρτας"),
        from_site("KPN-PRE", "KEPLINET_PRE", "keplinet", "Δ.Π.Ε. Πρέβεζας"),
        from_site("KPN-THE", "KEPLINET_THE", "keplinet", "Δ.Π.Ε. Θεσπρωτίας"),
        from_site("KPN-KYK", "KEPLINET_KYK", "keplinet", "Δ.Π.Ε. Κυκλάδων"),
        from_site("UAEG-SYR", "UAEGEAN_SYROS", "partner", "Δ.Π.Ε. Κυκλάδων"),
        # No site file row: the substation sits at the Naxos town settlement point.
        BaseRow(
            "SUB-NAX",
            "Παράρτημα ΚΕ.ΠΛΗ.ΝΕ.Τ. Κυκλάδων – Νάξος",
            naxos.lat,
            naxos.lon,
            naxos.island,
            "substation",
            "Δ.Δ.Ε. Κυκλάδων",
        ),
    ]


# --------------------------------------------------------------------------- people and tickets

KPN_IOA = "ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων"
KPN_KYK = "ΚΕ.ΠΛΗ.ΝΕ.Τ. Κυκλάδων"


def _technician(
    technician_id: str,
    name: str,
    base_id: str,
    skills: tuple[str, ...],
    start: str,
    end: str,
    employer: str,
    **options: Any,
) -> TechnicianRow:
    return TechnicianRow(
        technician_id, name, base_id, skills, _minutes(start), _minutes(end), employer, **options
    )


def technicians() -> list[TechnicianRow]:
    t = _technician
    return [
        t("T01", "Δημήτρης Τσιρογιάννης", "KPN-IOA", ("windows", "linux", "ltsp", "network"), "08:00", "16:00",
          KPN_IOA, has_4x4=True),
        t("T02", "Ελένη Κίτσου", "KPN-IOA", ("windows", "hardware", "printer", "egov"), "08:00", "16:00", KPN_IOA),
        t("T03", "Κώστας Μπέλλος", "UOI-IOA", ("linux", "ltsp", "network", "hardware"), "08:00", "16:00",
          "Πανεπιστήμιο Ιωαννίνων", max_km_per_day=250.0, has_4x4=True, cost_per_km=0.2),
        t("T04", "Νίκος Ζώης", "KPN-ART", ("windows", "network", "hardware", "printer"), "08:00", "16:00",
          "ΚΕ.ΠΛΗ.ΝΕ.Τ. Άρτας", max_km_per_day=250.0, has_4x4=True, cost_per_km=0.15),
        t("T05", "Αγγελική Μάνθου", "KPN-PRE", ("windows", "linux", "printer", "egov"), "08:00", "16:00",
          "ΚΕ.ΠΛΗ.ΝΕ.Τ. Πρέβεζας"),
        t("T06", "Σπύρος Κώτσης", "KPN-THE", ("windows", "network", "hardware", "egov"), "08:00", "16:00",
          "ΚΕ.ΠΛΗ.ΝΕ.Τ. Θεσπρωτίας", max_km_per_day=250.0, has_4x4=True, cost_per_km=0.18),
        t("T07", "Μαρία Ρούσσου", "KPN-KYK", ("windows", "linux", "ltsp", "network", "hardware"), "07:00", "15:00",
          KPN_KYK),
        t("T08", "Αντώνης Φωσκόλος", "UAEG-SYR", ("windows", "linux", "network", "egov"), "08:00", "16:00",
          "Πανεπιστήμιο Αιγαίου", cost_per_km=0.25),
        t("T09", "Γιάννης Νομικός", "SUB-NAX", ("windows", "network", "hardware", "printer"), "07:00", "15:00",
          KPN_KYK),
        t("T10", "Χριστίνα Σιγάλα", "KPN-KYK", ("windows", "hardware", "printer", "egov"), "07:30", "15:30",
          KPN_KYK),
    ]  # fmt: skip


def _code(settlements: Sequence[Settlement], name: str, municipality: str) -> str:
    found = [s.code for s in settlements if s.name == name and s.municipality == municipality]
    if len(found) != 1:
        raise ValueError(f"settlement {name} ({municipality}) found {len(found)} times")
    return found[0]


def _minimum(settlements: Sequence[Settlement], wanted: Mapping[tuple[str, str], int]) -> dict[str, int]:
    return {_code(settlements, name, muni): n for (name, muni), n in wanted.items()}


def sample_schools(settlements: Sequence[Settlement], rng: random.Random) -> list[SchoolRow]:
    epirus = sorted((s for s in settlements if not s.island), key=region_order)
    cyclades = sorted((s for s in settlements if s.island), key=region_order)
    schools = build_schools(epirus, NUM_EPIRUS_SCHOOLS, rng, minimum=_minimum(epirus, EPIRUS_MINIMUM))
    schools += build_schools(
        cyclades,
        NUM_CYCLADES_SCHOOLS,
        rng,
        minimum=_minimum(cyclades, CYCLADES_MINIMUM),
        first_number=len(schools) + 1,
    )
    mark_needs_4x4(schools, {s.code: s for s in settlements}, rng)
    return schools


def _pick(rng: random.Random, pool: Sequence[SchoolRow], used: set[str], k: int) -> list[SchoolRow]:
    free = [s for s in pool if s.school_id not in used]
    chosen = rng.sample(free, k)
    used.update(s.school_id for s in chosen)
    return chosen


def sample_tickets(
    schools: Sequence[SchoolRow], settlements: Mapping[str, Settlement], rng: random.Random
) -> list[TicketRow]:
    """60 tickets: ~36 in Epirus, ~24 in the Cyclades, with the cases a planner must handle."""
    epirus = [s for s in schools if not s.island]
    cyclades = [s for s in schools if s.island]
    used: set[str] = set()
    four_by_four = _pick(rng, [s for s in epirus if s.needs_4x4], used, 3)
    ioannina = _pick(rng, [s for s in epirus if settlements[s.settlement].name == "Ιωάννινα"], used, 2)
    epirus_pair = _pick(rng, epirus, used, 1)
    koufonisia = _pick(rng, [s for s in cyclades if s.island == "Κουφονήσια"], used, 1)
    syros = _pick(rng, [s for s in cyclades if s.island == "Σύρος"], used, 1)
    naxos = _pick(rng, [s for s in cyclades if s.island == "Νάξος"], used, 1)
    ids: list[str] = [s.school_id for s in four_by_four]
    ids += [ioannina[0].school_id] * 3 + [ioannina[1].school_id] * 2 + [epirus_pair[0].school_id] * 2
    ids += [s.school_id for s in _pick(rng, epirus, used, 36 - len(ids))]
    cyclades_ids = [koufonisia[0].school_id] + [syros[0].school_id] * 3 + [naxos[0].school_id] * 2
    cyclades_ids += [s.school_id for s in _pick(rng, cyclades, used, 24 - len(cyclades_ids))]
    ids += cyclades_ids
    tickets = build_tickets(ids, rng, plan_date=SAMPLE_DATE)

    by_school: dict[str, list[TicketRow]] = {}
    for ticket in tickets:
        by_school.setdefault(ticket.school_id, []).append(ticket)
    # Mountain tickets must be visited on site (they exercise the 4x4 rule).
    for school in four_by_four:
        for ticket in by_school[school.school_id]:
            ticket.remote = ticket.warranty = False
    # An LTSP server on Koufonisia: the only island technician with ltsp (Syros) cannot get
    # there while the school is open, and no mainland technician can reach the islands.
    ltsp = by_school[koufonisia[0].school_id][0]
    ltsp.category, ltsp.skill, ltsp.priority = "Διακομιστής LTSP / LTSP server", "ltsp", "high"
    ltsp.remote = ltsp.warranty = False
    return tickets


# --------------------------------------------------------------------------- documents

POLICY: Mapping[str, float | int] = {
    "cost_per_km_eur": 0.15,
    "ferry_check_in_min": 30,
    "per_diem_eur": 40.0,
    "overnight_eur": 80.0,
    "solver_time_limit_s": 15.0,
}

SOURCES_TABLE = """\
| source | what was taken | licence / status |
|---|---|---|
| ELSTAT, 2011 census (settlement codes, names, hierarchy, populations), via GitHub repo `jgchaparro/HellasDB` | names, municipality, Directorate area, population of each settlement | Greek public-sector information, reusable with attribution (Law 4305/2014, EU open-data/PSI rules). "Source: Hellenic Statistical Authority (ELSTAT)" |
| ELSTAT settlements layer on geodata.gov.gr (`lat`, `long`, `h`), matched by HellasDB | settlement points and altitude; school and base positions derive from them | Greek public sector, reuse with attribution. The HellasDB repository has no licence file: only factual fields (codes, coordinates, altitude, classifications) are used, and it is credited |
| ELSTAT mountainous classification (`orinotita`) via HellasDB | `terrain` of settlements and schools | as above (ELSTAT) |
| NGA World Port Index (Pub. 150) | cross-check of port positions (in the shared data) | US government work, public domain |
| Aegean ferry topology and crossing-time estimates (shared data, own compilation) | the links and `duration_min` of the synthetic timetable | own compilation; durations are estimates (±20 %) |
"""


def attribution_md() -> str:
    return f"""# Attribution

{ATTRIBUTION}

Source: Hellenic Statistical Authority (ELSTAT).

The files in this folder are derived from the project's shared Greek reference data
(`shared/data/greece`) by `tools/build_sample.py`. CSV files cannot carry a credit
line, so it lives here and in the `dromologio.sample` package docstring; keep this
file with any copy of the sample (`write_sample` copies it).

{SOURCES_TABLE}
Schools, technicians, tickets, fares and the ferry timetable are synthetic: see `README.md`.
"""


def readme_md(
    schools: Sequence[SchoolRow],
    techs: Sequence[TechnicianRow],
    tickets: Sequence[TicketRow],
    ferries: Sequence[Sequence[str]],
    num_settlements: int,
) -> str:
    epirus = sum(1 for s in schools if not s.island)
    four = sum(1 for s in schools if s.needs_4x4)
    islands = sorted({s.island for s in schools if s.island})
    return f"""# The pilot regions: embedded sample problem

One problem folder in the format of `docs/problem-format.md` (the contract), planned for
**{SAMPLE_DATE.isoformat()}** (a Monday): the Epirus mainland and the Cyclades, two pilot
regions of the STIRIZO programme. Built by `python tools/build_sample.py` (fixed seed
{SEED}) from `shared/data/greece`; rebuild rather than edit by hand. Credits: `ATTRIBUTION.md`.

| file | rows | content |
|---|---|---|
| `schools.csv` | {len(schools)} | {epirus} in Epirus (Ioannina city, the plains of Arta, Preveza and Thesprotia, mountain villages of Zagori, Tzoumerka, Metsovo, Konitsa), {len(schools) - epirus} on {len(islands)} Cyclades islands; extension column `terrain`; {four} need a 4x4 |
| `bases.csv` | 8 | KE.PLI.NE.T. of Ioannina, Arta, Preveza, Thesprotia (Igoumenitsa) and the Cyclades (Syros); University of Ioannina campus and University of the Aegean Syros campus (partners); a substation on Naxos; extension column `directorate` (the Directorate each serves) |
| `technicians.csv` | {len(techs)} | mixed skills, Greek names; 6 in Epirus, 3 on Syros, 1 on Naxos |
| `tickets.csv` | {len(tickets)} | opened 1–15 days before the plan date; categories in helpdesk style (Greek / English) |
| `ports.csv` | {len(PORTS)} | ports of the sample islands (Iraklia and Schinoussa are calls of the Small Cyclades line) |
| `ferries.csv` | {len(ferries)} | **synthetic** winter timetable, see below |
| `policy.json` | – | a few example policy values, see below |
| `settlements.csv` | {num_settlements} | the region's real settlements, input of `dromologio.sample.generate` (not part of the problem) |

## What is real and what is synthetic

- **Real**: settlement names, points, altitude, terrain class, population, Directorate area
  (ELSTAT 2011); positions of the KE.PLI.NE.T., Directorates and partner campuses (town
  settlement points, not buildings); port positions; which ports are linked year-round and
  the estimated crossing times.
- **Synthetic**: the schools (no school register was available offline). They are placed at
  real settlement points, more in larger settlements (weight population^0.8), each within
  300 m of the point (up to 800 m in the towns above 10,000 people) so that schools of
  one town do not coincide; names follow the Greek pattern (`1ο Δημοτικό Σχολείο
  Ιωαννίνων`, `Γυμνάσιο Μετσόβου`), with the settlement name in the nominative where the
  genitive is not regular. Hours: mostly 08:15–14:00, kindergartens mostly 08:00–13:30, a
  few town secondary schools 13:30–19:00. `needs_4x4` is set for about 40 % of the schools
  of mountainous settlements above 700 m (chosen per settlement). Technicians, tickets and
  fares are fictional.

## The ferry timetable is synthetic

No openly licensed timetable exists. `ferries.csv` is derived from the year-round links of
`shared/data/greece/ferry_links_aegean.csv` between the sample's ports:

- `duration_min` = the link's `duration_min_est` (docking included; ±20 % against real
  crossings). A ship calling at several ports leaves each one on arrival; every pair of
  ports along its way is a row (A→B, B→C and the through trip A→C, which needs one check-in).
- Departure times and weekdays are invented to look like a winter schedule: several
  sailings a day on the trunk links (Syros–Tinos–Mykonos, Paros–Naxos, the hourly
  Pounta–Antiparos shuttle), fewer on small lines and some only on given weekdays
  (`Mon;Wed;Fri`); early departures (06:30–08:45) and afternoon returns (13:00–17:30), both
  directions.
- `fare_eur` = {FARE_EUR_PER_SEA_KM} € per estimated sea-km (car and technician), rounded to
  0.5 €, at least {MIN_FARE_EUR:.0f} €.
- Day trips (30 min check-in, back at the base by the end of the shift), on the plan date:
  from Syros, Tinos is possible on every shift, Mykonos only on the 07:00 shift (07:30
  sailing, back on the 13:00); on Tuesday and Thursday the 08:45 sailing makes Mykonos
  possible on an 08:00 shift too. Andros, Paros and the islands further south are not day
  trips from Syros. From Naxos (07:00 shift), Paros and Antiparos (by road to Pounta) are;
  Ios, Santorini, Amorgos and the Small Cyclades are not (reached after the schools close).
- Not modelled: Aigiali (Amorgos, reached from Katapola by road), summer-only high-speed
  links, Piraeus/Rafina, weather cancellations.

## Tickets

Priorities ~10 % urgent, 25 % high, 50 % normal, 15 % low; 30–120 min on site; ~15 %
`remote` and ~5 % `warranty` (never routed); about one in five has a `due_by` (some already
overdue, some due on the plan date or the day after). Some schools have 2–3 tickets, some
tickets are at schools that need a 4x4, and one LTSP-server ticket on Koufonisia cannot be
served: the only island technician with `ltsp` is on Syros and cannot reach Koufonisia while
the school is open, and the mainland technicians cannot reach the islands.

## `policy.json`

Keys are fields of `dromologio.models.policy.Policy`; anything absent keeps its default.

| key | value | why |
|---|---|---|
| `cost_per_km_eur` | {POLICY["cost_per_km_eur"]} | private-car rate commonly cited for the public sector (Law 4336/2015, D9; unverified); technicians with their own `cost_per_km` use that |
| `ferry_check_in_min` | {POLICY["ferry_check_in_min"]} | minutes at the port before a car ferry leaves |
| `per_diem_eur` | {POLICY["per_diem_eur"]} | daily allowance (Law 4336/2015, D9, art. 11 §1) |
| `overnight_eur` | {POLICY["overnight_eur"]} | overnight-stay cap for most staff (art. 10 §2) |
| `solver_time_limit_s` | {POLICY["solver_time_limit_s"]} | a little above the default (10 s) for 220 schools and 10 technicians |

## `settlements.csv`

Every ELSTAT 2011 settlement of Epirus with at least {EPIRUS_MIN_POP} residents and of the
sample islands with at least {CYCLADES_MIN_POP}, with a checked point: `elstat_code`, `name`
and `article` (official, often katharevousa), `name_latin`, `municipality`,
`directorate_area`, `island` (empty on the mainland), `lat`, `lon`, `altitude_m`, `terrain`
(`plain` / `semi_mountainous` / `mountainous`), `pop_2011`. The island of Lake Pamvotis is
left out (boat access only). `dromologio.sample.generate.generate_problem_files` places the
schools of larger synthetic problems on these points.
"""


# --------------------------------------------------------------------------- main


def build(source: Path, target: Path) -> dict[str, int]:
    """Write every sample file into ``target``; returns the row count of each CSV."""
    rng = random.Random(SEED)
    settlements = load_region_settlements(source)
    by_code = {s.code: s for s in settlements}
    schools = sample_schools(settlements, rng)
    techs = technicians()
    tickets = sample_tickets(schools, by_code, rng)
    ports = port_rows(source)
    ferries = timetable(year_round_links(source))
    base_rows = bases(source, by_code)

    islands_with_schools = {s.island for s in schools if s.island}
    port_islands = {row[4] for row in ports}
    if not islands_with_schools <= port_islands:
        raise ValueError(f"islands without a port: {sorted(islands_with_schools - port_islands)}")
    if not all(set(t.skills) <= set(SKILLS) for t in techs):
        raise ValueError("unknown skill")

    target.mkdir(parents=True, exist_ok=True)
    write_csv(target / "settlements.csv", SETTLEMENT_COLUMNS, (s.as_row() for s in settlements))
    write_csv(target / "schools.csv", SCHOOL_COLUMNS, (s.as_row() for s in schools))
    write_csv(target / "bases.csv", BASE_COLUMNS, (b.as_row() for b in base_rows))
    write_csv(target / "technicians.csv", TECHNICIAN_COLUMNS, (t.as_row() for t in techs))
    write_csv(target / "tickets.csv", TICKET_COLUMNS, (t.as_row() for t in tickets))
    write_csv(target / "ports.csv", PORT_COLUMNS, ports)
    write_csv(target / "ferries.csv", FERRY_COLUMNS, ferries)
    (target / "policy.json").write_text(json.dumps(POLICY, indent=2) + "\n", encoding="utf-8")
    (target / "ATTRIBUTION.md").write_text(attribution_md(), encoding="utf-8")
    (target / "README.md").write_text(
        readme_md(schools, techs, tickets, ferries, len(settlements)), encoding="utf-8"
    )
    return {
        "settlements": len(settlements),
        "schools": len(schools),
        "bases": len(base_rows),
        "technicians": len(techs),
        "tickets": len(tickets),
        "ports": len(ports),
        "ferries": len(ferries),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="shared/data/greece folder")
    parser.add_argument("--target", type=Path, default=DEFAULT_TARGET, help="output folder")
    args = parser.parse_args(argv)
    counts = build(args.source, args.target)
    print(", ".join(f"{k}: {v}" for k, v in counts.items()), "->", args.target)


if __name__ == "__main__":
    main()
