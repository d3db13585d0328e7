"""What leaving a ticket undone today costs: the drop penalty of its visit.

The formula belongs to the ``drop_value`` rule (:mod:`dromologio.dispatch.rules.drop_value`);
this module keeps its name for callers.
"""

from __future__ import annotations

from .rules.drop_value import ticket_value_eur

__all__ = ["ticket_value_eur"]
