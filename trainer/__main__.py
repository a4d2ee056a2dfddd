"""`python -m trainer` runs the command line, as the `trainer` script does."""

from trainer.cli import main

main()
