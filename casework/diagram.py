"""The lifecycle diagram of docs/lifecycle.md, written from casework.lifecycle's table (never by hand):
`manage.py lifecycle_diagram` writes it, `--check` fails when it is out of date (a test runs that in CI)."""

from casework.lifecycle import TRANSITIONS, Offered, Transition
from casework.models import Case

HEADER = """# The case lifecycle

Written by `manage.py lifecycle_diagram` from `casework/lifecycle/table.py`; do not edit by hand (a test fails when
this file and the table differ). Every arrow is one row of the table, made by one service, which checks the
rule named beside it.

"""


def _node(status: str) -> str:
    return status or "[*]"


def _arrow_label(transition: Transition) -> str:
    return f"{transition.name} ({transition.rule.name})"


def mermaid() -> str:
    lines = ["stateDiagram-v2"]
    for status in Case.Status:
        lines.append(f"    {status.value}: {status.label}")
    for transition in TRANSITIONS:
        if not transition.changes_status:
            continue
        sources = sorted(transition.sources) or [""]
        for source in sources:
            for target in sorted(transition.targets_from(source)):
                if source == target:
                    continue
                lines.append(f"    {_node(source)} --> {target}: {_arrow_label(transition)}")
    return "\n".join(lines)


def _statuses(statuses) -> str:
    if set(statuses) == set(Case.Status):
        return "any"
    return ", ".join(sorted(statuses)) or "(opens the case)"


def moves_table() -> str:
    rows = [
        "| Move | From | To | Who may | Offered on | Events |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for transition in TRANSITIONS:
        targets = _statuses(transition.targets) if transition.targets else "unchanged"
        if transition.paths:
            targets = "; ".join(f"from {source}: {_statuses(to)}" for source, to in sorted(transition.paths))
        offered = transition.offered.value if transition.offered is not Offered.NOWHERE else "-"
        rows.append(
            f"| `{transition.name}` | {_statuses(transition.sources)} | {targets} | {transition.rule.name} "
            f"| {offered} | {', '.join(transition.events)} |"
        )
    return "\n".join(rows)


def document() -> str:
    return f"{HEADER}```mermaid\n{mermaid()}\n```\n\n## Every move\n\n{moves_table()}\n"
