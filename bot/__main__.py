"""`python -m bot` runs the `greenbot` command line."""

from bot.cli import main

main()
