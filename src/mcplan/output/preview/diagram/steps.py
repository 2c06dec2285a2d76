"""A journey's steps as the diagram and its list say them: each send with its channel's name and
its expected sends per week, each wait and each arm's condition in the reader's language.

The tree keeps the steps' order and nesting; consecutive waits become one (their durations
added up as written, `3 d + 4 d`), and a branch without `otherwise` gets the way past it as a
last arm of its own (`kind == "others"`), as whoever matches no arm goes on after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mcplan import numbers
from mcplan.plan.journey import JourneyForecast, StepForecast
from mcplan.words import Reader
from mcplan.workspace import Workspace
from mcplan.workspace.journey import Branch, Journey, Otherwise, Send, Wait, When
from mcplan.workspace.journey_steps import Condition, Duration, Step
from mcplan.workspace.sourcemap import KeyPath

_UNITS = {"h": "diagram_hours", "d": "diagram_days", "w": "diagram_weeks"}


@dataclass(frozen=True)
class SendNode:
    step: str  # the send's id
    channel: str  # the channel's name in the reader's language (its id if the workspace lacks it)
    sends: str  # "1 234 envois par semaine", or that they are unknown
    per_persona: tuple[tuple[str, str], ...]  # (persona, sends a week as written)
    kind: str = "send"


@dataclass(frozen=True)
class WaitNode:
    label: str  # "attendre 3 j", "wait 3 d + 36 h"
    kind: str = "wait"


@dataclass(frozen=True)
class ArmNode:
    label: str  # its condition, "otherwise", or "everyone else" for the way past the branch
    steps: tuple[Node, ...]
    kind: str  # "when", "otherwise" or "others"


@dataclass(frozen=True)
class BranchNode:
    arms: tuple[ArmNode, ...]
    label: str  # what a branch does, for the list
    goes_on: str  # what the "others" arm says in the list
    kind: str = "branch"


Node = SendNode | WaitNode | BranchNode


def step_tree(
    workspace: Workspace, journey: Journey, forecast: JourneyForecast | None, reader: Reader
) -> tuple[Node, ...]:
    """The journey's steps, labelled for ``reader``, with the forecast's weekly sends."""
    sends = {s.path: s for s in forecast.steps} if forecast else {}
    words = _Words(workspace, reader, sends)
    with numbers.in_locale(str(reader.locale)):
        return words.sequence(("steps",), journey.steps)


@dataclass(frozen=True)
class _Words:
    workspace: Workspace
    reader: Reader
    sends: dict[KeyPath, StepForecast]

    def sequence(self, path: KeyPath, steps: Sequence[Step]) -> tuple[Node, ...]:
        nodes: list[Node] = []
        waits: list[Duration] = []
        for i, step in enumerate(steps):
            if isinstance(step, Wait):
                waits.append(step.wait)
                continue
            if waits:
                nodes.append(self.wait(waits))
                waits = []
            if isinstance(step, Send):
                nodes.append(self.send((*path, i), step))
            elif isinstance(step, Branch):
                nodes.append(self.branch((*path, i), step))
        if waits:
            nodes.append(self.wait(waits))
        return tuple(nodes)

    def send(self, path: KeyPath, step: Send) -> SendNode:
        channel = self.workspace.channels.get(step.send)
        name = self.reader.channel(channel) if channel else str(step.send)
        forecast = self.sends.get(path)
        if forecast is None:
            return SendNode(str(step.id), name, self.reader.words["diagram_no_forecast"], ())
        total = forecast.total_sends_per_week
        per = forecast.sends_per_week
        return SendNode(
            step=str(step.id),
            channel=name,
            sends=self.reader.count("diagram_sends", total, numbers.quantity(total)),
            per_persona=tuple((p, numbers.quantity(n)) for p, n in per.items()),
        )

    def wait(self, waits: Sequence[Duration]) -> WaitNode:
        duration = " + ".join(self.duration(w) for w in waits)
        return WaitNode(self.reader.say("diagram_wait", duration=duration))

    def duration(self, wait: Duration) -> str:
        """``3d`` as the reader writes it: "3 j" in French, "3 T." in German."""
        written = str(wait)
        unit = written[-1:] if written[-1:] in _UNITS else "h"
        amount = int(written[:-1]) if written[:-1].isdigit() else wait.hours
        return self.reader.say(_UNITS[unit], count=numbers.count(amount))

    def branch(self, path: KeyPath, step: Branch) -> BranchNode:
        arms = []
        for i, arm in enumerate(step.branch):
            if isinstance(arm, When):
                inner = self.sequence((*path, "branch", i, "steps"), arm.steps)
                arms.append(ArmNode(self.condition(arm.when), inner, "when"))
            elif isinstance(arm, Otherwise):
                inner = self.sequence((*path, "branch", i, "otherwise"), arm.otherwise)
                arms.append(ArmNode(self.reader.words["diagram_otherwise"], inner, "otherwise"))
        if not any(arm.kind == "otherwise" for arm in arms):
            arms.append(ArmNode(self.reader.words["diagram_no_arm"], (), "others"))
        t = self.reader.words
        return BranchNode(tuple(arms), t["diagram_branch"], t["diagram_goes_on"])

    def condition(self, condition: Condition) -> str:
        """Each key the condition writes, in the reader's words, joined by " · "."""
        said = []
        if condition.share is not None:
            share = numbers.percent(condition.share)
            said.append(self.reader.say("diagram_share", share=share))
        for key, step in condition.engagement:
            said.append(self.reader.say(f"diagram_{key}", step=step))
        if condition.personas:
            names = ", ".join(str(p) for p in condition.personas)
            said.append(self.reader.say("diagram_personas", personas=names))
        return " · ".join(said)


def sends_of(tree: Sequence[Node]) -> list[SendNode]:
    """Every send of the tree, in the order written (arms' too)."""
    found: list[SendNode] = []
    pending: list[Node] = list(reversed(tree))
    while pending:
        node = pending.pop()
        if isinstance(node, SendNode):
            found.append(node)
        elif isinstance(node, BranchNode):
            for arm in reversed(node.arms):
                pending.extend(reversed(arm.steps))
    return found
