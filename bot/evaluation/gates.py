"""The gate: a run against the committed baseline and eval/gates.yaml.

Each gated metric has a floor and a largest allowed drop, checked overall and for every
language on its own, so that a drop in Khmer cannot hide behind English. Critical cases
must pass. The baseline's figures are recomputed over the very cases of the run, so a run
of one language is compared with that language's baseline. A case that is new or changed
since the baseline, or a run under other settings (offline vs model, another model), asks
for a re-baseline instead of reporting regressions that are not there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.errors import EvaluationError
from bot.evaluation.scoring import Result
from bot.evaluation.summary import counted, critical_failures, metric_means

GATES_FILE = "gates.yaml"
BASELINE_FILE = "baseline.json"
_EPSILON = 1e-9

EXIT_PASSED, EXIT_REGRESSION, EXIT_INFRASTRUCTURE, EXIT_REBASELINE = 0, 1, 2, 3


class MetricGate(BaseModel):
    """A metric may not fall below `floor`, nor drop more than `max_drop` below the baseline."""

    model_config = ConfigDict(extra="forbid")
    floor: float = Field(default=0.0, ge=0)
    max_drop: float = Field(default=0.0, ge=0)


class Gates(BaseModel):
    """eval/gates.yaml: gates for all languages, with optional per-language floors and drops."""

    model_config = ConfigDict(extra="forbid")
    metrics: dict[str, MetricGate]
    languages: dict[str, dict[str, MetricGate]] = {}  # overrides, e.g. km: {hit@5: {floor: 0.6, max_drop: 0.15}}
    critical_must_pass: bool = True

    def for_language(self, lang: str) -> dict[str, MetricGate]:
        return self.metrics | self.languages.get(lang, {})


def load_gates(path: Path) -> Gates:
    """Read gates.yaml, with a clear error when it is missing or wrong."""
    try:
        return Gates.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise EvaluationError(f"{path}: cannot read the gates: {exc.strerror}") from exc
    except (yaml.YAMLError, ValidationError) as exc:
        raise EvaluationError(f"{path}: invalid gates: {exc}") from exc


@dataclass
class GateVerdict:
    """What the gate found; `exit_code` is what `greenbot eval gate` exits with."""

    breaches: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rebaseline: str | None = None

    @property
    def exit_code(self) -> int:
        if self.errors:
            return EXIT_INFRASTRUCTURE
        if self.rebaseline:
            return EXIT_REBASELINE
        return EXIT_REGRESSION if self.breaches else EXIT_PASSED

    @property
    def passed(self) -> bool:
        return self.exit_code == EXIT_PASSED

    def as_dict(self) -> dict[str, Any]:
        return {"passed": self.passed, "exit_code": self.exit_code, "breaches": self.breaches, "errors": self.errors, "rebaseline": self.rebaseline}


def check(rows: list[Result], settings_hash: str, baseline: tuple[dict[str, Any], list[Result]], gates: Gates) -> GateVerdict:
    """Check a run's rows against the baseline's (provenance, rows) (see `runs.read_rows`) and the gates."""
    baseline_meta, baseline_rows = baseline
    verdict = GateVerdict(errors=[f"{row['id']}: {row['error']}" for row in rows if row["error"]])
    if baseline_meta["settings_hash"] != settings_hash:
        verdict.rebaseline = (
            f"the run's settings ({settings_hash}) differ from the baseline's ({baseline_meta['settings_hash']}): "
            "another mode or model; run `greenbot eval bless` to make this the baseline"
        )
        return verdict
    known = {row["id"]: row["case_hash"] for row in baseline_rows}
    changed = sorted({row["id"] for row in rows if known.get(row["id"]) != row["case_hash"]})
    if changed:
        shown = ", ".join(changed[:10]) + (" …" if len(changed) > 10 else "")
        verdict.rebaseline = f"{len(changed)} case(s) new or changed since the baseline ({shown}); review them and run `greenbot eval bless`"
        return verdict
    ids = {row["id"] for row in rows}
    before = counted([row for row in baseline_rows if row["id"] in ids])
    now = counted(rows)
    verdict.breaches += _breaches("overall", metric_means(now), metric_means(before), gates.metrics)
    for lang in sorted({row["lang"] for row in rows}):
        verdict.breaches += _breaches(
            lang,
            metric_means(r for r in now if r["lang"] == lang),
            metric_means(r for r in before if r["lang"] == lang),
            gates.for_language(lang),
        )
    if gates.critical_must_pass:
        verdict.breaches += [f"critical case failed: {case}" for case in critical_failures(rows)]
    return verdict


def _breaches(scope: str, now: dict[str, float], before: dict[str, float], gates: dict[str, MetricGate]) -> list[str]:
    found: list[str] = []
    for name, gate in gates.items():
        if name not in now:
            continue  # not applicable to these cases (e.g. chrf without references)
        value = now[name]
        if value < gate.floor - _EPSILON:
            found.append(f"{name} ({scope}): {value:.3f} below the floor {gate.floor:.3f}")
        if name in before and before[name] - value > gate.max_drop + _EPSILON:
            found.append(f"{name} ({scope}): {value:.3f}, down {before[name] - value:.3f} from the baseline's {before[name]:.3f} (allowed {gate.max_drop:.3f})")
    return found
