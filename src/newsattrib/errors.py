"""Errors a user can fix, reported as one line each and exit status 2, never a traceback."""
from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import time
from pathlib import Path

STARTED = time.time()  # files older than this were not made by this run, and are never removed
# what a run folder holds before any result: Hydra's bookkeeping and the run's own record of its inputs
BOOKKEEPING = (".hydra", "multirun.yaml", "run.json", "config.yaml")


class NewsAttribError(Exception):
    """A problem with the user's input, config or files; its message says what and where."""


class Interrupted(Exception):
    """Ctrl-C, with the line that says what was kept and how to go on."""


@contextlib.contextmanager
def user_errors(plain: tuple[type[NewsAttribError], ...] = ()):
    """Turn NewsAttribError (and unreadable files) into lines on stderr and exit status 2, Ctrl-C into one
    line and exit status 130. A Hydra run folder that a failed run leaves with nothing but bookkeeping in it
    is removed.

    Errors of a ``plain`` type are printed as their message alone, without ``error:``: a checker's report,
    one ``FILE:LINE: ...`` problem a line (``scripts/validate.py`` with ``plain=(CorpusError,)``)."""
    try:
        yield
    except NewsAttribError as exc:
        _remove_unused_run_dirs()
        print(exc if isinstance(exc, plain) else f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    except (Interrupted, KeyboardInterrupt) as exc:
        _remove_unused_run_dirs()
        # on a terminal, end the progress bar's line first
        print(("\n" if sys.stderr.isatty() else "") + (str(exc) or "interrupted"), file=sys.stderr)
        raise SystemExit(130) from None
    except OSError as exc:  # a missing file, permission, a full disk, ...
        _remove_unused_run_dirs()
        if exc.filename is None or exc.strerror is None:
            raise
        print(f"error: {exc.filename}: {exc.strerror}", file=sys.stderr)
        raise SystemExit(2) from None
    except BaseException:
        _remove_unused_run_dirs()
        raise


class ArgumentParser(argparse.ArgumentParser):
    """argparse whose mistakes are one ``error:`` line and exit status 2, like every other user error."""

    def error(self, message: str):
        print(f"error: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(2)


def positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {n}")
    return n


def _remove_unused_run_dirs() -> None:
    """The Hydra output folder of a run that failed before writing any result (and, for a sweep, the sweep
    folder if that leaves it empty): only files this process made and only bookkeeping are removed."""
    try:
        from hydra.core.hydra_config import HydraConfig
        from hydra.types import RunMode
        if not HydraConfig.initialized():
            return
        hc = HydraConfig.get()
        folders = [Path(hc.runtime.output_dir)]
        if hc.mode == RunMode.MULTIRUN:
            folders.append(Path(hc.sweep.dir))
    except Exception:  # noqa: BLE001 - cleaning up must never hide the real error
        return
    for folder in folders:
        try:
            if folder.is_dir() and _unused(folder, top=True):
                shutil.rmtree(folder)
        except OSError:
            pass


def _unused(path: Path, top: bool = False) -> bool:
    for entry in os.scandir(path):
        st = entry.stat(follow_symlinks=False)
        if st.st_mtime < STARTED - 1:
            return False
        if entry.name in BOOKKEEPING or entry.name.endswith(".log"):
            continue
        if entry.is_dir(follow_symlinks=False) and not entry.name.startswith(".") and _unused(Path(entry.path)):
            continue  # an empty folder (e.g. checkpoints/) or a sweep's job folder that holds only bookkeeping
        return False
    return True


def check_config(config_name: str, argv: list[str], config_dir: str) -> None:
    """Compose the config from the command line before Hydra runs, so that an unknown option
    (``model=nope``) or a bad override is one ``error:`` line and exit status 2, not a report.

    A sweep (``-m``/``--multirun``) is checked value by value; other flags are left to Hydra.
    """
    multirun = any(a in ("-m", "--multirun") for a in argv)
    argv = [a for a in argv if a not in ("-m", "--multirun")]
    if any(a.startswith("-") for a in argv):
        return
    from hydra import compose, initialize_config_dir
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    try:
        runs = _sweep_points(argv) if multirun else [argv]
        with initialize_config_dir(config_dir=config_dir, version_base="1.3"):
            for overrides in runs:
                compose(config_name=config_name, overrides=overrides, return_hydra_config=True)
    except (HydraException, OmegaConfBaseException) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"error: configs/{config_name}.yaml: {first}", file=sys.stderr)
        raise SystemExit(2) from None


def _sweep_points(argv: list[str]) -> list[list[str]]:
    """Override lists that between them try every value of every sweep (``a=1,2 b=x,y``: a=1 b=x, a=2 b=x,
    a=1 b=y), each value once, so a typo in any of them is found without composing the whole grid."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parsed = OverridesParser.create().parse_overrides(argv)
    choices = []
    for o in parsed:
        if not o.is_sweep_override():
            choices.append([o.input_line])
            continue
        try:
            values = list(o.sweep_string_iterator())
        except Exception:  # noqa: BLE001 - glob() and interval() sweeps are left to Hydra
            continue
        choices.append([f"{o.get_key_element()}={v}" for v in values] or [o.input_line])
    base = [c[0] for c in choices]
    points = [base]
    for i, c in enumerate(choices):
        points += [base[:i] + [v] + base[i + 1:] for v in c[1:]]
    return points
