"""The closed vocabularies of the problem format (see docs/problem-format.md)."""

from __future__ import annotations

from typing import Final

SKILLS: Final = ("windows", "linux", "ltsp", "network", "hardware", "printer", "egov")
PRIORITIES: Final = ("urgent", "high", "normal", "low")
BASE_KINDS: Final = ("keplinet", "partner", "substation")
WEEKDAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
TERRAINS: Final = ("plain", "semi_mountainous", "mountainous")

#: Greek display names of skills, for printed plans and route sheets.
SKILL_LABELS_EL: Final = {
    "windows": "Windows",
    "linux": "Linux",
    "ltsp": "LTSP (λεπτοί πελάτες)",
    "network": "Δίκτυο",
    "hardware": "Υλικό",
    "printer": "Εκτυπωτές",
    "egov": "Ηλεκτρονική διακυβέρνηση",
}

PRIORITY_LABELS_EL: Final = {
    "urgent": "επείγον",
    "high": "υψηλή",
    "normal": "κανονική",
    "low": "χαμηλή",
}
