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


def check_config(config_name: str, argv: list[str], config_dir: str) -> None:
    """Compose the config from the command line before Hydra runs, so that an unknown option
    (``model=nope``) or a bad override is one ``error:`` line and exit status 2, not a report.

    Sweeps (``-m``) and other flags are left to Hydra, which expands them itself.
    """
    if any(a.startswith("-") for a in argv):
        return
    from hydra import compose, initialize_config_dir
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    try:
        with initialize_config_dir(config_dir=config_dir, version_base="1.3"):
            compose(config_name=config_name, overrides=argv, return_hydra_config=True)
    except (HydraException, OmegaConfBaseException) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"error: configs/{config_name}.yaml: {first}", file=sys.stderr)
        raise SystemExit(2) from None
