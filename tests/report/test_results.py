"""Reading a campaign's results and comparing them with its plan, against figures by hand."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import BUNDLED_CHANNELS, ROOT
from mcplan.errors import UsageError
from mcplan.plan import plan
from mcplan.plan.result import CampaignPlan, ChannelForecast, Funnel, ObjectiveProgress
from mcplan.report.advice import GAP_LIMITS, ROI_LIMITS, Recommendation, percent
from mcplan.report.compare import CampaignReport, compare
from mcplan.report.results import MAX_BYTES, ChannelResult, read_results
from mcplan.workspace import Workspace, load_workspace
from mcplan.workspace.campaign import Objective
from mcplan.workspace.fields import ObjectiveKind

DATA = Path(__file__).parent / "data"
RESULTS = DATA / "soldes-hiver-2027.csv"
# The same figures as an Excel export in French: BOM, ";", CRLF, "Canal", "Coût",
# "1 234,50 €" with non-breaking and narrow non-breaking spaces, channel names, a total row.
RESULTATS = DATA / "resultats-soldes-hiver-2027.csv"
CAMPAIGN = "soldes-hiver-2027"
KNOWN = ", ".join(BUNDLED_CHANNELS)
HEADER = "channel,sent,delivered,opened,clicked,converted,revenue,cost\n"


@pytest.fixture(scope="module")
def workspace() -> Workspace:
    return load_workspace(ROOT, discover=False)


@pytest.fixture(scope="module")
def forecast(workspace: Workspace) -> CampaignPlan:
    return plan(workspace, [CAMPAIGN])[0]


@pytest.fixture(scope="module")
def review(forecast: CampaignPlan, workspace: Workspace) -> CampaignReport:
    return compare(forecast, read_results(RESULTS, workspace), workspace)


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str | bytes], Path]:
    def make(content: str | bytes, name: str = "results.csv") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        return path

    return make


# -- reading ------------------------------------------------------------------------------


def _row(
    channel: str, sent: float, delivered: float, opened: float | None, clicked: float,
    converted: float, revenue: float, cost: float,
) -> ChannelResult:  # fmt: skip
    """A channel's row, its figures in the order of the file's columns."""
    return ChannelResult(
        channel, sent=sent, delivered=delivered, opened=opened, clicked=clicked,
        converted=converted, revenue=revenue, cost=cost,
    )  # fmt: skip


def test_the_example_results_are_read(workspace: Workspace) -> None:
    assert read_results(RESULTS, workspace) == [
        _row("sms", 33500, 31800, None, 2950, 300, 25500, 1560),
        _row("email", 46900, 45200, 12400, 1310, 62, 5580, 395),
        _row("instagram", 26000, 5100, 2900, 41, 1, 79, 300),
        _row("facebook", 12000, 9800, 4100, 220, 30, 2400, 150),
    ]


def test_a_french_excel_export_reads_the_same(workspace: Workspace) -> None:
    data = RESULTATS.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b";" in data
    assert b"\r\n" in data
    assert "\u202f".encode() in data
    assert read_results(RESULTATS, workspace) == read_results(RESULTS, workspace)


def test_german_and_dutch_exports_read_the_same(
    write: Callable[..., Path], workspace: Workspace
) -> None:
    german = write(
        "Kanal;Gesendet;Zugestellt;Geöffnet;Geklickt;Konversionen;Umsatz;Kosten\n"
        "SMS;33500;31800;;2950;300;25.500,00 €;1.560,00 €\n"
        "E-Mail;46900;45200;12400;1310;62;5.580,00 €;395,00 €\n"
        "Instagram;26000;5100;2900;41;1;79,00 €;300,00 €\n"
        "Facebook;12000;9800;4100;220;30;2.400,00 €;150,00 €\n"
        "Gesamt;;;;;393;;\n",
        "ergebnisse.csv",
    )
    dutch = write(
        "Kanaal,Verzonden,Afgeleverd,Geopend,Geklikt,Conversies,Omzet,Kosten\n"
        "sms,33500,31800,,2950,300,25500,1560\n"
        "email,46900,45200,12400,1310,62,5580,395\n"
        "instagram,26000,5100,2900,41,1,79,300\n"
        "facebook,12000,9800,4100,220,30,2400,150\n"
        "Totaal,,,,,393,,\n",
        "resultaten.csv",
    )
    assert read_results(german, workspace) == read_results(RESULTS, workspace)
    assert read_results(dutch, workspace) == read_results(RESULTS, workspace)


def test_other_headers_and_channel_names_are_given_by_the_user(
    write: Callable[..., Path], workspace: Workspace
) -> None:
    path = write("Medium;Ventes;converted\nNewsletter;12;0\nSMS;3;0\n")
    rows = read_results(
        path,
        workspace,
        columns={"channel": "medium", "converted": "Ventes"},  # a named column wins
        aliases={"newsletter": "E-mail"},  # to an id or a channel name, in any case
    )
    assert rows == [ChannelResult("email", converted=12), ChannelResult("sms", converted=3)]


def test_a_header_named_twice_is_read_at_its_first(
    write: Callable[..., Path], workspace: Workspace
) -> None:
    """As a touch log's (`mcplan.tabular.resolve`): ``--column converted=Ventes`` reads the
    first ``Ventes`` column of two (the last one, before the one resolver)."""
    path = write("Medium;Ventes;Ventes\nsms;12;7\n")
    given = {"channel": "Medium", "converted": "Ventes"}
    [sms] = read_results(path, workspace, columns=given)
    assert sms.converted == 12


def test_wrong_columns_or_aliases_given(write: Callable[..., Path], workspace: Workspace) -> None:
    path = write("Medium;Ventes\nNewsletter;12\n")

    def refused(**given: dict[str, str]) -> str:
        with pytest.raises(UsageError) as caught:
            read_results(path, workspace, **given)
        return str(caught.value)

    assert refused(columns={"convertd": "Ventes"}) == (
        "--column convertd=Ventes: unknown column 'convertd' (did you mean 'converted'?); "
        "the columns are: channel, sent, delivered, opened, clicked, converted, revenue, cost, "
        "arm, contacts, date"
    )
    assert refused(columns={"channel": "Medium", "converted": "Sales"}) == (
        f"{path}: row 1: no column 'Sales' for converted (found: 'Medium', 'Ventes')"
    )
    assert refused(aliases={"Newsletter": "emial"}) == (
        "--alias Newsletter=emial: unknown channel 'emial' (did you mean 'email'?); "
        f"known channels: {KNOWN}"
    )


def test_tabs_only_the_required_columns_and_extra_columns(
    write: Callable[..., Path], workspace: Workspace
) -> None:
    path = write("Campagne\tCONVERSIONS\t Canal \tNotes\nsoldes\t12\tSMS\tbien\n")
    assert read_results(path, workspace) == [ChannelResult("sms", converted=12)]


def test_channels_by_id_name_or_utm_source_in_any_case(
    write: Callable[..., Path], workspace: Workspace
) -> None:
    path = write(
        "channel,converted\n"
        "e-mail,1\n"  # the name "E-mail"
        "INSTAGRAM,2\n"
        " Courrier adressé ,3\n"  # mail
        "web_push,4\n"  # an id: also what the links carry as utm_source
        "x (twitter),5\n"
    )
    assert [(r.channel, r.converted) for r in read_results(path, workspace)] == [
        ("email", 1), ("instagram", 2), ("mail", 3), ("web_push", 4), ("x", 5),
    ]  # fmt: skip


def test_blank_rows_and_a_total_row_are_skipped_and_empty_cells_are_unknown(
    write: Callable[..., Path], workspace: Workspace
) -> None:
    path = write(
        HEADER + "\nsms,,,,,7,,\n,,,,,,,\nTotal,,,,,7,,\nTotal général,,,,,7,,\nSumme,,,,,7,,\n"
    )
    assert read_results(path, workspace) == [ChannelResult("sms", converted=7)]


def test_money_may_carry_the_workspace_currency(
    write: Callable[..., Path], workspace: Workspace
) -> None:
    path = write('channel;converted;revenue;cost\nsms;3;"EUR 1.234,50";12 €\n')
    assert read_results(path, workspace) == [
        ChannelResult("sms", converted=3, revenue=1234.5, cost=12)
    ]


def test_quoted_cells_keep_their_delimiters(
    write: Callable[..., Path], workspace: Workspace
) -> None:
    path = write('channel,converted,revenue\n"sms","1,234,567","1,234.50"\n')
    assert read_results(path, workspace) == [
        ChannelResult("sms", converted=1234567, revenue=1234.5)
    ]


# -- bad input: every message names the file and the row (the header is row 1) -------------


def error(path: Path, workspace: Workspace) -> str:
    with pytest.raises(UsageError) as caught:
        read_results(path, workspace)
    return str(caught.value)


def test_file_not_found(tmp_path: Path, workspace: Workspace) -> None:
    path = tmp_path / "nope.csv"
    assert error(path, workspace) == f"{path}: no such file"


def test_a_folder_is_not_a_results_file(tmp_path: Path, workspace: Workspace) -> None:
    assert error(tmp_path, workspace) == f"{tmp_path}: is a folder, not a file"


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b" \r\n\n"])
def test_empty_file(write: Callable[..., Path], workspace: Workspace, content: bytes) -> None:
    path = write(content)
    assert error(path, workspace) == (
        f"{path}: the file is empty; it needs a header row and one row per channel"
    )


@pytest.mark.parametrize("content", [HEADER, HEADER + ",,,,,,,\n", HEADER + "total,,,,,3,,\n"])
def test_no_data_rows(write: Callable[..., Path], workspace: Workspace, content: str) -> None:
    path = write(content)
    assert error(path, workspace) == (
        f"{path}: no data rows under the header; give one row per channel"
    )


def test_a_file_over_50_mb_is_refused(write: Callable[..., Path], workspace: Workspace) -> None:
    path = write(HEADER)
    with path.open("r+b") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: nothing is written
    assert error(path, workspace) == (
        f"{path}: the file is 52,428,801 bytes; files over 52,428,800 bytes are refused"
    )


def test_not_utf8(write: Callable[..., Path], workspace: Workspace) -> None:
    path = write("canal;convertis;coût\nsms;3;12\ne-mail;4;5\n".encode("cp1252"))
    assert error(path, workspace) == (
        f"{path}: row 1: not UTF-8 text (byte 0xfb); save it as CSV UTF-8"
    )
    path = write("canal;convertis\nsms;3\nCourrier adressé;4\n".encode("latin-1"))
    assert error(path, workspace) == (
        f"{path}: row 3: not UTF-8 text (byte 0xe9); save it as CSV UTF-8"
    )


def test_missing_required_column(write: Callable[..., Path], workspace: Workspace) -> None:
    path = write("Canal;Envoyés;Taux d'ouverture\nsms;100;12 %\n")
    assert error(path, workspace) == (
        f"{path}: row 1: missing required column 'converted' "
        "(found: 'Canal', 'Envoyés', 'Taux d'ouverture')"
    )
    path = write("\n\nname,ventes\nsms,3\n")  # blank lines before the header are rows too
    assert error(path, workspace) == (
        f"{path}: row 3: missing required columns 'channel' and 'converted' "
        "(found: 'name', 'ventes')"
    )


def test_a_column_given_twice(write: Callable[..., Path], workspace: Workspace) -> None:
    path = write("channel,converted,Conversions\nsms,3,3\n")
    assert error(path, workspace) == (
        f"{path}: row 1: columns 'converted' and 'Conversions' both give 'converted'"
    )


@pytest.mark.parametrize(
    ("cell", "why"),
    [
        ("12 %", "give counts, not percentages"),
        ("trois", "not a number"),
        ("-4", "it must not be negative"),
        (
            "1,234",
            "ambiguous: 1234 or 1.234? No other number in the file shows which: write 1 234 for "
            "the first or 1.2340 for the second, or give the file's decimal mark (--decimal . or "
            "--decimal ,)",
        ),
    ],
)
def test_unparsable_number(
    write: Callable[..., Path], workspace: Workspace, cell: str, why: str
) -> None:
    path = write(f'Canal;Envoyés;Convertis\nsms;100;3\nemail;200;"{cell}"\n')
    assert error(path, workspace) == (
        f"{path}: row 3: column 'Convertis': cannot read '{cell}' as a number ({why})"
    )


def test_conversions_are_required_on_every_row(
    write: Callable[..., Path], workspace: Workspace
) -> None:
    path = write("canal;envois;convertis\nsms;100;3\nemail;200;\n")
    assert error(path, workspace) == (
        f"{path}: row 3: no value in column 'convertis' (the conversions are required; "
        "write 0 for none)"
    )


def test_a_row_without_a_channel(write: Callable[..., Path], workspace: Workspace) -> None:
    path = write("Canal,converted\nsms,3\n  ,4\n")
    assert error(path, workspace) == f"{path}: row 3: no channel in column 'Canal'"


def test_unknown_channel_suggests_the_nearest(
    write: Callable[..., Path], workspace: Workspace
) -> None:
    path = write("channel,converted\nsms,3\nemial,4\n")
    assert error(path, workspace) == (
        f"{path}: row 3: unknown channel 'emial' (did you mean 'email'?); known channels: {KNOWN}"
    )
    path = write("channel,converted\nnewsletter,4\n")
    assert error(path, workspace) == (
        f"{path}: row 2: unknown channel 'newsletter'; known channels: {KNOWN}"
    )


def test_a_channel_given_twice(write: Callable[..., Path], workspace: Workspace) -> None:
    path = write("channel,converted\nemail,3\nsms,1\nE-mail,4\n")
    assert error(path, workspace) == (
        f"{path}: row 4: channel 'E-mail' (email) is given twice (first on row 2)"
    )


def test_broken_csv(write: Callable[..., Path], workspace: Workspace) -> None:
    path = write('channel,converted\nsms,3\n"email,4\ninstagram,5\n')
    assert error(path, workspace) == f"{path}: row 3: not valid CSV: unexpected end of data"


# -- objectives -----------------------------------------------------------------------------


def test_the_forecast_these_expectations_rest_on(forecast: CampaignPlan) -> None:
    funnels = {c.channel: c.funnel for c in forecast.channels}
    assert list(funnels) == ["email", "instagram", "sms"]
    assert funnels["sms"].conversions == pytest.approx(319.2)
    assert funnels["email"].conversions == pytest.approx(45.9424)
    assert funnels["instagram"].conversions == pytest.approx(2.64)
    assert forecast.total.conversions == pytest.approx(367.7824)
    assert forecast.total.cost == pytest.approx(2255.76)


def test_objectives_are_measured_like_the_forecast(review: CampaignReport) -> None:
    sales, loyalty = review.objectives
    # Sales: the revenue of every row, 25 500 + 5 580 + 79 + 2 400.
    assert (sales.kind, sales.unit, sales.target) == ("sales", "revenue", 150000)
    assert sales.forecast == pytest.approx(367.7824 * 85)  # conversions × average_order_value
    assert sales.actual == 33559
    assert sales.attainment == pytest.approx(33559 / 150000)  # 22.4 %
    assert sales.vs_forecast == pytest.approx(33559 / 31261.504)  # 107.3 %
    # Loyalty: the conversions, 300 + 62 + 1 + 30; no target.
    assert (loyalty.kind, loyalty.unit, loyalty.actual) == ("loyalty", "conversions", 393)
    assert loyalty.attainment is None
    assert loyalty.vs_forecast == pytest.approx(393 / 367.7824)  # 106.9 %


def with_objectives(forecast: CampaignPlan, *objectives: Objective) -> CampaignPlan:
    campaign = forecast.campaign.model_copy(update={"objectives": list(objectives)})
    return CampaignPlan(
        campaign,
        chosen=forecast.chosen,
        channels=forecast.channels,
        total=forecast.total,
        objectives=[
            ObjectiveProgress(o.kind.value, o.channel, o.target, 1000.0, "x") for o in objectives
        ],
    )


def test_sales_without_a_revenue_count_conversions_times_the_average_order(
    forecast: CampaignPlan, workspace: Workspace
) -> None:
    reworked = with_objectives(forecast, Objective(kind=ObjectiveKind.SALES, target=1000))
    rows = [ChannelResult("sms", converted=10, revenue=500), ChannelResult("email", converted=2)]
    [sales] = compare(reworked, rows, workspace).objectives
    assert sales.actual == 500 + 2 * 85
    assert sales.attainment == pytest.approx(0.67)
    assert sales.vs_forecast == pytest.approx(0.67)
    # Without an average order value, a row without revenue is left out, and named.
    no_aov = with_objectives(forecast, Objective(kind=ObjectiveKind.SALES, target=1000))
    no_aov.campaign = no_aov.campaign.model_copy(update={"average_order_value": None})
    [sales] = compare(no_aov, rows, workspace).objectives
    assert (sales.actual, sales.attainment, sales.missing) == (500, 0.5, ("email",))
    assert sales.note == "sales: without email, whose results do not give the revenue"
    [nothing] = compare(no_aov, rows[1:], workspace).objectives
    assert (nothing.actual, nothing.attainment, nothing.missing, nothing.note) == (
        None, None, (), "",
    )  # fmt: skip


def test_awareness_loyalty_per_channel_and_unmeasured_kinds(
    forecast: CampaignPlan, workspace: Workspace
) -> None:
    reworked = with_objectives(
        forecast,
        Objective(kind=ObjectiveKind.AWARENESS, target=5000),
        Objective(kind=ObjectiveKind.LOYALTY, target=8, channel="sms"),
        Objective(kind=ObjectiveKind.LOYALTY, channel="mail"),
        Objective(kind=ObjectiveKind.SATISFACTION, target=4),
    )
    rows = [
        ChannelResult("sms", sent=3000, delivered=2900, converted=10),
        ChannelResult("email", sent=1100, converted=2),  # delivered not given: sent counts
    ]
    awareness, sms, mail, satisfaction = compare(reworked, rows, workspace).objectives
    assert (awareness.unit, awareness.actual) == ("contacts reached", 2900 + 1100)
    assert awareness.attainment == pytest.approx(0.8)
    rows.append(ChannelResult("instagram", converted=1))  # neither sent nor delivered
    awareness = compare(reworked, rows, workspace).objectives[0]
    assert (awareness.actual, awareness.missing) == (4000, ("instagram",))
    assert awareness.note == (
        "awareness: without instagram, whose results do not give sent or delivered"
    )
    assert (sms.channel, sms.actual, sms.attainment) == ("sms", 10, 1.25)
    assert (mail.channel, mail.actual) == ("mail", None)  # no results for that channel
    assert (satisfaction.unit, satisfaction.actual, satisfaction.attainment) == (
        "not measured", None, None,
    )  # fmt: skip


# -- channels and recommendations -----------------------------------------------------------


def test_channels_by_id_planned_or_not(review: CampaignReport) -> None:
    assert [(c.channel, c.planned) for c in review.channels] == [
        ("email", True), ("facebook", False), ("instagram", True), ("sms", True),
    ]  # fmt: skip


def test_the_campaign_cost_per_conversion(review: CampaignReport) -> None:
    # 1 560 + 395 + 300 + 150 = 2 405 for 300 + 62 + 1 + 30 = 393 conversions.
    assert review.cost_per_conversion == pytest.approx(2405 / 393)  # 6.12


def test_keep_sms_a_little_under_its_forecast(review: CampaignReport) -> None:
    sms = review.channel("sms")
    assert sms.gap == pytest.approx(300 - 319.2)
    assert sms.gap_ratio == pytest.approx(-19.2 / 319.2)  # -6 %: not 10 % over
    assert sms.cost_per_conversion == pytest.approx(5.2)  # 1 560 / 300
    assert sms.roi == pytest.approx((25500 - 1560) / 1560)
    assert sms.recommendation is Recommendation.KEEP
    assert sms.reason == (
        "-6% against its forecast (300 conversions for 319 forecast), 5.20 EUR per "
        "conversion (campaign: 6.12 EUR), ROI 1,535%"
    )


def test_widen_email_over_its_forecast_with_an_roi_over_1(review: CampaignReport) -> None:
    email = review.channel("email")
    assert email.gap == pytest.approx(62 - 45.9424)
    assert email.gap_ratio == pytest.approx(16.0576 / 45.9424)  # +35 %
    # 395 / 62 = 6.37 per conversion is over 0.8 × 6.12 = 4.90, but the ROI is 13.1.
    assert email.cost_per_conversion == pytest.approx(395 / 62)
    assert email.roi == pytest.approx((5580 - 395) / 395)
    assert email.recommendation is Recommendation.WIDEN
    assert email.reason == (
        "+35% against its forecast (62 conversions for 46 forecast), with an ROI of 1,313% "
        "(100% or more)"
    )


def test_drop_instagram_whose_revenue_does_not_cover_its_cost(review: CampaignReport) -> None:
    instagram = review.channel("instagram")
    assert instagram.roi == pytest.approx((79 - 300) / 300)  # -74 %
    assert instagram.recommendation is Recommendation.DROP
    assert instagram.reason == (
        "its revenue (79.00 EUR) does not cover its cost (300.00 EUR): ROI -74%"
    )


def test_try_facebook_which_the_plan_did_not_choose(review: CampaignReport) -> None:
    facebook = review.channel("facebook")
    assert (facebook.forecast, facebook.gap, facebook.gap_ratio) == (None, None, None)
    assert facebook.cost_per_conversion == pytest.approx(5.0)  # under 1.5 × 6.12
    assert facebook.recommendation is Recommendation.TRY
    assert facebook.reason == "not in the plan; 30 conversions at 5.00 EUR each"


def test_totals(review: CampaignReport) -> None:
    total = review.total
    assert total.actual == _row("total", 118400, 91900, 19400, 4521, 393, 33559, 2405)
    assert total.forecast is not None
    assert total.gap == pytest.approx(393 - 367.7824)
    assert total.cost_per_conversion == review.cost_per_conversion
    assert total.roi == pytest.approx((33559 - 2405) / 2405)
    assert (total.recommendation, total.reason) == (None, "")


# Round figures for the limits of each rule: a plan of two channels forecast at 100
# conversions each; the campaign's cost per conversion comes out at exactly 1.00.


def two_channels(workspace: Workspace, forecast: CampaignPlan) -> CampaignPlan:
    funnel = Funnel(sends=1000, reached=1000, conversions=100, cost=100)
    return CampaignPlan(
        forecast.campaign,
        chosen=("email", "sms"),
        channels=[
            ChannelForecast("email", ("marie-citadine",), funnel, 1.0),
            ChannelForecast("sms", ("marie-citadine",), funnel, 1.0),
        ],
        total=funnel + funnel,
    )


def judged(
    workspace: Workspace, forecast: CampaignPlan, *rows: ChannelResult
) -> dict[str, tuple[Recommendation | None, str]]:
    review = compare(two_channels(workspace, forecast), rows, workspace)
    return {c.channel: (c.recommendation, c.reason) for c in review.channels}


def test_widen_at_exactly_10_percent_over_and_0_8_times_the_cost(
    workspace: Workspace, forecast: CampaignPlan
) -> None:
    # email 110 conversions for 88 (0.80 each); sms 90 for 112: 200 for 200 in all.
    verdicts = judged(
        workspace,
        forecast,
        ChannelResult("email", converted=110, cost=88),
        ChannelResult("sms", converted=90, cost=112),
    )
    assert verdicts["email"] == (
        Recommendation.WIDEN,
        "+10% against its forecast (110 conversions for 100 forecast), at 0.80 EUR per "
        "conversion, at most 0.8× the campaign's 1.00 EUR",
    )
    assert verdicts["sms"] == (
        Recommendation.KEEP,
        "-10% against its forecast (90 conversions for 100 forecast), 1.24 EUR per "
        "conversion (campaign: 1.00 EUR)",
    )


def test_keep_just_under_10_percent_over_or_over_the_cost(
    workspace: Workspace, forecast: CampaignPlan
) -> None:
    verdicts = judged(
        workspace,
        forecast,
        ChannelResult("email", converted=109, cost=87.2),  # 0.80 each, but +9 %
        ChannelResult("sms", converted=120, cost=120),  # +20 %, but 1.05 each: over 0.8×
    )
    # The campaign: 207.20 for 229 conversions, 0.90 each; 0.8 × 0.90 = 0.72.
    assert verdicts["email"] == (
        Recommendation.KEEP,
        "+9% against its forecast (109 conversions for 100 forecast), 0.80 EUR per "
        "conversion (campaign: 0.90 EUR)",
    )
    assert verdicts["sms"] == (
        Recommendation.KEEP,
        "+20% against its forecast (120 conversions for 100 forecast), but 1.00 EUR per "
        "conversion is over 0.8× the campaign's 0.90 EUR",
    )


def test_drop_over_1_5_times_the_campaign_cost_per_conversion(
    workspace: Workspace, forecast: CampaignPlan
) -> None:
    # 150 / 100 is exactly 1.5 × (150 + 50) / 200: kept; 152 / 100 is over 1.5 × 1.01.
    at_limit = judged(
        workspace,
        forecast,
        ChannelResult("email", converted=100, cost=50),
        ChannelResult("sms", converted=100, cost=150),
    )
    assert at_limit["sms"][0] is Recommendation.KEEP
    over = judged(
        workspace,
        forecast,
        ChannelResult("email", converted=100, cost=50),
        ChannelResult("sms", converted=100, cost=152),
    )
    assert over["sms"] == (
        Recommendation.DROP,
        "1.52 EUR per conversion, over 1.5× the campaign's 1.01 EUR",
    )


def test_drop_what_converted_nothing_whatever_it_cost(
    workspace: Workspace, forecast: CampaignPlan
) -> None:
    verdicts = judged(
        workspace,
        forecast,
        ChannelResult("email", converted=0, cost=40),
        ChannelResult("sms", sent=5000, converted=0, cost=0),  # nothing, for nothing
        ChannelResult("linkedin", sent=800, converted=0),  # not in the plan: never "try"
    )
    assert verdicts == {
        "email": (Recommendation.DROP, "converted nothing for 40.00 EUR"),
        "sms": (Recommendation.DROP, "converted nothing"),
        "linkedin": (Recommendation.DROP, "not in the plan; converted nothing"),
    }


def test_what_converted_nothing_but_reached_people_serves_an_awareness_objective(
    workspace: Workspace, forecast: CampaignPlan
) -> None:
    awareness = forecast.campaign.model_copy(
        update={"objectives": [Objective(kind=ObjectiveKind.AWARENESS, target=10000)]}
    )
    planned = dataclasses.replace(two_channels(workspace, forecast), campaign=awareness)
    rows = (
        ChannelResult("email", sent=5000, delivered=4800, converted=0, cost=40),
        ChannelResult("sms", converted=0, cost=10),  # reached nobody the file tells of
        ChannelResult("linkedin", sent=800, converted=0),
    )
    review = compare(planned, rows, workspace)
    assert {c.channel: (c.recommendation, c.reason) for c in review.channels} == {
        "email": (
            Recommendation.KEEP,
            "converted nothing, but reached 4,800 people for the awareness objective",
        ),
        "sms": (Recommendation.DROP, "converted nothing for 10.00 EUR"),
        "linkedin": (
            Recommendation.TRY,
            "not in the plan; converted nothing, but reached 800 people for the awareness "
            "objective",
        ),
    }


def test_a_profitable_channel_is_not_dropped_for_its_cost_per_conversion(
    workspace: Workspace, forecast: CampaignPlan
) -> None:
    # The campaign: 50 + 300 + 300 = 650 for 100 + 100 + 10 = 210 conversions, 3.10 each.
    # sms at 3.00 and phone at 30.00 are over 1.5 × that, but earn 3 × what they cost.
    verdicts = judged(
        workspace,
        forecast,
        ChannelResult("email", converted=100, cost=50),
        ChannelResult("sms", converted=100, revenue=900, cost=300),
        ChannelResult("phone", converted=10, revenue=900, cost=300),
    )
    assert verdicts["sms"] == (
        Recommendation.KEEP,
        "0% against its forecast (100 conversions for 100 forecast), 3.00 EUR per "
        "conversion (campaign: 3.10 EUR), ROI 200%",
    )
    assert verdicts["phone"] == (
        Recommendation.TRY,
        "not in the plan; 10 conversions at 30.00 EUR each",
    )
    beaten = judged(
        workspace,
        forecast,
        ChannelResult("email", converted=100, cost=50),
        ChannelResult("sms", converted=20, cost=300),
    )
    assert beaten["sms"] == (  # without a revenue, its cost per conversion decides
        Recommendation.DROP,
        "15.00 EUR per conversion, over 1.5× the campaign's 2.92 EUR",
    )


def test_extra_channels_are_tried_or_dropped_and_missing_ones_have_no_results(
    workspace: Workspace, forecast: CampaignPlan
) -> None:
    verdicts = judged(
        workspace,
        forecast,
        ChannelResult("email", converted=100, cost=100),
        ChannelResult("tiktok", converted=5, revenue=20, cost=50),
        ChannelResult("facebook", converted=8),
    )
    assert list(verdicts) == ["email", "facebook", "sms", "tiktok"]
    assert verdicts["sms"] == (None, "no results")
    assert verdicts["tiktok"] == (
        Recommendation.DROP,
        "not in the plan; its revenue (20.00 EUR) does not cover its cost (50.00 EUR): ROI -60%",
    )
    assert verdicts["facebook"] == (
        Recommendation.TRY,
        "not in the plan; 8 conversions, cost not given",
    )


def test_a_channel_twice_in_the_results_is_refused(
    workspace: Workspace, forecast: CampaignPlan
) -> None:
    rows = [ChannelResult("sms", converted=1), ChannelResult("sms", converted=2)]
    with pytest.raises(UsageError, match="channel 'sms' is given twice in the results"):
        compare(forecast, rows, workspace)


def test_one_conversion_is_singular(workspace: Workspace, forecast: CampaignPlan) -> None:
    verdicts = judged(
        workspace,
        forecast,
        ChannelResult("email", converted=1),
        ChannelResult("tiktok", converted=1),
    )
    assert verdicts["email"] == (
        Recommendation.KEEP,
        "-99% against its forecast (1 conversion for 100 forecast), cost not given",
    )
    assert verdicts["tiktok"] == (
        Recommendation.TRY,
        "not in the plan; 1 conversion, cost not given",
    )


@pytest.mark.parametrize(
    ("ratio", "signed", "limits", "shown"),
    [
        (0.0965, True, GAP_LIMITS, "+9.7%"),  # not the +10 % that widens
        (0.1, True, GAP_LIMITS, "+10%"),
        (0.3495, True, GAP_LIMITS, "+35%"),  # far from a limit: whole percents
        (-0.0602, True, GAP_LIMITS, "-6%"),
        (-0.004, False, ROI_LIMITS, "-0.4%"),  # not the 0 % that covers the cost
        (0.996, False, ROI_LIMITS, "99.6%"),  # not the 100 % that widens
        (13.1367, False, ROI_LIMITS, "1,314%"),
        (0.0, True, GAP_LIMITS, "0%"),
    ],
)
def test_percents_never_round_across_a_limit(
    ratio: float, signed: bool, limits: tuple[float, ...], shown: str
) -> None:
    assert percent(ratio, signed, limits) == shown


def test_just_under_10_percent_is_kept_and_says_so(
    workspace: Workspace, forecast: CampaignPlan
) -> None:
    verdicts = judged(
        workspace,
        forecast,
        ChannelResult("email", converted=109.65, cost=50),
        ChannelResult("sms", converted=100, cost=100),
    )
    assert verdicts["email"][0] is Recommendation.KEEP
    assert verdicts["email"][1].startswith("+9.7% against its forecast")


def test_a_small_forecast_reads_as_the_table_shows_it(
    workspace: Workspace, forecast: CampaignPlan
) -> None:
    # A forecast of 0.1 conversion read "1 conversion for 0 forecast" beside a table saying 0.1.
    small = Funnel(sends=10, reached=10, conversions=0.1, cost=1)
    plan = dataclasses.replace(
        two_channels(workspace, forecast),
        chosen=("email",),
        channels=[ChannelForecast("email", ("marie-citadine",), small, 1.0)],
        total=small,
    )
    review = compare(plan, [ChannelResult("email", converted=1, cost=1)], workspace)
    [email] = review.channels
    assert email.reason.startswith("+900% against its forecast (1 conversion for 0.1 forecast)")
