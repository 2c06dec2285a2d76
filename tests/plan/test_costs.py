"""What a plan costs and what a channel is worth: the one cost model of the budget filter, the
selection and the forecast (touches to some personas, several touches, the holdout, SMS
segments), and a value that counts what the campaign's objectives count.

Each workspace is one a team would write: a UK B2B software firm (en-GB, GBP) and an Italian
retailer (it-IT, EUR).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mcplan import load_workspace
from mcplan.plan import plan

UK_SETTINGS = """
    brand = "Ledgerly"
    locale = "en-GB"
    timezone = "Europe/London"
    currency = "GBP"
"""
FINANCE_DIRECTOR = """
    name: Finance director
    market: b2b
    size: 2000
    stage: acquisition
    country: GB-ENG
    channels:
      email: {reach: 0.9, affinity: 0.6, consent: opt_in}
      phone: {reach: 0.5, affinity: 0.7, consent: opt_in}
"""
IT_MANAGER = FINANCE_DIRECTOR.replace("Finance director", "IT manager").replace(
    "size: 2000", "size: 3000"
)
# Phone costs £500 + £3 a call: £3,500 for the finance directors' 1,000 numbers, £8,000 for
# the 2,500 of both personas.
WEBINAR = """
    name: Making Tax Digital webinar
    brand: Ledgerly
    personas: [finance-director, it-manager]
    objectives: [{kind: sales, target: 50000}]
    average_order_value: 1200
    budget: 5000
    message:
      headline: Making Tax Digital, explained in 45 minutes
      starts: 2027-03-01
      ends: 2027-03-18
    touches:
      - {channel: email, at: 2027-03-02T10:00}
      - {channel: phone, at: 2027-03-04T11:00, personas: [finance-director]}
"""
UK_CHANNELS = {
    "channel_rules/phone.yaml": "extends: phone\ncost_per_contact: 3\nfixed_cost: 500\n",
    "channel_rules/email.yaml": "extends: email\ncost_per_contact: 0.002\nfixed_cost: 300\n",
    "channel_rules/sms.yaml": "extends: sms\ncost_per_contact: 0.05\nfixed_cost: 40\n",
    "channel_rules/linkedin.yaml": "extends: linkedin\nfixed_cost: 150\n",
}


def uk(make_workspace: Callable, **files: str) -> Path:
    return make_workspace(
        {
            "mcplan.toml": UK_SETTINGS,
            "personas/finance-director.yaml": FINANCE_DIRECTOR,
            "personas/it-manager.yaml": IT_MANAGER,
            "campaigns/webinar.yaml": WEBINAR,
            **UK_CHANNELS,
            **files,
        }
    )


def plan_json(run: Callable, root: Path, *args: str) -> tuple[int, dict]:
    result = run("plan", "-w", str(root), "-f", "json", *args)
    [campaign] = json.loads(result.stdout)
    return result.exit_code, campaign


def test_a_touch_for_one_persona_is_priced_for_that_persona_only(
    run: Callable, make_workspace: Callable
) -> None:
    # The phone touch goes to the finance directors alone: it was priced for the IT managers
    # too (£8,000, over the budget), and refused with N103.
    root = uk(make_workspace)
    code, campaign = plan_json(run, root)
    assert code == 0
    assert campaign["findings"] == []
    phone = next(c for c in campaign["channels"] if c["channel"] == "phone")
    assert phone["personas"] == ["finance-director"]
    assert phone["cost"] == pytest.approx(3500)  # 500 + 2,000 × 0.5 × 3
    assert campaign["total"]["cost"] <= 5000
    text = run("plan", "-w", str(root)).stdout
    assert "over the budget" not in text
    assert "2 channels, 15 conversions for £3,809.00 of £5,000.00" in text


def test_report_reviews_a_channel_a_touch_sends_to_some_personas(
    run: Callable, make_workspace: Callable, tmp_path: Path
) -> None:
    # report called phone "not in the plan" and the campaign one that "cannot be planned".
    root = uk(make_workspace)
    results = tmp_path / "results.csv"
    results.write_text("channel,sent,converted,cost\nemail,4900,6,320\nphone,700,11,3400\n")
    result = run("report", "webinar", "-r", str(results), "-w", str(root))
    assert result.exit_code == 0
    assert "not in the plan" not in result.stdout
    assert "cannot be planned" not in result.stdout + result.stderr
    assert "keep   phone: +5% against its forecast" in result.stdout


def test_a_touch_whose_persona_cannot_get_it_still_names_the_reason(
    run: Callable, make_workspace: Callable
) -> None:
    # The same touch to both personas does cost £8,000: refused, with the price it would pay.
    root = uk(
        make_workspace,
        **{"campaigns/webinar.yaml": WEBINAR.replace(", personas: [finance-director]", "")},
    )
    result = run("plan", "-w", str(root))
    assert result.exit_code == 1
    assert (
        "campaigns/webinar.yaml:13:15: error N103 touches[1]: this phone touch cannot go out as "
        "planned: it cannot go to 'finance-director', 'it-manager': costs £8,000.00 alone, "
        "over the budget of £5,000.00"
    ) in " ".join(result.stdout.split())


IT_SETTINGS = """
    brand = "Bottega Rossi"
    locale = "it-IT"
    timezone = "Europe/Rome"
    currency = "EUR"
