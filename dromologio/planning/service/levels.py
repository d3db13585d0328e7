"""Levels of support a ticket moves between, and the moves allowed.

- ``school``: the school's own ICT teacher works on it (the first contact);
- ``remote``: the helpdesk or the KE.PLI.NE.T. works on it by phone or remote tools;
- ``on_site``: it needs a visit: the only level that is routed;
- ``third_level``: handed to the third level (the national technology institute);
- ``vendor``: handed to the vendor (warranty hardware).

The contract's two flags are the plan's view of the level: ``school`` and ``remote``
tickets are ``remote`` (the plan lists them under ``remote``), ``third_level`` and
``vendor`` tickets are ``warranty`` (the plan lists them under ``vendor``), ``on_site``
tickets have neither flag and are routed.  Third-level and vendor hand-offs stay open
until they come back (to ``on_site`` or ``remote``) or the ticket is closed.
"""

from __future__ import annotations

from typing import Literal

Level = Literal["school", "remote", "on_site", "third_level", "vendor"]
LEVELS: tuple[Level, ...] = ("school", "remote", "on_site", "third_level", "vendor")

#: Greek first, English second.
LEVEL_TITLES: dict[str, str] = {
    "school": "σχολική μονάδα (υπεύθυνος ΤΠΕ) / school (its ICT teacher)",
    "remote": "απομακρυσμένη υποστήριξη / remote support",
    "on_site": "επί τόπου επίσκεψη / on-site visit",
    "third_level": "τρίτο επίπεδο / third level",
    "vendor": "προμηθευτής (εγγύηση) / vendor (warranty)",
}

#: level -> the levels a ticket may move to from it.
ALLOWED_MOVES: dict[str, tuple[Level, ...]] = {
    "school": ("remote", "on_site", "vendor"),
    "remote": ("school", "on_site", "third_level", "vendor"),
    "on_site": ("remote", "third_level", "vendor"),
    "third_level": ("remote", "on_site"),
    "vendor": ("remote", "on_site"),
}

#: hand-offs outside the centre, tracked until they come back or close.
HANDOFF_LEVELS: frozenset[str] = frozenset({"third_level", "vendor"})


def allowed_moves(level: str) -> tuple[Level, ...]:
    """The levels a ticket at ``level`` may move to."""
    return ALLOWED_MOVES.get(level, ())


def is_allowed(source: str, target: str) -> bool:
    return target in allowed_moves(source)


def flags_for_level(level: str) -> tuple[bool, bool]:
    """(remote, warranty) of a ticket at ``level``: how the plan triages it."""
    if level not in LEVELS:
        raise ValueError(f"level '{level}' is not one of {', '.join(LEVELS)}")
    return level in ("school", "remote"), level in HANDOFF_LEVELS


def level_for_flags(remote: bool, warranty: bool, current: str | None = None) -> Level:
    """The level the flags say, keeping ``current`` when it says the same.

    A ticket under warranty is with the vendor (or the third level, if it is there); a
    remote one with remote support (or the school); any other needs a visit.
    """
    if current in LEVELS and flags_for_level(current) == (remote or False, warranty or False):
        return current
    if warranty:
        return "vendor"
    if remote:
        return "remote"
    return "on_site"


#: the kind of the ticket history event of a move between levels.
LEVEL_EVENT = "level"
#: the kind of the event of a ticket solved without a visit (at its level) and closed.
RESOLVED_EVENT = "resolved"
_ARROW = " → "


def move_note(source: str, target: str, reason: str, by: str) -> str:
    """The history note of a move: ``remote → on_site: the reason (by whom)``."""
    return f"{source}{_ARROW}{target}: {reason} (by {by})"


def parse_move_note(note: str) -> tuple[Level, Level, str] | None:
    """(from, to, the rest) of a move's note, or None when the note is not one."""
    head, sep, rest = note.partition(": ")
    source, arrow, target = head.partition(_ARROW)
    if not sep or not arrow or source not in LEVELS or target not in LEVELS:
        return None
    return source, target, rest
