"""The ticket history of an estimate: a ``tickets.csv`` over weeks or months, read against a problem."""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from os import PathLike
from pathlib import Path

from dromologio.models import InputError, InputIssue, Problem, read_problem, write_problem

__all__ = ["read_history"]

_PROBLEM_FILES = (
    "schools.csv",
    "bases.csv",
    "technicians.csv",
    "ports.csv",
    "ferries.csv",
    "policy.json",
    "calendar.csv",
    "absences.csv",
)


def read_history(problem_path: str | PathLike[str], history: str | PathLike[str]) -> Problem:
    """The problem at ``problem_path`` with its tickets replaced by those of the ``history`` CSV.

    The history is a ``tickets.csv`` of the contract covering weeks or months; it is read
    and checked exactly as ``tickets.csv`` is (against the problem's schools), and its
    findings are reported naming the history file.  Raises :class:`InputError`.
    """
    source = Path(problem_path)
    history_path = Path(history)
    if not history_path.is_file():
        raise InputError(
            [
                InputIssue(
                    str(history_path),
                    None,
                    None,
                    None,
                    "there is no such file",
                    "give a tickets CSV with the columns of tickets.csv",
                )
            ]
        )
    with tempfile.TemporaryDirectory(prefix="dromologio-history-") as scratch:
        folder = Path(scratch) / "problem"
        if source.is_dir():
            folder.mkdir()
            for name in _PROBLEM_FILES:
                if (source / name).is_file():
                    shutil.copyfile(source / name, folder / name)
        else:
            write_problem(read_problem(source), folder)
        shutil.copyfile(history_path, folder / "tickets.csv")
        try:
            problem = read_problem(folder)
        except InputError as error:
            raise InputError(
                dataclasses.replace(i, file=history_path.name) if i.file == "tickets.csv" else i
                for i in error.issues
            ) from None
    return problem.replace(name=source.stem)
