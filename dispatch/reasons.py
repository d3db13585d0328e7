"""Why a ticket cannot be visited: checks run before solving, one per rule.

Each check narrows the technicians who could serve a ticket; the first check
that leaves nobody gives the ticket's reason.  Reasons are written for a
dispatcher, Greek first and English second, and carry a machine code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dromologio.models import School, Technician, Ticket

NO_SKILL = "no_skill"
NO_4X4 = "no_4x4"
WATER = "water"
HOURS = "hours"
KM_CAP = "km_cap"
NO_SAILING = "no_sailing"
NO_ROUND_TRIP = "no_round_trip"
CLOSED = "closed"
LOCKED = "locked"
NOT_WORTH = "not_worth"
CAPACITY = "capacity"
NO_TECHNICIANS = "no_technicians"


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class Reason:
    code: str
    text: str


def no_skill(ticket: Ticket) -> Reason:
    return Reason(
        NO_SKILL,
        f"κανένας τεχνικός δεν έχει την ειδικότητα {ticket.skill} / no technician has skill {ticket.skill}",
    )


def no_4x4(ticket: Ticket, school: School) -> Reason:
    return Reason(
        NO_4X4,
        f"ο δρόμος προς {school.name} θέλει 4x4 και κανένας τεχνικός με {ticket.skill} δεν έχει / "
        f"the road to {school.name} needs a 4x4 and no technician with skill {ticket.skill} has one",
    )


def across_water(ticket: Ticket, school: School) -> Reason:
    return Reason(
        WATER,
        f"το σχολείο είναι στο νησί {school.island} και κανένας τεχνικός με {ticket.skill} δεν έχει έδρα εκεί "
        f"(χωρίς δρομολόγιο πλοίου) / the school is on {school.island} and no technician with skill "
        f"{ticket.skill} is based there (no sailing planned to reach it)",
    )


WEEKDAY_EL = ("Δευτέρα", "Τρίτη", "Τετάρτη", "Πέμπτη", "Παρασκευή", "Σάββατο", "Κυριακή")
WEEKDAY_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def no_sailing(ticket: Ticket, school: School, day: date) -> Reason:
    weekday = day.weekday()
    return Reason(
        NO_SAILING,
        f"κανένα δρομολόγιο πλοίου δεν φτάνει στο νησί {school.island} την {WEEKDAY_EL[weekday]} "
        f"{day.isoformat()} μέσα στη βάρδια / no sailing reaches {school.island} on {WEEKDAY_EN[weekday]} "
        f"{day.isoformat()} within a shift",
    )


def no_round_trip(ticket: Ticket, school: School, day: date, first_arrival_s: int, may_lodge: bool) -> Reason:
    arrival = _hhmm(first_arrival_s // 60)
    stay_el = "" if may_lodge else " (διανυκτέρευση δεν επιτρέπεται σήμερα)"
    stay_en = "" if may_lodge else " (no overnight stay allowed today)"
    return Reason(
        NO_ROUND_TRIP,
        f"το νησί {school.island} προσεγγίζεται το νωρίτερο στις {arrival}· δεν προλαβαίνει κανείς "
        f"{ticket.service_minutes}' εργασίας στο {school.name} και επιστροφή μέσα στη βάρδια{stay_el} / "
        f"{school.island} is reached at {arrival} at the earliest: nobody can do {ticket.service_minutes} min "
        f"at {school.name} and get back within the shift{stay_en}",
    )


def outside_hours(ticket: Ticket, school: School) -> Reason:
    hours = f"{_hhmm(school.opens_min)}–{_hhmm(school.closes_min)}"
    return Reason(
        HOURS,
        f"κανένας τεχνικός με {ticket.skill} δεν προλαβαίνει {ticket.service_minutes}' εργασίας στο {school.name} "
        f"μέσα στο ωράριο {hours} και στη βάρδιά του / no technician with skill {ticket.skill} can reach "
        f"{school.name} and do {ticket.service_minutes} min of work inside school hours {hours} and their shift",
    )


def over_km_cap(ticket: Ticket, school: School, round_trip_km: float) -> Reason:
    return Reason(
        KM_CAP,
        f"η διαδρομή μέχρι το {school.name} και πίσω ({round_trip_km:.0f} km) ξεπερνά το ημερήσιο όριο km "
        f"κάθε τεχνικού με {ticket.skill} / the round trip to {school.name} ({round_trip_km:.0f} km) is over "
        f"the daily km cap of every technician with skill {ticket.skill}",
    )


def closed(ticket: Ticket, school: School, described: str) -> Reason:
    return Reason(
        CLOSED,
        f"ο δρόμος προς {school.name} είναι κλειστός ({described}) / the road to {school.name} is {described}",
    )


def locked_to_unknown(ticket: Ticket, technician_id: str) -> Reason:
    return Reason(
        LOCKED,
        f"δεσμευμένο στον τεχνικό {technician_id}, που δεν υπάρχει / locked to technician {technician_id}, "
        "who is not in the problem",
    )


def locked(ticket: Ticket, technician_id: str, why: Reason) -> Reason:
    return Reason(
        LOCKED,
        f"δεσμευμένο στον {technician_id}, που δεν μπορεί σήμερα: {why.text.split(' / ')[0]} / "
        f"locked to {technician_id}, who cannot serve it today: {why.text.split(' / ')[-1]}",
    )


def no_technicians() -> Reason:
    return Reason(NO_TECHNICIANS, "δεν υπάρχουν τεχνικοί / there are no technicians in the problem")


def not_worth(ticket: Ticket, idle: list[Technician]) -> Reason:
    names = ", ".join(t.technician_id for t in idle)
    return Reason(
        NOT_WORTH,
        f"δεν αξίζει το ταξίδι σήμερα: μετακίνηση και αποζημιώσεις κοστίζουν περισσότερο από την αξία του "
        f"αιτήματος ({ticket.priority}) — μπορούν οι {names} / not worth the trip today: travel and allowances "
        f"cost more than the ticket's value ({ticket.priority}); {names} could go — raise its priority or plan "
        "it with other tickets there",
    )


def capacity(ticket: Ticket, candidates: list[Technician]) -> Reason:
    names = ", ".join(t.technician_id for t in candidates)
    return Reason(
        CAPACITY,
        f"χαμηλότερη προτεραιότητα από όσα γέμισαν τη μέρα των τεχνικών που μπορούν ({names}) / "
        f"lower priority than the visits that filled the day of the technicians who could go ({names})",
    )
