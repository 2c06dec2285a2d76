"""Where each shape of a journey's diagram goes: a simple recursive layout, top to bottom.

A sequence of steps stands on one vertical axis: a box per send, a labelled connector per wait
(consecutive waits are one), a plain connector between two steps. A branch is as wide as its
arms side by side (an arm as wide as its widest step, a column for a step), and as tall as its
longest arm: a bar splits the way into the arms, each arm's condition is written on its line,
and a second bar joins them again where the longest ends. Widths are counted in columns, so
that a drawing's size is known before anything is placed.

Text is never measured (a page with no script cannot): each text is cut to the characters its
place holds at its font size, its whole text kept for a tooltip.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from mcplan.output.preview.diagram.steps import ArmNode, BranchNode, Node, SendNode, WaitNode

COLUMN = 248  # one column: a box and the space beside it
BOX_W, BOX_H = 216, 66  # a send's box
GAP = 28  # a connector between two steps
WAIT_GAP = 44  # a connector that says a wait
SPLIT = 48  # from a branch's top to its arms: the bar, then each arm's condition
BAR = 12  # from a branch's top to its bar
PILL_H = 48  # the start: the entry event and how many enter a week
END_H = 30  # the end (46 with the exit goal's line)
MARGIN = 12

# How many characters each place holds (12 px monospace ids, 12 px text; 11 px labels, an
# arm's as wide as its columns, a wait's beside its line).
ID_CHARS = 26
TEXT_CHARS = 28
ARM_PIXELS_PER_CHAR = 7
WAIT_CHARS = 18


@dataclass(frozen=True)
class Text:
    """A text as its place shows it (cut, with "…") and as it is (its tooltip)."""

    shown: str
    full: str

    @property
    def cut(self) -> bool:
        return self.shown != self.full


def fit(text: str, chars: int) -> Text:
    return Text(text if len(text) <= chars else text[: chars - 1].rstrip() + "…", text)


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    step: str  # the send's id, whole (the link's anchor)
    id: Text
    channel: Text
    sends: Text
    tooltip: str  # every line of it: id, channel, sends a week, and per persona
    w: int = BOX_W
    h: int = BOX_H


@dataclass(frozen=True)
class Label:
    x: int
    y: int
    text: Text
    kind: str  # "wait", or the arm's: "when", "otherwise", "others"


@dataclass(frozen=True)
class Line:
    d: str  # an SVG path of straight segments
    dashed: bool = False


@dataclass(frozen=True)
class Pill:
    """The start (entry event, entries a week) or the end (and the exit goal)."""

    x: int
    y: int
    h: int
    lines: tuple[Text, ...]
    kind: str  # "start" or "end"
    w: int = BOX_W


@dataclass
class Shapes:
    boxes: list[Box] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    pills: list[Pill] = field(default_factory=list)
    width: int = 0
    height: int = 0


def _n(value: int) -> str:
    return str(value)


class Layout:
    """Columns and heights of each step, counted once, and the shapes placed from them."""

    def __init__(self) -> None:
        self._columns: dict[int, int] = {}
        self._heights: dict[int, int] = {}
        self.shapes = Shapes()

    # -- sizes --------------------------------------------------------------------------------

    def columns(self, nodes: Sequence[Node]) -> int:
        """How many columns a sequence of steps takes: its widest step's."""
        widest = 1
        for node in nodes:
            if isinstance(node, BranchNode):
                widest = max(widest, self.branch_columns(node))
        return widest

    def branch_columns(self, node: BranchNode) -> int:
        key = id(node)
        if key not in self._columns:
            self._columns[key] = sum(self.columns(arm.steps) for arm in node.arms)
        return self._columns[key]

    def height(self, nodes: Sequence[Node]) -> int:
        """How tall a sequence is, the connectors before its steps and after its last one
        included."""
        total, after_wait = 0, False
        for node in nodes:
            if isinstance(node, WaitNode):
                total, after_wait = total + WAIT_GAP, True
                continue
            total += (0 if after_wait else GAP) + self.node_height(node)
            after_wait = False
        return total + (0 if after_wait else GAP)

    def node_height(self, node: SendNode | BranchNode) -> int:
        if isinstance(node, SendNode):
            return BOX_H
        key = id(node)
        if key not in self._heights:
            self._heights[key] = SPLIT + max(self.height(arm.steps) for arm in node.arms)
        return self._heights[key]

    # -- placing ------------------------------------------------------------------------------

    def line(self, d: str, dashed: bool = False) -> None:
        self.shapes.lines.append(Line(d, dashed))

    def down(self, x: int, top: int, bottom: int, dashed: bool = False) -> None:
        self.line(f"M{_n(x)} {_n(top)}V{_n(bottom)}", dashed)

    def sequence(
        self, nodes: Sequence[Node], left: int, columns: int, top: int, dashed: bool = False
    ) -> int:
        """Place a sequence on the axis of its ``columns`` from ``left``, from ``top``; the
        bottom of its last connector."""
        axis = left + columns * COLUMN // 2
        y, after_wait = top, False
        for node in nodes:
            if isinstance(node, WaitNode):
                self.down(axis, y, y + WAIT_GAP, dashed)
                text = fit(node.label, WAIT_CHARS)
                self.shapes.labels.append(Label(axis + 8, y + WAIT_GAP // 2 + 4, text, "wait"))
                y, after_wait = y + WAIT_GAP, True
                continue
            if not after_wait:
                self.down(axis, y, y + GAP, dashed)
                y += GAP
            after_wait = False
            if isinstance(node, SendNode):
                self.box(node, axis, y)
                y += BOX_H
            else:
                y = self.branch(node, axis, y)
        if not after_wait:
            self.down(axis, y, y + GAP, dashed)
            y += GAP
        return y

    def box(self, node: SendNode, axis: int, top: int) -> None:
        tooltip = "\n".join(
            [f"{node.step} · {node.channel} · {node.sends}"]
            + [f"{persona}: {sends}" for persona, sends in node.per_persona]
        )
        self.shapes.boxes.append(
            Box(
                x=axis - BOX_W // 2,
                y=top,
                step=node.step,
                id=fit(node.step, ID_CHARS),
                channel=fit(node.channel, TEXT_CHARS),
                sends=fit(node.sends, TEXT_CHARS),
                tooltip=tooltip,
            )
        )

    def branch(self, node: BranchNode, axis: int, top: int) -> int:
        """Place a branch whose way in arrives at ``axis``; the bottom of the bar that joins its
        arms again."""
        widths = [self.columns(arm.steps) for arm in node.arms]
        left = axis - sum(widths) * COLUMN // 2
        bar, bottom = top + BAR, top + self.node_height(node)
        self.down(axis, top, bar)
        axes = []
        for arm, columns in zip(node.arms, widths, strict=True):
            arm_axis = left + columns * COLUMN // 2
            axes.append(arm_axis)
            self.arm(arm, left, columns, top, bottom)
            left += columns * COLUMN
        if len(axes) > 1:
            for y in (bar, bottom):
                self.line(f"M{_n(axes[0])} {_n(y)}H{_n(axes[-1])}")
        return bottom

    def arm(self, arm: ArmNode, left: int, columns: int, top: int, bottom: int) -> None:
        axis = left + columns * COLUMN // 2
        dashed = arm.kind == "others"
        self.down(axis, top + BAR, top + SPLIT, dashed)
        text = fit(arm.label, (columns * COLUMN - 12) // ARM_PIXELS_PER_CHAR)
        self.shapes.labels.append(Label(axis, top + BAR + (SPLIT - BAR) // 2 + 4, text, arm.kind))
        end = self.sequence(arm.steps, left, columns, top + SPLIT, dashed)
        if end < bottom:
            self.down(axis, end, bottom, dashed)


def lay_out(tree: Sequence[Node], start: Sequence[str], end: Sequence[str], columns: int) -> Shapes:
    """The shapes of a journey's diagram: ``start``'s lines in a pill above its steps,
    ``end``'s below, the steps placed on ``columns`` columns."""
    layout = Layout()
    shapes = layout.shapes
    axis = MARGIN + columns * COLUMN // 2
    first = tuple(fit(line, ID_CHARS if i == 0 else TEXT_CHARS) for i, line in enumerate(start))
    shapes.pills.append(Pill(axis - BOX_W // 2, MARGIN, PILL_H, first, "start"))
    bottom = layout.sequence(tree, MARGIN, columns, MARGIN + PILL_H)
    last = tuple(fit(line, TEXT_CHARS) for line in end)
    end_h = END_H + 16 * (len(last) - 1)
    shapes.pills.append(Pill(axis - BOX_W // 2, bottom, end_h, last, "end"))
    shapes.width = columns * COLUMN + 2 * MARGIN
    shapes.height = bottom + end_h + MARGIN
    return shapes
