"""Bulk import of a whole problem: the contract's JSON document, or uploaded files.

Files: one ``.json`` document, one ``.xlsx`` workbook, one ``.zip`` of a problem
folder, or the CSV files of a folder (with ``policy.json``) side by side.
Every input issue comes back at once, with file, row and column.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Annotated, Any

from fastapi import APIRouter, Body, File, UploadFile

from .. import schemas
from ..deps import CurrentPrincipal, SessionDep, SettingsDep
from ..errors import PROBLEM_RESPONSES, ApiError
from ..importing import import_problem
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


@router.post("", summary="Import a whole problem given as the contract's JSON document")
def import_document(
    document: Annotated[
        dict[str, Any],
        Body(
            description="a key per table (schools, bases, technicians, tickets, ports, ferries), "
            "each a list of row objects; optional policy and name",
            examples=[PROBLEM_EXAMPLE],
        ),
    ],
    session: SessionDep,
    principal: CurrentPrincipal,
) -> schemas.ImportSummary:
    from dromologio.models.readers import read_problem_dict

    principal.require("admin", "dispatcher")
    name = document.get("name") if isinstance(document.get("name"), str) else ""
    problem = read_problem_dict(document, source="problem.json", name=name or "import")
    summary = import_problem(session, problem, principal, has_policy="policy" in document, when=now())
    session.commit()
    return summary


def _save(upload: UploadFile, folder: Path, limit: int, used: int) -> tuple[Path, int]:
    name = PurePosixPath(upload.filename or "upload").name
    if not name or name.startswith("."):
        raise ApiError(
            422, f"file name '{upload.filename}' is not usable", errors=[("files", "bad file name")]
        )
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
            members = [m for m in bundle.infolist() if not m.is_dir()]
            if sum(m.file_size for m in members) > limit * ZIP_EXPANSION:
                raise ApiError(413, "the zip unpacks to more than the service accepts")
            for member in members:
                path = PurePosixPath(member.filename)
                if path.is_absolute() or ".." in path.parts or path.name.startswith("."):
                    continue
                target = folder / path.name
                with bundle.open(member) as source, target.open("wb") as handle:
                    handle.write(source.read())
    except zipfile.BadZipFile as exc:
        raise ApiError(
            422, f"'{archive.name}' is not a readable zip file", errors=[("files", "bad zip")]
        ) from exc
    return folder


def _has_policy(path: Path) -> bool:
    if path.is_dir():
        return (path / "policy.json").exists()
    if path.suffix.lower() == ".json":
        try:
            document = json.loads(path.read_text(encoding="utf-8-sig"))
        except (ValueError, OSError):
            return False
        return isinstance(document, dict) and "policy" in document
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            from openpyxl import load_workbook

            workbook = load_workbook(path, read_only=True)
            names = {n.lower() for n in workbook.sheetnames}
            workbook.close()
        except Exception:
            return False
        return "policy" in names or (path.parent / "policy.json").exists()
    return False


@router.post("/file", summary="Import a problem from files: .json, .xlsx, .zip of a folder, or its CSV files")
def import_files(
    files: Annotated[list[UploadFile], File(description="the problem's file(s)")],
    session: SessionDep,
    principal: CurrentPrincipal,
    settings: SettingsDep,
) -> schemas.ImportSummary:
    from dromologio.models.readers import read_problem

    principal.require("admin", "dispatcher")
    limit = settings.max_upload_bytes
    with tempfile.TemporaryDirectory(prefix="dromologio-import-") as temp:
        folder = Path(temp)
        saved: list[Path] = []
        used = 0
        for upload in files:
            path, used = _save(upload, folder, limit, used)
            saved.append(path)
        suffixes = {p.suffix.lower() for p in saved}
        if len(saved) == 1 and suffixes <= {".json", ".xlsx", ".xlsm"}:
            source = saved[0]
        elif len(saved) == 1 and suffixes == {".zip"}:
            unpacked = folder / "problem"
            unpacked.mkdir()
            source = _unzip(saved[0], unpacked, limit)
        elif suffixes <= {".csv", ".json"}:
            source = folder
        else:
            raise ApiError(
                422,
                "send one .json, .xlsx or .zip file, or the CSV files of a problem folder",
                errors=[("files", f"got {', '.join(sorted(p.name for p in saved))}")],
            )
        problem = read_problem(source)
        summary = import_problem(session, problem, principal, has_policy=_has_policy(source), when=now())
    session.commit()
    return summary