"""
# 20,000 loyal customers, half of them with a mobile number: 10,000 SMS a touch, at 0.06 € a
# segment (the bundled price) and 50 € to set up.
CLIENTI = """
    name: Clienti fedeli
    market: b2c
    size: 20000
    stage: loyalty
    channels:
      sms: {reach: 0.5, affinity: 0.8, consent: opt_in}
"""
SALDI = """
    name: Saldi estivi
    brand: Bottega Rossi
    personas: [clienti-fedeli]
    objectives: [{kind: sales}]
    budget: 1000
    message:
      headline: Saldi estivi
      starts: 2027-07-01
      ends: 2027-07-20
    touches:
      - {channel: sms, at: 2027-07-01T10:00}
      - {channel: sms, at: 2027-07-08T10:00}
      - {channel: sms, at: 2027-07-15T10:00}
"""
VIP = """
    name: Serata VIP
    brand: Bottega Rossi
    personas: [clienti-fedeli]
    objectives: [{kind: sales}]
    budget: 620
    holdout: 0.1
    message:
      headline: Serata VIP
      starts: 2027-09-01
      ends: 2027-09-20
    touches:
      - {channel: sms, at: 2027-09-02T10:00}
"""


def italian(make_workspace: Callable, campaign: str) -> Path:
    return make_workspace(
        {
            "mcplan.toml": IT_SETTINGS,
            "personas/clienti-fedeli.yaml": CLIENTI,
            "campaigns/c.yaml": campaign,
        }
    )


def test_every_written_touch_counts_against_the_budget(
    run: Callable, make_workspace: Callable
) -> None:
    # Three SMS touches cost 50 + 3 × 600 = 1,850 €: the plan forecast them and exited 0, over a
    # budget of 1,000 € without a word.
    root = italian(make_workspace, SALDI)
    code, campaign = plan_json(run, root)
    assert code == 1
    assert campaign["chosen"] == []
    assert campaign["rejected"] == [
        {"channel": "sms", "persona": None, "reason": "costs 1.850,00\xa0€ alone, over the "
         "budget of 1.000,00\xa0€"},
    ]  # fmt: skip
    [finding] = campaign["findings"]
    assert (finding["rule"], finding["file"], finding["line"]) == ("N101", "campaigns/c.yaml", 1)
    # Within a budget of 2,000 €, it is forecast at the price the selection paid.
    code, campaign = plan_json(run, italian(make_workspace, SALDI.replace("1000", "2000")))
    assert (code, campaign["chosen"]) == (0, ["sms"])
    assert campaign["total"]["cost"] == pytest.approx(1850)


def test_the_budget_filter_applies_the_holdout_as_the_forecast_does(
    run: Callable, make_workspace: Callable
) -> None:
    # 10 % held out: 9,000 SMS, 50 + 540 = 590 €, within 620 €; the filter said "costs 650.00
    # alone" (every contact, the holdout too) and refused the campaign.
    root = italian(make_workspace, VIP)
    code, campaign = plan_json(run, root)
    assert code == 0
    assert campaign["chosen"] == ["sms"]
    assert campaign["total"]["cost"] == pytest.approx(590)
    assert "590,00\xa0€ su un budget di 620,00\xa0€" in run("plan", "-w", str(root)).stdout


# 1,800 finance directors with a mobile number; SMS at £0.05 a segment and £40 to set up.
SMS_PERSONA = """
    name: Finance director
    market: b2b
    size: 6000
    stage: acquisition
    country: GB-ENG
    channels:
      linkedin: {reach: 0.9, affinity: 0.8}
      sms: {reach: 0.3, affinity: 0.5, consent: opt_in}
