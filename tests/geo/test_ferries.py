"""The ferry network of a day: which islands a chain of sailings reaches."""

from __future__ import annotations

from datetime import date

from dromologio.geo.ferries import FerryNetwork
from dromologio.models import Port, Sailing

MONDAY = date(2026, 11, 23)
PORTS = (
    Port("JNX", "Νάξος", 37.107, 25.373, "Νάξος"),
    Port("PAS", "Παροικία", 37.085, 25.148, "Πάρος"),
    Port("PNT", "Πούντα", 37.040, 25.075, "Πάρος"),
    Port("ANP", "Αντίπαρος", 37.040, 25.082, "Αντίπαρος"),
    Port("JTR", "Σαντορίνη", 36.400, 25.430, "Σαντορίνη"),
)


def test_a_second_port_of_an_island_leads_on_by_road() -> None:
    # Naxos -> Parikia (Paros); Pounta (Paros) -> Antiparos: Antiparos is reached from Naxos.
    sailings = (Sailing("JNX", "PAS", 7 * 60 + 30, 45), Sailing("PNT", "ANP", 9 * 60, 10))
    network = FerryNetwork(PORTS, sailings, MONDAY)
    assert network.islands_reached_from("Νάξος") == {"Νάξος", "Πάρος", "Αντίπαρος"}
    assert network.islands_reached_from("Αντίπαρος") == {"Αντίπαρος"}  # no boat back today


def test_sailings_that_do_not_run_today_reach_nothing() -> None:
    sailings = (Sailing("JNX", "JTR", 8 * 60, 120, days=frozenset({"Sat"})),)
    assert FerryNetwork(PORTS, sailings, MONDAY).islands_reached_from("Νάξος") == {"Νάξος"}
