"""The one error type for bad input: the command line prints its message and exits 2."""

from __future__ import annotations


class InputError(Exception):
    """Bad input from a user: a file, a field, a value. Its message says what is allowed."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None, field: str | None = None):
        self.file, self.line, self.field = file, line, field
        where = ""
        if file:
            where = f"{file}" + (f", line {line}" if line else "") + ": "
        if field and field not in message:
            where += f"{field}: "
        super().__init__(where + message)
