"""Exceptions raised by pata-gis.

Every exception subclasses a built-in so callers can catch it the usual way
(``except ValueError``) and every message names the file, row or field at fault
and says how to fix it.
"""

from __future__ import annotations

__all__ = [
    "CRSError",
    "InputError",
    "NetworkUnavailableError",
    "PataGisError",
    "SensitivityError",
    "ValidationError",
    "WorkspaceError",
]


class PataGisError(Exception):
    """Base class of every pata-gis error."""


class InputError(PataGisError, ValueError):
    """A file or a value given by the user cannot be used as it is."""


class CRSError(InputError):
    """Coordinates whose reference system is missing, wrong or implausible."""


class ValidationError(InputError):
    """A layer does not satisfy its spec and cannot be repaired safely.

    Parameters
    ----------
    message : str
        The one-line summary.
    problems : list of str, optional
        Every problem found, each naming the row or field and the fix.

    Attributes
    ----------
    message : str
        The summary as given (a :class:`pata_gis.messages.Note` when the
        library raised it, so the app can show it in any language).
    problems : list of str
        The problems as given (Notes too).
    """

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        self.message = message
        self.problems = list(problems or [])
        full = message
        if self.problems:
            shown = self.problems[:20]
            more = len(self.problems) - len(shown)
            full += "\n  - " + "\n  - ".join(shown)
            if more > 0:
                full += f"\n  ... and {more} more"
        # without problems the message itself (a pata_gis.messages.Note, translatable)
        # is args[0]; with them, the summary stays translatable as `message`
        super().__init__(full)


class WorkspaceError(PataGisError, RuntimeError):
    """The workspace file cannot be opened, read or written."""


class SensitivityError(PataGisError, PermissionError):
    """An action would expose a restricted or confidential layer."""


class NetworkUnavailableError(PataGisError, ConnectionError):
    """A download was needed but there is no internet connection."""
