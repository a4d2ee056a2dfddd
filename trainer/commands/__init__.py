"""Subcommands that live in their own modules.

Each module here defines a click command named `command`; `trainer.cli` adds every one of them
to the `trainer` group. Keep heavy imports inside the command functions.
"""
