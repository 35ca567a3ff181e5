"""Errors a user can fix, reported as one line each and exit status 2, never a traceback."""
from __future__ import annotations

import contextlib
import sys


class NewsAttribError(Exception):
    """A problem with the user's input, config or files; its message says what and where."""


@contextlib.contextmanager
def user_errors():
    """Turn NewsAttribError (and unreadable files) into lines on stderr and exit status 2."""
    try:
        yield
    except NewsAttribError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    except (FileNotFoundError, PermissionError, IsADirectoryError) as exc:
        print(f"error: {exc.filename}: {exc.strerror}", file=sys.stderr)
        raise SystemExit(2) from None
