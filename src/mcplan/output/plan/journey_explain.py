"""What `--explain` adds to a journey (issue 29): how each send step's weekly sends come, in the
reader's words. The rule once, then per step the arms on its way (each engagement arm with the
odds it takes per persona), how a step billed per SMS segment is priced (its text's segments,
as a campaign's channel says them), and per persona those who arrive × the reach = its sends,
with the odds of an open, a click and a conversion per message sent that the next steps use."""

from __future__ import annotations

from mcplan.numbers import decimal, number, quantity
from mcplan.output.plan.explain import billed
from mcplan.output.plan.journey_held import explain_held
from mcplan.plan.journey import JourneyForecast, StepForecast
from mcplan.plan.journey.held import CapForecast
from mcplan.words import Reader
from mcplan.workspace import Workspace
from mcplan.workspace.journey import Journey
from mcplan.workspace.journey_steps import Branch, Otherwise, Step, When
from mcplan.workspace.sourcemap import KeyPath

ODDS = 4  # decimals of a probability


def explain_lines(
    forecast: JourneyForecast, workspace: Workspace, t: Reader, hold: CapForecast | None = None
) -> list[tuple[int, str]]:
    """(depth, line): the rule, the exit's and how ``hold``'s figures come (0), then each
    send step's line (1) and one per persona under it (2)."""
    journey = workspace.journeys[forecast.journey]
    lines = [(0, t.say("journey_explain_rule"))]
    if journey.exit is not None:
        lines.append((0, t.say("journey_explain_exit")))
    lines += [(0, line) for line in explain_held(hold, t)]
    for step in forecast.steps:
        arms = [_arm(arm, forecast, t) for arm in arms_on_the_way(journey, step.path)]
        said = {"step": step.step, "channel": step.channel}
        if arms:
            lines.append((1, t.say("journey_explain_via", **said, arms=" → ".join(arms))))
        else:
            lines.append((1, t.say("journey_explain_step", **said)))
        lines += [(2, line) for line in _billing(step, workspace)]
        lines += [(2, line) for line in _persona_lines(step, t)]
    return lines


def _billing(step: StepForecast, workspace: Workspace) -> list[str]:
    """How a step on a channel billed per segment is priced: its text's segments per
    persona it sends to, as a campaign's channel says it."""
    if step.segments is None:
        return []
    sending = [p for p, n in step.sends_per_week.items() if n > 0]
    return billed(step.channel, sending, step.segments, workspace)


def arms_on_the_way(journey: Journey, path: KeyPath) -> list[When | Otherwise]:
    """The arms a step at ``path`` is inside, outermost first."""
    arms: list[When | Otherwise] = []
    steps: list[Step] = list(journey.steps)
    i = 0
    while i + 1 < len(path):
        step = steps[int(path[i + 1])]
        if not isinstance(step, Branch) or i + 2 >= len(path):
            break
        arm = step.branch[int(path[i + 3])]
        arms.append(arm)
        steps = list(arm.steps if isinstance(arm, When) else arm.otherwise)
        i += 4
    return arms


def _arm(arm: When | Otherwise, forecast: JourneyForecast, t: Reader) -> str:
    """``the arm not_opened: hello (marie 0.7550 of those hello went to), personas: marie``:
    its condition as written, each engagement with the odds it takes per persona."""
    if isinstance(arm, Otherwise):
        return t.say("journey_arm", condition="otherwise")
    condition = arm.when
    said = [] if condition.share is None else [f"share: {number(condition.share)}"]
    said += [_engaged(key, send, forecast, t) for key, send in condition.engagement]
    if condition.personas is not None:
        said.append(f"personas: {', '.join(condition.personas)}")
    return t.say("journey_arm", condition=", ".join(said))


def _engaged(key: str, send: str, forecast: JourneyForecast, t: Reader) -> str:
    """``not_opened: hello (marie 0.7550, jean 0.7000 of those hello went to)``."""
    named = _step(forecast, send)
    if named is None or named.odds is None:
        return f"{key}: {send}"
    shares = {
        "opened": named.odds.open,
        "clicked": named.odds.click,
        "not_opened": 1 - named.odds.open,
        "not_clicked": 1 - named.odds.click,
    }[key]
    odds = ", ".join(
        f"{p} {decimal(x, ODDS)}" for p, x in zip(named.personas, shares.tolist(), strict=True)
    )
    return f"{key}: {send} ({t.say('journey_arm_odds', odds=odds, send=send)})"


def _step(forecast: JourneyForecast, step_id: str) -> StepForecast | None:
    try:
        return forecast.step(step_id)
    except KeyError:
        return None


def _persona_lines(step: StepForecast, t: Reader) -> list[str]:
    if step.arrived is None or step.odds is None:
        return []
    odds = step.odds
    columns = zip(
        step.personas,
        step.arrived.tolist(),
        odds.reach.tolist(),
        step.sends_per_week.values(),
        odds.open.tolist(),
        odds.click.tolist(),
        odds.conversion.tolist(),
        strict=True,
    )
    return [
        t.say(
            "journey_explain_persona",
            persona=persona,
            arrived=quantity(arrived),
            reach=decimal(reach, 2),
            sends=quantity(sends),
            open=decimal(opened, ODDS),
            click=decimal(clicked, ODDS),
            conversion=decimal(converted, ODDS),
        )
        for persona, arrived, reach, sends, opened, clicked, converted in columns
    ]


__all__ = ["arms_on_the_way", "explain_lines"]
