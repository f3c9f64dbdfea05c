"""The ``d2lmomentum`` command line: it maps flags to the library's parameters."""
from d2lmomentum.cli.main import main

__all__ = ["main"]
