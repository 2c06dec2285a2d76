"""`mcplan report` on message tests and a holdout: per arm, the lift, the test, the winner."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import scipy.stats as scipy_stats
import statsmodels.stats.proportion as sm_proportion

from conftest import ROOT, WORKSPACES
from mcplan.errors import UsageError
from mcplan.report import report_campaign
from mcplan.workspace import Workspace, load_workspace

EXAMPLE = ROOT / "results" / "fete-des-meres-2027.csv"
GERMAN = WORKSPACES / "experiments" / "clean"
HEADER = "channel,arm,sent,delivered,opened,clicked,converted,contacts\n"


@pytest.fixture(scope="module")
def example() -> Workspace:
    return load_workspace(ROOT, discover=False)


@pytest.fixture(scope="module")
def german() -> Workspace:
    return load_workspace(GERMAN, discover=False)


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str], Path]:
    def make(rows: str) -> Path:
        path = tmp_path / "ergebnisse.csv"
        path.write_text(HEADER + rows, encoding="utf-8")
        return path

    return make


def test_the_example_s_subject_line_has_a_winner_and_its_sms_none(
    run: Callable[..., object],
) -> None:
    result = run("report", "fete-des-meres-2027", "-r", str(EXAMPLE), "-w", str(ROOT), "-f", "json")
    data = json.loads(result.stdout)  # type: ignore[attr-defined]
    subject, sms = data["tests"]
    assert (subject["id"], subject["winner"], subject["denominator"]) == ("objet", "b", "delivered")
    assert [a["arm"] for a in subject["arms"]] == ["a", "b"]
    assert subject["arms"][0]["rate"] == pytest.approx(4870 / 19470)
    _z, p = sm_proportion.proportions_ztest([5452, 4870], [19481, 19470])
    assert subject["p_value"] == pytest.approx(p, rel=1e-5)
    assert subject["lift"] == pytest.approx(5452 / 19481 / (4870 / 19470) - 1, abs=1e-6)
    assert sms["winner"] is None
    assert sms["verdict"] == "no significant difference: keep testing or keep a"
    assert not subject["sample_ratio"]["mismatch"]
    holdout = data["holdout"]
    assert holdout["treated"] == {"contacts": 43200, "converted": 610, "rate": 0.01412037}
    assert holdout["significant"] is False
    low, high = sm_proportion.confint_proportions_2indep(
        610, 43200, 52, 4800, method="log", compare="ratio"
    )
    assert (holdout["lift_low"], holdout["lift_high"]) == pytest.approx(
        (low - 1, high - 1), abs=1e-6
    )
    assert holdout["incremental_conversions"] == pytest.approx(610 - 43200 * 52 / 4800)
    # The channels' rows are their arms added up: the rest of the report is unchanged.
    email = next(c for c in data["channels"] if c["channel"] == "email")
    assert email["actual"]["converted"] == 45
    assert result.exit_code == 0  # type: ignore[attr-defined]


def test_the_text_report_shows_each_arm(run: Callable[..., object]) -> None:
    result = run("report", "fete-des-meres-2027", "-r", str(EXAMPLE), "-w", str(ROOT))
    text = result.stdout.replace("\u202f", " ").replace("\xa0", " ")  # type: ignore[attr-defined]
    # The example is French: so is its report.
    assert "test objet (email objet, ouverture par contact délivré) : b l'emporte" in text
    assert "pas de différence significative : continuer le test ou garder a" in text
    assert "conversions additionnelles +142" in text


def test_three_arms_and_a_winner_against_the_control(
    german: Workspace, write: Callable[[str], Path]
) -> None:
    path = write(
        "email,a,22952,22500,5600,,0,\nemail,b,17214,16870,4300,,0,\n"
        "email,c,17214,16880,4900,,0,\nsms,kurz,17100,16250,,1600,0,\n"
        "sms,lang,17100,16240,,1690,0,\n"
    )
    review = report_campaign(german, "fruehling", path)
    subject, sms = review.tests
    assert subject.winner == "c"  # 29.0 % against 24.9 %
    assert subject.deciding is not None
    assert subject.deciding.arm == "c"
    assert sms.winner is None
    chi2 = scipy_stats.chisquare([22952, 17214, 17214], [57380 * 0.4, 57380 * 0.3, 57380 * 0.3])
    assert subject.split_p == pytest.approx(chi2.pvalue)


def test_a_split_that_is_not_the_planned_one_is_a_mismatch(
    german: Workspace, write: Callable[[str], Path], run: Callable[..., object]
) -> None:
    path = write(
        "email,a,20000,19600,4900,,0,\nemail,b,21000,20580,5100,,0,\nemail,c,15000,14700,3700,,0,\n"
    )
    review = report_campaign(german, "fruehling", path)
    assert review.tests[0].mismatch
    result = run("report", "fruehling", "-r", str(path), "-w", str(GERMAN), "-f", "markdown")
    shown = result.stdout  # type: ignore[attr-defined]
    assert "**Achtung:** Stichprobenverhältnis im Test betreff weicht ab" in shown  # German


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("email,d,100,90,10,,0,\n",
         "row 2: 'd' is not an arm of test 'betreff'; its arms: a, b, c"),
        ("mail,a,100,90,10,,0,\n",
         "row 2: arm 'a' of mail, but campaign 'fruehling' has no test of mail"),
        ("email,a,100,90,10,,0,\n", "row 2: test 'betreff' has arms b, c too, without a row"),
        ("email,a,100,90,,,0,\nemail,b,100,90,,,0,\nemail,c,100,90,,,0,\n",
         "row 2: arm 'a' does not give opened, which test 'betreff' measures (open)"),
        ("email,a,100,90,95,,0,\nemail,b,100,90,9,,0,\nemail,c,100,90,9,,0,\n",
         "row 2: arm 'a': opened (95) must be between 0 and delivered (90)"),
        ("email,a,100,90,9,,0,\nemail,a,100,90,9,,0,\n",
         "row 3: channel 'email' (email) arm 'a' is given twice"),
        ("email,,100,90,9,,0,\nemail,a,100,90,9,,0,\n",
         "row 3: channel 'email' (email) arm 'a' has a row of its own and rows per arm"),
        (",treated,,,,,3,\n", "row 2: the treated group needs a value in column 'contacts'"),
        (",holdout,,,,,3,100\n", "row 2: a holdout row, but no treated row"),
    ],
)  # fmt: skip
def test_a_results_file_that_does_not_fit_the_tests_names_the_row(
    german: Workspace, write: Callable[[str], Path], rows: str, message: str
) -> None:
    path = write(rows)
    with pytest.raises(UsageError) as caught:
        report_campaign(german, "fruehling", path)
    assert str(caught.value).startswith(f"{path}: {message}")


def test_a_results_file_without_arms_reads_as_before(
    german: Workspace, write: Callable[[str], Path]
) -> None:
    review = report_campaign(german, "fruehling", write("email,,57380,56000,14000,,40,\n"))
    assert review.tests == ()
    assert review.holdout is None


def test_an_arm_may_be_called_control(
    make_workspace: Callable[[dict[str, str | bytes]], Path], tmp_path: Path
) -> None:
    files = {
        path.relative_to(GERMAN).as_posix(): path.read_text("utf-8") for path in GERMAN.rglob("*.*")
    }
    files["campaigns/fruehling.yaml"] = files["campaigns/fruehling.yaml"].replace(
        "      kurz:", "      control:"
    )
    workspace = load_workspace(make_workspace(files), discover=False)
    path = tmp_path / "r.csv"
    path.write_text(
        HEADER + "sms,control,1000,950,,90,0,\nsms,lang,1000,950,,130,0,\n", encoding="utf-8"
    )
    [sms] = report_campaign(workspace, "fruehling", path).tests
    assert [a.arm for a in sms.arms] == ["control", "lang"]
    assert sms.winner == "lang"
