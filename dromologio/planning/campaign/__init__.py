"""National campaigns: one job (install or check something) at many schools, over weeks, by teams.

:func:`plan_campaign` shares the schools out to the teams (nearest base, islands kept whole,
:mod:`.assign`), plans each team's working days as one task on an executor (:mod:`.team`,
:mod:`.runner`) and returns a :class:`Campaign`: each team-day's checked route, the progress
curve and the cost.  See docs/campaign.md.
"""

from .files import read_campaign_schools
from .request import CampaignError, CampaignRequest
from .result import Campaign, CampaignDay, ProgressPoint, TeamSchedule
from .runner import CampaignTaskError, plan_campaign
from .team import CAMPAIGN_PARAMS

__all__ = [
    "CAMPAIGN_PARAMS",
    "Campaign",
    "CampaignDay",
    "CampaignError",
    "CampaignRequest",
    "CampaignTaskError",
    "ProgressPoint",
    "TeamSchedule",
    "plan_campaign",
    "read_campaign_schools",
]
