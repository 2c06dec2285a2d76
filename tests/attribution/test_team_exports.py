"""Exports as Italian and Spanish teams have them, read by `mcplan report` and `attribute`:
headers and rows of totals in their language (``Canale``, ``Convertiti``, ``Totale``), times
as their tools write them (``02/07/2027 15:00``, with ``--date-format``), and
ChannelAttribution's own ``Data.csv`` (``;``, ``3.195`` beside ``30.7346153846154``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mcplan.errors import UsageError

ITALIAN = {
    "mcplan.toml": """
        brand = "Bottega Rossi"
        locale = "it-IT"
        timezone = "Europe/Rome"
        currency = "EUR"
    """,
    "personas/milano.yaml": """
        market: b2c
        size: 4000
        stage: loyalty
        country: IT
        channels:
          email: {reach: 0.9, affinity: 0.5, consent: opt_in}
          sms: {reach: 0.7, affinity: 0.8, consent: opt_in}
    """,
    "campaigns/saldi-estivi-2027.yaml": """
        personas: [milano]
        message:
          headline: Saldi estivi
          starts: 2027-07-01
          ends: 2027-07-31
        touches:
          - {channel: email, at: 2027-07-02T10:00}
          - {channel: sms, at: 2027-07-09T11:00}
    """,
}
SPANISH = {
    **ITALIAN,
    "mcplan.toml": """
        brand = "Tienda Sol"
        locale = "es-ES"
        timezone = "Europe/Madrid"
        currency = "EUR"
    """,
    "personas/milano.yaml": ITALIAN["personas/milano.yaml"].replace("IT", "ES"),
}


@pytest.fixture(params=["duckdb", "memory"])
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def report(run: Callable[..., Any], root: Path, results: Path, *more: str) -> Any:
    args = ["report", "saldi-estivi-2027", "--results", str(results), "-w", str(root)]
    return run(*args, *more)


def actual(result: Any) -> dict[str, dict[str, float]]:
    assert result.exit_code == 0, result.stderr
    channels = json.loads(result.stdout)["channels"]
    return {c["channel"]: c["actual"] for c in channels if c["actual"]}


# -- report -------------------------------------------------------------------------------


def test_an_italian_results_export_with_its_row_of_totals(
    run: Callable[..., Any], make_workspace: Callable[..., Path]
) -> None:
    root = make_workspace(ITALIAN)
    results = root / "risultati.csv"
    results.write_text(
        "Canale;Inviati;Consegnati;Aperti;Cliccati;Convertiti;Ricavi;Spesa\n"
        "email;12.400;12.100;4.350;610;45;2.295,50 €;120,00 €\n"
        "SMS;3.200;3.150;;180;38;1.938,00 €;256,00 €\n"
        "Totale;15.600;15.250;4.350;790;83;4.233,50 €;376,00 €\n",
        encoding="utf-8",
    )
    read = actual(report(run, root, results, "-f", "json"))
    assert {c: (a["sent"], a["converted"], a["revenue"], a["cost"]) for c, a in read.items()} == {
        "email": (12400, 45, 2295.5, 120),
        "sms": (3200, 38, 1938, 256),
    }


def test_a_spanish_results_export_with_its_row_of_totals(
    run: Callable[..., Any], make_workspace: Callable[..., Path]
) -> None:
    root = make_workspace(SPANISH)
    results = root / "resultados.csv"
    results.write_text(
        "Canal;Enviados;Entregados;Abiertos;Clics;Convertidos;Ingresos;Coste\n"
        "email;8.000;7.900;2.100;;30;1.530,00;95,00\n"
        "sms;2.500;2.480;;120;25;1.275,00;160,00\n"
        "Totales;10.500;10.380;2.100;120;55;2.805,00;255,00\n",
        encoding="utf-8",
    )
    read = actual(report(run, root, results, "-f", "json"))
    assert {c: (a["sent"], a["converted"], a["cost"]) for c, a in read.items()} == {
        "email": (8000, 30, 95),
        "sms": (2500, 25, 160),
    }


def test_an_italian_export_that_does_not_say_its_decimal_mark(
    run: Callable[..., Any], make_workspace: Callable[..., Path]
) -> None:
    """``1.200`` alone is 1200 or 1.2: refused at its row, then read as --decimal says."""
    root = make_workspace(ITALIAN)
    results = root / "risultati.csv"
    results.write_text("Canale;Inviati;Convertiti\nemail;1.200;45\nsms;800;12\n", "utf-8")
    refused = report(run, root, results)
    assert refused.exit_code == 2
    assert f"{results}: row 2: column 'Inviati': cannot read '1.200' as a number" in (
        refused.stderr
    )
    assert "--decimal" in refused.stderr
    read = actual(report(run, root, results, "--decimal", ",", "-f", "json"))
    assert read["email"]["sent"] == 1200
    wrong = report(run, root, results, "--decimal", ";")
    assert wrong.exit_code == 2
    assert "--decimal: ';' is not . or ," in wrong.stderr


def test_an_italian_export_with_a_row_per_channel_and_day(
    run: Callable[..., Any], make_workspace: Callable[..., Path]
) -> None:
    """``Data`` (02/07/2027 is 2 July, with --date-format): a channel's days are added up; the
    row of totals has its label in the first column."""
    root = make_workspace(ITALIAN)
    results = root / "giornaliero.csv"
    results.write_text(
        "Data;Canale;Inviati;Convertiti;Ricavi\n"
        "01/07/2027;email;6.200;20;1.020,00\n"
        "02/07/2027;email;6.200;25;1.275,50\n"
        "02/07/2027;sms;3.200;38;1.938,00\n"
        "Totale;;15.600;83;4.233,50\n",
        encoding="utf-8",
    )
    read = actual(report(run, root, results, "--date-format", "%d/%m/%Y", "-f", "json"))
    assert {c: (a["sent"], a["converted"], a["revenue"]) for c, a in read.items()} == {
        "email": (12400, 45, 2295.5),
        "sms": (3200, 38, 1938),
    }
    unsaid = report(run, root, results)
    assert unsaid.exit_code == 2
    assert (
        f"{results}: row 2: column 'Data': '01/07/2027' is not a date from 1970 to 2199 (write "
        "2027-07-02, or say how the file writes it with --date-format, such as %d/%m/%Y); a "
        "channel on several rows needs one on each"
    ) in unsaid.stderr
    once = root / "una-volta.csv"  # a row per channel: its send date is not needed
    once.write_text("Data;Canale;Convertiti\nluglio 2027;email;20\n2 luglio;sms;3\n", "utf-8")
    assert actual(report(run, root, once, "-f", "json"))["sms"]["converted"] == 3
    twice = root / "due-volte.csv"
    twice.write_text(
        "Data;Canale;Convertiti\n02/07/2027;email;20\n01/07/2027;sms;3\n02/07/2027;Email;25\n",
        encoding="utf-8",
    )
    refused = report(run, root, twice, "--date-format", "%d/%m/%Y")
    assert refused.exit_code == 2
    assert (
        f"{twice}: row 4: channel 'Email' (email) is given twice on 2027-07-02 (first on row 2)"
    ) in refused.stderr


# -- attribute ----------------------------------------------------------------------------

TOCCHI = (
    "ID cliente;Data;Canale;Evento;Valore\n"
    "c1;30/06/2027 09:00;email;tocco;\n"
    "c1;02/07/2027 15:00;sms;tocco;\n"
    "c1;02/07/2027 15:30;;acquisto;45,90\n"
    "c2;01/07/2027 10:00;sms;tocco;\n"
    "c2;12/07/2027 10:00;email;tocco;\n"
    "c3;03/07/2027 18:45;email;tocco;\n"
    "c3;04/07/2027 08:00;;acquisto;1.045,00\n"
)


def test_italian_touches_with_a_date_format(
    run: Callable[..., Any], make_workspace: Callable[..., Path], engine: str
) -> None:
    root = make_workspace(ITALIAN)
    export = root / "tocchi.csv"
    export.write_text(TOCCHI, encoding="utf-8")
    iso = root / "tocchi-iso.csv"
    iso.write_text(
        TOCCHI.replace("30/06/2027 09:00", "2027-06-30T09:00")
        .replace("02/07/2027 15:00", "2027-07-02T15:00")
        .replace("02/07/2027 15:30", "2027-07-02T15:30")
        .replace("01/07/2027 10:00", "2027-07-01T10:00")
        .replace("12/07/2027 10:00", "2027-07-12T10:00")
        .replace("03/07/2027 18:45", "2027-07-03T18:45")
        .replace("04/07/2027 08:00", "2027-07-04T08:00"),
        encoding="utf-8",
    )
    args = ("attribute", "-w", str(root), "--engine", engine, "-f", "json")
    read = run(*args, str(export), "--date-format", "%d/%m/%Y %H:%M")
    assert read.exit_code == 0, read.stderr
    expected = run(*args, str(iso))
    assert expected.exit_code == 0, expected.stderr
    assert json.loads(read.stdout) == json.loads(expected.stdout)
    totals = json.loads(read.stdout)
    assert totals["total_conversions"] == 2
    assert totals["total_value"] == pytest.approx(1090.9)


def test_a_time_the_date_format_does_not_read_is_refused_at_its_row(
    run: Callable[..., Any], make_workspace: Callable[..., Path], engine: str
) -> None:
    root = make_workspace(ITALIAN)
    export = root / "tocchi.csv"
    export.write_text(TOCCHI, encoding="utf-8")
    args = ("attribute", str(export), "-w", str(root), "--engine", engine)
    unsaid = run(*args)
    assert unsaid.exit_code == 2
    assert f"{export}: row 2: time '30/06/2027 09:00' is not a date and time" in unsaid.stderr
    assert "--date-format" in unsaid.stderr
    american = run(*args, "--date-format", "%m/%d/%Y %H:%M")
    assert american.exit_code == 2
    assert f"{export}: row 2: time '30/06/2027 09:00' is not a date and time" in american.stderr
    no_day = run(*args, "--date-format", "%H:%M")
    assert no_day.exit_code == 2
    assert "--date-format: '%H:%M' is not a strftime pattern with a day, a month" in (no_day.stderr)


def test_an_italian_paths_table_with_its_row_of_totals(
    run: Callable[..., Any], make_workspace: Callable[..., Path]
) -> None:
    root = make_workspace(ITALIAN)
    export = root / "percorsi.csv"
    export.write_text(
        "Percorso;Convertiti;Valore;Non convertiti\n"
        "email > sms;12;1.234,50;30\n"
        "sms;3;310,00;41\n"
        "Totale;15;1.544,50;71\n",
        encoding="utf-8",
    )
    result = run("attribute", str(export), "-w", str(root), "-f", "json")
    assert result.exit_code == 0, result.stderr
    totals = json.loads(result.stdout)
    assert (totals["total_conversions"], totals["total_value"]) == (15, pytest.approx(1544.5))


# ChannelAttribution's Data.csv as its package ships it: `;`, paths of Greek letters, values
# with a dot for decimals and never a thousands separator (rows of its kind, not its rows).
DATA_CSV = (
    "path;total_conversions;total_conversion_value;total_null\n"
    "eta > iota > alpha > eta;1;0.244;3\n"
    "iota > iota > iota > iota;2;3.195;6\n"
    "beta > eta;1;2.402;3\n"
    "iota > eta > theta > lambda > lambda;0;0;2\n"
    "beta > iota > kappa;1;6.82;2\n"
    "iota > iota > iota;10;30.7346153846154;38\n"
)


def test_channel_attribution_s_data_csv(run: Callable[..., Any], tmp_path: Path) -> None:
    export = tmp_path / "Data.csv"
    export.write_text(DATA_CSV, encoding="utf-8")
    result = run("attribute", str(export), "-m", "last", "-f", "json", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    totals = json.loads(result.stdout)
    assert totals["total_conversions"] == 15
    assert totals["total_value"] == pytest.approx(43.3956, abs=0.005)  # 3.195, not 3195


def test_channel_attributions_table_reads_a_dot_as_decimals_even_where_no_cell_shows_it(
    run: Callable[..., Any], tmp_path: Path
) -> None:
    # ChannelAttribution's columns say the file is R's: `.` for decimals, never grouping.
    export = tmp_path / "Data.csv"
    export.write_text(
        "path;total_conversions;total_conversion_value;total_null\n"
        "beta > eta;1;2;3\n"
        "iota > iota;2;3.195;6\n",
        encoding="utf-8",
    )
    result = run("attribute", str(export), "-f", "json", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["total_value"] == pytest.approx(5.195, abs=0.005)


def test_a_paths_table_that_shows_no_decimal_is_refused_at_its_row(
    run: Callable[..., Any], tmp_path: Path
) -> None:
    export = tmp_path / "Data.csv"
    export.write_text(
        "path;conversions;value;nulls\nbeta > eta;1;2;3\niota > iota;2;3.195;6\n",
        encoding="utf-8",
    )
    result = run("attribute", str(export), "-f", "json", cwd=tmp_path)
    assert result.exit_code == 2
    assert f"{export}: row 3: value '3.195' is not a number (ambiguous" in result.stderr
    read = run("attribute", str(export), "-f", "json", "--decimal", ".", cwd=tmp_path)
    assert json.loads(read.stdout)["total_value"] == pytest.approx(5.195, abs=0.005)


def test_a_spanish_holdout_with_a_row_per_day(make_workspace: Callable[..., Path]) -> None:
    from mcplan.report.results import read_export
    from mcplan.workspace import load_workspace

    root = make_workspace(SPANISH)
    results = root / "resultados.csv"
    results.write_text(
        "Fecha;Canal;Variante;Contactos;Convertidos\n"
        "2027-07-01;;tratados;900;30\n"
        "2027-07-02;;tratados;900;25\n"
        "2027-07-01;;grupo de control;100;2\n"
        "2027-07-02;;grupo de control;100;1\n"
        "2027-07-01;email;;;30\n"
        "2027-07-02;email;;;25\n",
        encoding="utf-8",
    )
    read = read_export(results, load_workspace(root, discover=False))
    assert {g: (r.contacts, r.converted) for g, r in read.groups.items()} == {
        "treated": (1800, 55),
        "holdout": (200, 3),
    }
    assert [(r.channel, r.converted) for r in read.channels] == [("email", 55)]
    results.write_text(
        "Fecha;Canal;Variante;Contactos;Convertidos\n"
        "2027-07-01;;tratados;900;30\n"
        "2027-07-01T18:00;;tratados;900;25\n",
        encoding="utf-8",
    )
    with pytest.raises(UsageError) as refused:
        read_export(results, load_workspace(root, discover=False))
    assert str(refused.value) == (
        f"{results}: row 3: the treated group is given twice on 2027-07-01 (first on row 2)"
    )
