"""What a campaign asks: these schools, between these dates, by these teams, this job at each.

A *campaign* is one piece of work (install or check something) at every one of many schools.
Each school needs one visit of ``service_minutes`` (a school's own minutes may differ) by a
technician with ``skill``; the teams are technicians of the problem, each working from its base.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from dromologio.models import Problem
from dromologio.models.vocab import SKILLS

__all__ = ["CampaignError", "CampaignRequest"]


class CampaignError(ValueError):
    """A campaign that cannot be planned as asked; the message says what to change."""


@dataclass(frozen=True)
class CampaignRequest:
    """The campaign: ``school_ids`` from ``start`` to ``end`` (both included) by ``team_ids``.

    ``minutes`` overrides ``service_minutes`` for some schools; ``time_limit_s`` bounds the
    solve of each team-day; ``seed`` makes the whole campaign reproducible.
    """

    school_ids: tuple[str, ...]
    start: date
    end: date
    team_ids: tuple[str, ...]
    skill: str = "hardware"
    service_minutes: int = 90
    minutes: Mapping[str, int] = field(default_factory=dict)
    label: str = "campaign"
    time_limit_s: float = 1.0
    seed: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "school_ids", tuple(self.school_ids))
        object.__setattr__(self, "team_ids", tuple(self.team_ids))
        object.__setattr__(self, "minutes", MappingProxyType(dict(self.minutes)))
        if not self.school_ids:
            raise CampaignError("the campaign names no school / η εκστρατεία δεν ορίζει σχολεία")
        if len(set(self.school_ids)) != len(self.school_ids):
            twice = sorted({s for s in self.school_ids if self.school_ids.count(s) > 1})
            raise CampaignError(f"school(s) named twice: {', '.join(twice[:10])}; name each school once")
        if not self.team_ids:
            raise CampaignError("the campaign names no team / καμία ομάδα: give at least one technician")
        if len(set(self.team_ids)) != len(self.team_ids):
            raise CampaignError("a team is named twice; name each technician once")
        if self.end < self.start:
            raise CampaignError(f"the campaign ends ({self.end}) before it starts ({self.start})")
        if self.skill not in SKILLS:
            raise CampaignError(f"skill '{self.skill}' is not one of {', '.join(SKILLS)}")
        for school_id, value in [("", self.service_minutes), *self.minutes.items()]:
            if not 0 < value <= 24 * 60:
                where = f" of school {school_id}" if school_id else ""
                raise CampaignError(f"service minutes{where} must lie between 1 and 1440, not {value}")
        if self.time_limit_s <= 0:
            raise CampaignError("time_limit_s must be positive")
        if not self.label.strip():
            raise CampaignError("label must not be empty")

    def minutes_at(self, school_id: str) -> int:
        """The service minutes of the visit to ``school_id``."""
        return int(self.minutes.get(school_id, self.service_minutes))

    def check_against(self, problem: Problem) -> None:
        """Raise :class:`CampaignError` naming every school or team the problem does not know."""
        unknown_schools = [s for s in self.school_ids if s not in problem.school_by_id]
        unknown_teams = [t for t in self.team_ids if t not in problem.technician_by_id]
        issues = []
        if unknown_schools:
            issues.append(
                f"{len(unknown_schools)} school(s) not in the problem's schools.csv: "
                f"{', '.join(unknown_schools[:10])}"
            )
        if unknown_teams:
            issues.append(f"team(s) not in the problem's technicians.csv: {', '.join(unknown_teams)}")
        unskilled = [
            t
            for t in self.team_ids
            if t not in unknown_teams and self.skill not in problem.technician_by_id[t].skills
        ]
        if unskilled:
            issues.append(f"team(s) without the skill '{self.skill}': {', '.join(unskilled)}")
        unknown_minutes = sorted(set(self.minutes) - set(self.school_ids))
        if unknown_minutes:
            issues.append(
                f"minutes given for schools outside the campaign: {', '.join(unknown_minutes[:10])}"
            )
        if issues:
            raise CampaignError("; ".join(issues))
