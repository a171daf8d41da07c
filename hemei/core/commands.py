"""What every ``hemei`` command shares: its failure and how it starts Django."""

from __future__ import annotations

import os
from pathlib import Path


class CommandFailed(Exception):
    """A user-facing failure: the message is printed as is, the exit code is 2."""


def setup_django(data_dir: str | None) -> None:
    """Point at the data directory (``--data-dir``) and start Django."""
    if data_dir:
        os.environ["HEMEI_DATA_DIR"] = str(Path(data_dir).resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hemei.settings")
    import django

    django.setup()