"""
LONG = (
    "Ledgerly: Making Tax Digital for Income Tax starts in April 2027. Join our 45-minute "
    "webinar on 18 March to see what changes for your quarterly updates. Reply STOP to opt out"
)
SHORT = "Ledgerly: Making Tax Digital webinar on 18 March. Reply STOP to opt out"
REMINDER = f"""
    name: Webinar reminder
    brand: Ledgerly
    personas: [finance-director]
    channels: [sms]
    objectives: [{{kind: sales}}]
    message:
      headline: Making Tax Digital webinar
      starts: 2027-03-01
      ends: 2027-03-18
    templates:
      sms: '{LONG}'
    touches:
      - {{channel: sms, at: 2027-03-02T10:00}}
"""


def reminder(make_workspace: Callable, campaign: str = REMINDER, sms: str = "") -> Path:
    return make_workspace(
        {
            "mcplan.toml": UK_SETTINGS,
            "personas/finance-director.yaml": SMS_PERSONA,
            "campaigns/reminder.yaml": campaign,
            **UK_CHANNELS,
            "channel_rules/sms.yaml": UK_CHANNELS["channel_rules/sms.yaml"] + sms,
        }
    )


def test_an_sms_of_two_segments_is_billed_twice_and_explained(
    run: Callable, make_workspace: Callable
) -> None:
    # 1,800 SMS of 2 segments: £40 + 1,800 × 2 × £0.05 = £220; one segment was billed (£130).
    assert len(LONG) > 160
    root = reminder(make_workspace)
    code, campaign = plan_json(run, root)
    assert (code, campaign["chosen"]) == (0, ["sms"])
    assert campaign["total"]["cost"] == pytest.approx(220)
    assert campaign["segments"] == {"sms": {"finance-director": 2}}
    explained = " ".join(run("plan", "-w", str(root), "--explain").stdout.split())
    assert (
        "sms: billed per segment, 2 segments × £0.05 = £0.10 a message to finance-director"
    ) in explained
    markdown = run("plan", "-w", str(root), "-f", "markdown", "--explain").stdout
    assert "_sms: billed per segment, 2 segments × £0.05 = £0.10 a message to " in markdown


def test_a_message_test_is_billed_by_its_arms_segments_and_split(
    run: Callable, make_workspace: Callable
) -> None:
    # A quarter of the contacts get the 1-segment arm, three quarters the 2-segment one:
    # 1.75 segments a message, £40 + 1,800 × 1.75 × £0.05 = £197.50.
    test = (
        "    tests:\n      - id: length\n        channel: sms\n        part: text\n"
        f"        arms: {{short: '{SHORT}', long: '{LONG}'}}\n"
        "        split: {short: 0.25, long: 0.75}\n"
    )
    root = reminder(make_workspace, REMINDER + test)
    code, campaign = plan_json(run, root)
    assert (code, campaign["total"]["cost"]) == (0, pytest.approx(197.5))
    explained = " ".join(run("plan", "-w", str(root), "--explain").stdout.split())
    assert (
        "sms: billed per segment, 1.75 segments on average (arm short 1, arm long 2) × £0.05 = "
        "£0.0875 a message to finance-director"
    ) in explained


def test_a_channel_billed_per_message_ignores_segments(
    run: Callable, make_workspace: Callable
) -> None:
    # A router that bills each message whatever its length: written in the channel's file.
    root = reminder(make_workspace, sms="billed: per_message\n")
    code, campaign = plan_json(run, root)
    assert (code, campaign["total"]["cost"]) == (0, pytest.approx(130))
    assert campaign["segments"] == {}
    assert "billed per segment" not in run("plan", "-w", str(root), "--explain").stdout


def test_only_an_sms_channel_is_billed_per_segment(run: Callable, make_workspace: Callable) -> None:
    root = reminder(make_workspace)
    (root / "channel_rules/email.yaml").write_text(
        "extends: email\ncost_per_contact: 0.002\nbilled: per_segment\n", encoding="utf-8"
    )
    result = run("validate", "-w", str(root))
    assert result.exit_code == 1
    assert "channel_rules/email.yaml\n  3:9 error S203 billed: per_segment counts SMS segments" in (
        result.stdout
    )
    assert "only a channel of kind sms is billed per segment" in result.stdout


AWARENESS = """
    name: Making Tax Digital webinar
    brand: Ledgerly
    personas: [finance-director]
    objectives: [{kind: awareness, target: 5000}]
    max_channels: 1
    message:
      headline: Making Tax Digital, explained in 45 minutes
      starts: 2027-03-01
      ends: 2027-03-18
