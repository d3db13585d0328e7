"""The embedded sample region (Epirus and the Cyclades)."""
