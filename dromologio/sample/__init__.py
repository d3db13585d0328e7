"""The embedded sample region (Epirus and the Cyclades).

Two pilot regions of the STIRIZO programme in one problem folder: the Epirus
mainland (Ioannina, the plains of Arta, Preveza and Thesprotia, the mountain
villages of Zagori, Tzoumerka, Metsovo and Konitsa) and the Cyclades around Syros
and Naxos, with ports and a ferry timetable.  Schools stand at real ELSTAT 2011
settlement points; the schools themselves, technicians, tickets and the timetable
are synthetic (see ``data/README.md``).  The files are derived from
``shared/data/greece`` by ``tools/build_sample.py``; nothing outside the package
is read at run time.

Settlement, population and terrain data: Hellenic Statistical Authority (ELSTAT),
via geodata.gov.gr and the HellasDB project (J. G. Chaparro).  Port positions
cross-checked with the NGA World Port Index (public domain).  See
``data/ATTRIBUTION.md``.
"""

from __future__ import annotations

import shutil
from datetime import date
from importlib.resources import files
from pathlib import Path

#: The day the sample's tickets are planned for (a Monday); tickets were opened before it.
SAMPLE_DATE = date(2026, 11, 23)

#: Files of the sample problem folder, in the order of the problem format.
PROBLEM_FILES = (
    "schools.csv",
    "bases.csv",
    "technicians.csv",
    "tickets.csv",
    "ports.csv",
    "ferries.csv",
    "policy.json",
)

#: Copied with the problem files so that the credit travels with them.
ATTRIBUTION_FILE = "ATTRIBUTION.md"


def sample_data_dir() -> Path:
    """The folder holding the sample files inside the installed package."""
    resource = files(__name__).joinpath("data")
    if isinstance(resource, Path):
        return resource
    # Regular installs are plain folders; anything else must still name a real path.
    path = Path(str(resource))
    if not path.is_dir():
        raise FileNotFoundError(f"sample data is not available as a folder: {resource}")
    return path


def write_sample(target: Path) -> Path:
    """Copy the sample problem folder (and its ``ATTRIBUTION.md``) into ``target``.

    ``target`` is created when missing; existing files of the same names are replaced.
    Returns ``target``.
    """
    source = sample_data_dir()
    target.mkdir(parents=True, exist_ok=True)
    for name in (*PROBLEM_FILES, ATTRIBUTION_FILE):
        shutil.copyfile(source / name, target / name)
    return target


__all__ = ["ATTRIBUTION_FILE", "PROBLEM_FILES", "SAMPLE_DATE", "sample_data_dir", "write_sample"]
