"""Travel: distances, the travel network and travel-time matrices (never solves)."""