"""


def awareness(make_workspace: Callable, campaign: str = AWARENESS) -> Path:
    return make_workspace(
        {
            "mcplan.toml": UK_SETTINGS,
            "personas/finance-director.yaml": SMS_PERSONA,
            "campaigns/webinar.yaml": campaign,
            **UK_CHANNELS,
        }
    )


def test_an_awareness_campaign_values_the_people_a_channel_reaches(
    run: Callable, make_workspace: Callable
) -> None:
    # LinkedIn reaches 1,080 finance directors (5,400 followers, 20 % shown the post) for £150,
    # SMS 1,710 for £130. Counted in conversions (1.1 against 17), LinkedIn was worth 0.10 and
    # dropped for SMS; counted in people reached, as the objective counts them, it wins:
    # LinkedIn 1,080 × 0.122 = 131.9, SMS 1,710 × 0.0527 = 90.1 (the README's worked example).
    root = awareness(make_workspace)
    code, campaign = plan_json(run, root, "--explain")
    assert (code, campaign["chosen"]) == (0, ["linkedin"])
    assert campaign["counts"] == "reached"
    values = {c["channel"]: c["value"] for c in campaign["candidates"]}
    assert values == {"linkedin": pytest.approx(131.91, abs=0.01),
                      "sms": pytest.approx(90.13, abs=0.01)}  # fmt: skip
    explained = " ".join(run("plan", "-w", str(root), "--explain").stdout.split())
    assert "value = reached × score" in explained
    assert (
        "value = people reached × score: the campaign's objectives count the people reached"
    ) in explained
    assert "sms: not selected: max_channels is 1, and the chosen channels bring more value " in (
        explained
    )


def test_an_italian_reader_reads_why_a_channel_is_left_out_in_italian(
    run: Callable, make_workspace: Callable
) -> None:
    root = awareness(make_workspace)
    settings = root / "mcplan.toml"
    settings.write_text(settings.read_text().replace('"en-GB"', '"it-IT"'), "utf-8")
    explained = " ".join(run("plan", "-w", str(root), "--explain").stdout.split())
    assert "valore = raggiunti × punteggio" in explained
    assert "sms: non selezionato: max_channels è 1 e i canali scelti valgono più" in explained
    assert "not selected" not in explained
    assert "value =" not in explained


def test_a_sales_campaign_still_values_conversions(run: Callable, make_workspace: Callable) -> None:
    root = awareness(
        make_workspace, AWARENESS.replace("kind: awareness, target: 5000", "kind: sales")
    )
    code, campaign = plan_json(run, root, "--explain")
    assert (code, campaign["chosen"], campaign["counts"]) == (0, ["sms"], "conversions")
    explained = " ".join(run("plan", "-w", str(root), "--explain").stdout.split())
    assert "value = conversions × score: the campaign's objectives count conversions" in explained


def test_awareness_and_sales_together_value_a_mix_by_weight(
    run: Callable, make_workspace: Callable
) -> None:
    both = AWARENESS.replace(
        "[{kind: awareness, target: 5000}]", "[{kind: awareness, weight: 3}, {kind: sales}]"
    )
    code, campaign = plan_json(run, awareness(make_workspace, both), "--explain")
    assert (code, campaign["counts"]) == (0, "mixed")
    # A person reached counts as the candidates' conversions per person reached (18.18 of
    # 2,790); each channel's outcome is 1/4 its conversions and 3/4 its people so counted.
    rate = (1710 * 0.01 + 1080 * 0.001) / (1710 + 1080)
    outcome = {c["channel"]: c["outcome"] for c in campaign["candidates"]}
    assert outcome["sms"] == pytest.approx(0.25 * 17.1 + 0.75 * rate * 1710, abs=1e-3)
    assert outcome["linkedin"] == pytest.approx(0.25 * 1.08 + 0.75 * rate * 1080, abs=1e-3)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    touches=st.lists(
        st.tuples(
            st.sampled_from(["email", "phone", "sms"]),
            st.sampled_from([None, ["finance-director"], ["it-manager"]]),
            st.integers(1, 16),
        ),
        max_size=6,
    ),
    holdout=st.sampled_from([None, 0.1, 0.25]),
    budget=st.integers(0, 12_000),
)
# Three calls to everyone: £23,000 forecast, once priced at one call each (£8,000).
@example([("phone", None, 2), ("phone", None, 9), ("phone", None, 16)], None, 9000)
def test_a_plan_within_its_budget_or_a_finding_says_why_not(
    make_workspace: Callable,
    touches: list[tuple[str, list[str] | None, int]],
    holdout: float | None,
    budget: int,
) -> None:
    written = "".join(
        f"  - {{channel: {c}, at: 2027-03-{d:02d}T11:00"
        + (f", personas: [{', '.join(p)}]" if p else "")
        + "}\n"
        for c, p, d in touches
    )
    campaign = WEBINAR.split("    touches:")[0].replace("budget: 5000", f"budget: {budget}")
    campaign = textwrap.dedent(campaign) + (f"holdout: {holdout}\n" if holdout else "")
    campaign += f"touches:\n{written}" if written else ""
    persona = FINANCE_DIRECTOR.replace("      phone:", "      sms: {reach: 0.4, affinity: 0.5, "
                                       "consent: opt_in}\n      phone:")  # fmt: skip
    root = uk(
        make_workspace,
        **{
            "campaigns/webinar.yaml": campaign,
            "personas/finance-director.yaml": persona,
            "personas/it-manager.yaml": persona.replace("size: 2000", "size: 3000"),
        },
    )
    [result] = plan(load_workspace(root, discover=False))
    blocked = {f.rule for f in result.findings} & {"N101", "N103"}
    assert result.total.cost <= budget + 1e-6 or blocked
    # The forecast of each channel is what the selection paid for it.
    for forecast in result.channels:
        paid = result.candidates.blocks[forecast.channel].price
        assert forecast.funnel.cost == pytest.approx(paid) or result.proposed


def test_the_explain_table_reads_in_the_workspace_locale(
    run: Callable, make_workspace: Callable
) -> None:
    # The factors read 0.50 and 0.288 beside a cost per conversion of 6,84 in the same row.
    root = italian(make_workspace, VIP)
    markdown = run("plan", "-w", str(root), "-f", "markdown", "--explain").stdout
    assert "| clienti-fedeli | sms | 0,50 | 0,80 | 0,90 | 0,80 | 0,50 | 0,288 | 27,36 |" in markdown
    text = " ".join(run("plan", "-w", str(root), "--explain").stdout.split())
    assert (
        "clienti-fedeli sms 0,50 0,80 0,90 (1×vendite 0,9) 0,80 0,50 (6,84 vs 6,84) 0,288" in text
    )
