"""Dromologio: daily visit plans for school IT field support (KE.PLI.NE.T., STIRIZO)."""

__version__ = "0.1.0"

ATTRIBUTION = (
    "Settlement, population and terrain data: Hellenic Statistical Authority (ELSTAT), "
    "via geodata.gov.gr and the HellasDB project (J. G. Chaparro). "
    "Port positions cross-checked with the NGA World Port Index (public domain)."
)
