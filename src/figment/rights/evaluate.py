"""The labelled evaluation sets for prompt screening (rights/eval/) and their precision and recall.

Two sets, same format: `prompts.tsv`, the tuning set (grow it whenever a bypass or a false refusal is
found, and change the matcher until it passes), and `heldout.tsv`, the held-back set (issue 15), written
before the matcher was tuned and never tuned on: its figures say how the matcher does on prompts it was
not fitted to. A held-back prompt that fails is reported, not fixed; fixing it means moving it to the
tuning set and writing fresh held-back prompts.

`python -m figment.rights.evaluate` prints the figures of both and every miss; docs/BENCHMARKS.md quotes them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources

from figment.embeddings import make_embedder
from figment.rights.matching import Alias, RightsIndex, WorkEntry


@dataclass(frozen=True)
class Case:
    positive: bool
    work: str | None
    technique: str
    prompt: str


@dataclass
class Report:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def false_refusal_rate(self) -> float:
        return self.fp / (self.fp + self.tn) if self.fp + self.tn else 0.0


def eval_works() -> list[WorkEntry]:
    data = json.loads(resources.files("figment.rights").joinpath("eval/works.json").read_text("utf-8"))
    return [
        WorkEntry(
            id=f"eval{n}",
            title=w["title"],
            aliases=tuple(Alias(a["text"], a.get("lang")) for a in w["aliases"]),
            description=w["description"],
            holder=w["holder"],
            policy="refuse",
            kind=w["kind"],
        )
        for n, w in enumerate(data)
    ]


TUNING = "prompts.tsv"
HELD_OUT = "heldout.tsv"


def eval_cases(name: str = TUNING) -> list[Case]:
    text = resources.files("figment.rights").joinpath(f"eval/{name}").read_text("utf-8")
    cases = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, work, technique, prompt = line.split("\t")
        cases.append(Case(label == "pos", None if work == "-" else work, technique, prompt))
    return cases


def evaluate(index: RightsIndex, cases: list[Case] | None = None) -> Report:
    report = Report()
    for case in cases or eval_cases():
        hits = index.match(case.prompt)
        titles = {h.work.title for h in hits}
        if case.positive:
            if case.work in titles:
                report.tp += 1
            else:
                report.fn += 1
                report.misses.append(f"missed [{case.technique}] {case.prompt!r} -> {sorted(titles)}")
        elif hits:
            report.fp += 1
            report.misses.append(f"refused [{case.technique}] {case.prompt!r}: {[h.rule for h in hits]}")
        else:
            report.tn += 1
    return report


def summary(report: Report) -> str:
    return (
        f"positives {report.tp + report.fn}, negatives {report.fp + report.tn}; "
        f"precision {report.precision:.3f}, recall {report.recall:.3f} ({report.tp}/{report.tp + report.fn}), "
        f"false refusals {report.false_refusal_rate:.3f} ({report.fp}/{report.fp + report.tn})"
    )


def main() -> None:
    index = RightsIndex.build(eval_works(), embedder=make_embedder("use"))
    reports = {}
    for label, name in (("tuning set", TUNING), ("held-back set", HELD_OUT)):
        reports[label] = report = evaluate(index, eval_cases(name))
        print(f"## {label} ({name})")
        for line in report.misses:
            print(line)
        print(summary(report))
    whole = Report()
    for report in reports.values():
        whole.tp, whole.fp = whole.tp + report.tp, whole.fp + report.fp
        whole.fn, whole.tn = whole.fn + report.fn, whole.tn + report.tn
    print(f"## whole set\n{summary(whole)}")


if __name__ == "__main__":
    main()
