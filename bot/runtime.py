"""Process-wide tuning for the long-running bot (`greenbot run`), and nothing else.

A library call (a test, `greenbot ask`, the evaluation harness) must not change how the whole
process collects garbage, so this runs only where the bot serves for hours. The loops and
pools the bot runs are listed in the README's "Runtime" section.
"""

from __future__ import annotations

import gc


def freeze_heap() -> None:
    """Take what was loaded at start-up (the index snapshot, the models) out of the garbage
    collector's full passes: it lives as long as the process, and walking it on every full pass
    stalled the event loop for over 100 ms at a time under load (bench/bot_load.py)."""
    gc.collect()
    gc.freeze()
