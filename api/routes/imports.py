"""Bulk import of a problem, whole or in part: the contract's JSON document, or uploaded files.

Files: one ``.json`` document, one ``.xlsx`` workbook, one ``.zip`` of a problem
folder, or the CSV files of a folder (with ``policy.json``) side by side.  Any
table may be left out (a lone ``tickets.csv`` of the helpdesk): its rows may
refer to what is stored.  Two files of one name (in one upload or one zip) are
refused rather than one silently replacing the other.  Every input issue comes
back at once, with file, row and column.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Annotated, Any

from fastapi import APIRouter, Body, File, UploadFile

from .. import schemas
from ..deps import CurrentPrincipal, SessionDep, SettingsDep
from ..errors import PROBLEM_RESPONSES, ApiError
from ..importing import import_tables, stored_ids
from .common import now

router = APIRouter(prefix="/import", tags=["import"], responses=PROBLEM_RESPONSES)

#: a zip may unpack to at most this many times the upload limit.
ZIP_EXPANSION = 5
CHUNK = 1 << 16

PROBLEM_EXAMPLE = {
    "name": "Ιωάννινα",
    "schools": [
        {
            "school_id": "S0001",
            "name": "1ο Δημοτικό Σχολείο Ιωαννίνων",
            "lat": 39.667,
            "lon": 20.853,
            "directorate": "Δ.Π.Ε. Ιωαννίνων",
            "island": "",
            "opens": "08:15",
            "closes": "14:00",
        }
    ],
    "bases": [
        {
            "base_id": "KPN-IOA",
            "name": "ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων",
            "lat": 39.664,
            "lon": 20.851,
            "island": "",
            "kind": "keplinet",
        }
    ],
    "technicians": [
        {
            "technician_id": "T01",
            "name": "Ελένη Κίτσου",
            "base_id": "KPN-IOA",
            "skills": "windows;network",
            "shift_start": "08:00",
            "shift_end": "16:00",
            "employer": "ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων",
        }
    ],
    "tickets": [
        {
            "ticket_id": "K0001",
            "school_id": "S0001",
            "opened_at": "2026-11-20T09:30",
            "category": "Δίκτυο / network",
            "skill": "network",
            "priority": "high",
            "service_minutes": 60,
        }
    ],
}


@router.post("", summary="Import a problem, whole or in part, given as the contract's JSON document")
def import_document(
    document: Annotated[
        dict[str, Any],
        Body(
            description="a key per table (schools, bases, technicians, tickets, ports, ferries), "
            "each a list of row objects; optional policy and name. Any table may be left out: "
            "rows may refer to schools, bases and ports stored before",
            examples=[PROBLEM_EXAMPLE],
        ),
    ],
    session: SessionDep,
    principal: CurrentPrincipal,
) -> schemas.ImportSummary:
    from dromologio.models.readers import read_tables_dict

    principal.require("admin", "dispatcher")
    name = document.get("name") if isinstance(document.get("name"), str) else ""
    tables = read_tables_dict(
        document, stored_ids(session, principal), source="problem.json", name=name or "import"
    )
    summary = import_tables(session, tables, principal, when=now())
    session.commit()
    return summary


def _check_name(raw: str | None) -> str:
    name = PurePosixPath(raw or "upload").name
    if not name or name.startswith("."):
        raise ApiError(422, f"file name '{raw}' is not usable", errors=[("files", "bad file name")])
    return name


def _refuse_duplicates(names: Iterable[str], where: str) -> None:
    """Two files of one name: one would silently replace the other."""
    groups: dict[str, list[str]] = defaultdict(list)
    for name in names:
        groups[PurePosixPath(name).name.casefold()].append(name)
    twice = {key: found for key, found in groups.items() if len(found) > 1}
    if twice:
        raise ApiError(
            422,
            f"{where} holds {len(twice)} file name{'' if len(twice) == 1 else 's'} more than once; "
            "one file would replace the other",
            errors=[
                ("files", f"{', '.join(found)}: keep one {PurePosixPath(found[0]).name}, or merge their rows")
                for found in twice.values()
            ],
        )


def _save(upload: UploadFile, name: str, folder: Path, limit: int, used: int) -> tuple[Path, int]:
    target = folder / name
    size = used
    with target.open("wb") as handle:
        while chunk := upload.file.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise ApiError(413, f"the upload is larger than {limit} bytes")
            handle.write(chunk)
    return target, size


def _unzip(archive: Path, folder: Path, limit: int) -> Path:
    try:
        with zipfile.ZipFile(archive) as bundle:
            members = []
            for member in bundle.infolist():
                path = PurePosixPath(member.filename)
                if member.is_dir() or path.is_absolute() or ".." in path.parts or path.name.startswith("."):
                    continue
                if any(part.startswith(("__MACOSX", ".")) for part in path.parts[:-1]):
                    continue
                members.append(member)
            if sum(m.file_size for m in members) > limit * ZIP_EXPANSION:
                raise ApiError(413, "the zip unpacks to more than the service accepts")
            _refuse_duplicates((m.filename for m in members), f"'{archive.name}'")
            for member in members:
                target = folder / PurePosixPath(member.filename).name
                with bundle.open(member) as source, target.open("wb") as handle:
                    handle.write(source.read())
    except zipfile.BadZipFile as exc:
        raise ApiError(
            422, f"'{archive.name}' is not a readable zip file", errors=[("files", "bad zip")]
        ) from exc
    return folder


def _single_document(folder: Path) -> Path:
    """A zip of one ``.json`` or ``.xlsx`` (and no CSV file) holds that document; else the folder."""
    files = [p for p in folder.iterdir() if p.is_file()]
    documents = [
        p for p in files if p.suffix.lower() in (".json", ".xlsx", ".xlsm") and p.name != "policy.json"
    ]
    if len(documents) == 1 and not any(p.suffix.lower() == ".csv" for p in files):
        return documents[0]
    return folder


@router.post(
    "/file",
    summary="Import a problem, whole or in part, from files: .json, .xlsx, .zip of a folder, or its CSV files",
)
def import_files(
    files: Annotated[list[UploadFile], File(description="the problem's file(s)")],
    session: SessionDep,
    principal: CurrentPrincipal,
    settings: SettingsDep,
) -> schemas.ImportSummary:
    from dromologio.models.readers import read_tables

    principal.require("admin", "dispatcher")
    limit = settings.max_upload_bytes
    names = [_check_name(upload.filename) for upload in files]
    _refuse_duplicates(names, "the upload")
    with tempfile.TemporaryDirectory(prefix="dromologio-import-") as temp:
        folder = Path(temp) / "upload"
        folder.mkdir()
        saved: list[Path] = []
        used = 0
        for upload, name in zip(files, names, strict=True):
            path, used = _save(upload, name, folder, limit, used)
            saved.append(path)
        suffixes = {p.suffix.lower() for p in saved}
        if len(saved) == 1 and suffixes <= {".json", ".xlsx", ".xlsm"}:
            source = saved[0]
        elif len(saved) == 1 and suffixes == {".zip"}:
            unpacked = Path(temp) / "problem"
            unpacked.mkdir()
            source = _single_document(_unzip(saved[0], unpacked, limit))
        elif suffixes <= {".csv", ".json"}:
            source = folder
        else:
            raise ApiError(
                422,
                "send one .json, .xlsx or .zip file, or the CSV files of a problem folder",
                errors=[("files", f"got {', '.join(sorted(p.name for p in saved))}")],
            )
        tables = read_tables(source, stored_ids(session, principal))
        summary = import_tables(session, tables, principal, when=now())
    session.commit()
    return summary
