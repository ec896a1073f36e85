"""Where an evaluation's files live under eval/: names only, so that the CLI can build its options
from them without loading the evaluation machinery (`greenbot --help` stays light)."""

GATES_FILE = "gates.yaml"
BASELINE_FILE = "baseline.json"
RUNS_FOLDER = "runs"  # where `greenbot eval run` writes, and where run names are looked up
LATEST = "latest"  # the run name of the newest run folder
