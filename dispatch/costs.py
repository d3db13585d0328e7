"""The rates the model builder and the extraction price routes with (see :mod:`dispatch.pricing`).

Route pricing lives in :mod:`dispatch.pricing`; plan tables and cost reports in
:mod:`dromologio.planning.costs`.  This module names only what ``build`` and ``extract`` use.
"""

from .pricing import employer_policy, km_rate, route_costs

__all__ = ["employer_policy", "km_rate", "route_costs"]
