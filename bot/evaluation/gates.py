"""The gate: a run against the committed baseline and eval/gates.yaml.

Each gated metric has a floor and a largest allowed drop, checked overall and for every
language on its own, so that a drop in Khmer cannot hide behind English. Critical cases
must pass. The baseline's figures are recomputed over the very cases of the run, so a run
of one language is compared with that language's baseline. A case that is new or changed
since the baseline, or a run under other settings (offline vs model, another model), asks
for a re-baseline instead of reporting regressions that are not there.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.errors import EvaluationError
from bot.evaluation.records import BaselineRow, GateVerdict, Provenance
from bot.evaluation.summary import counted, critical_failures, metric_means

_EPSILON = 1e-9


class MetricGate(BaseModel):
    """A metric may not fall below `floor`, nor drop more than `max_drop` below the baseline."""

    model_config = ConfigDict(extra="forbid")
    floor: float = Field(default=0.0, ge=0)
    max_drop: float = Field(default=0.0, ge=0)


class Gates(BaseModel):
    """eval/gates.yaml: gates for the whole run and for each language, with optional overrides
    for the whole run (a target may be higher overall than in every language) and per language."""

    model_config = ConfigDict(extra="forbid")
    metrics: dict[str, MetricGate]
    overall: dict[str, MetricGate] = {}  # overrides for the whole run, e.g. must_include: {floor: 0.8}
    languages: dict[str, dict[str, MetricGate]] = {}  # overrides, e.g. km: {hit@5: {floor: 0.6, max_drop: 0.15}}
    critical_must_pass: bool = True

    def for_overall(self) -> dict[str, MetricGate]:
        return self.metrics | self.overall

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


def check(rows: Sequence[BaselineRow], settings_hash: str, baseline: tuple[Provenance, Sequence[BaselineRow]], gates: Gates) -> GateVerdict:
    """Check a run's rows against the baseline's (provenance, rows) (see `runs.read_rows`) and the gates."""
    baseline_meta, baseline_rows = baseline
    errors = tuple(f"{row.id}: {row.error}" for row in rows if row.error)
    if baseline_meta.settings_hash != settings_hash:
        return GateVerdict(
            errors=errors,
            rebaseline=f"the run's settings ({settings_hash}) differ from the baseline's ({baseline_meta.settings_hash}): "
            "another mode or model; run `greenbot eval bless` to make this the baseline",
        )
    known = {row.id: row.case_hash for row in baseline_rows}
    changed = sorted({row.id for row in rows if known.get(row.id) != row.case_hash})
    if changed:
        shown = ", ".join(changed[:10]) + (" …" if len(changed) > 10 else "")
        return GateVerdict(
            errors=errors, rebaseline=f"{len(changed)} case(s) new or changed since the baseline ({shown}); review them and run `greenbot eval bless`"
        )
    ids = {row.id for row in rows}
    before = counted(row for row in baseline_rows if row.id in ids)
    now = counted(rows)
    breaches = _breaches("overall", metric_means(now), metric_means(before), gates.for_overall())
    for lang in sorted({row.lang for row in rows}):
        breaches += _breaches(
            lang,
            metric_means(r for r in now if r.lang == lang),
            metric_means(r for r in before if r.lang == lang),
            gates.for_language(lang),
        )
    if gates.critical_must_pass:
        breaches += [f"critical case failed: {case}" for case in critical_failures(rows)]
    return GateVerdict(errors=errors, breaches=tuple(breaches))


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
