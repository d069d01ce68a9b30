"""The one error type an author sees: names the file (and line), never a traceback."""
from __future__ import annotations

from pathlib import Path


class BuildError(Exception):
    def __init__(self, message: str, file: Path | str | None = None, line: int | None = None):
        self.message, self.file, self.line = message, file, line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        return f"{where}{self.message}"
