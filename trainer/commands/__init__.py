"""The `trainer` subcommands, one module each; `trainer.cli` lists them in `COMMANDS`.

Shared helpers (one-line errors, opening the store) are in `common`. A command never imports
`trainer.cli`, and keeps heavy imports inside its function so that `trainer --help` stays fast.
"""
