"""The command line for an official: Swedish help and errors, --version, 'menade du', case names with .md or as paths,
oppna, the warnings of alla, the JSON Schema of the front matter and VS Code's problem matcher."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import KORPUS, ROOT
from tjanste.cli import main as cli
from tjanste.cli.arguments import build_parser
from tjanste.cli.main import main
from tjanste.source.case import CASE_SCHEMA, case_json_schema

ENGLISH = (
    "usage:",
    "positional arguments",
    "options:",
    "show this help",
    "invalid choice",
    "required:",
    "error:",
    "expected one argument",
    "unrecognized",
)


def subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("command", [None, *subcommands()])
def test_help_is_swedish_and_every_argument_explained(command: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"] if command else ["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("användning: tjanste") and "visa den här hjälpen och avsluta" in out
    assert not [word for word in ENGLISH if word in out], out
    parser = subcommands()[command] if command else build_parser()
    unexplained = [a.dest for a in parser._actions if not a.help]
    assert not unexplained, f"{command}: arguments without help: {unexplained}"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["rendr", "x"], "tjanste: fel: KOMMANDO: ogiltigt val 'rendr' (menade du 'render'?); välj bland: render, protokoll"),
        (["render"], "tjanste render: fel: de här argumenten måste anges: ÄRENDE"),
        (["visa", "x", "--port", "åtta"], "tjanste visa: fel: --port: 'åtta' är inte ett heltal; ange t.ex. --port 8000"),
        (["check", "--tillganglihet"], "tjanste: fel: okända argument: --tillganglihet"),
        (["render", "x", "--ut"], "tjanste render: fel: --ut: väntade ett värde"),
    ],
)
def test_wrong_usage_in_swedish(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("användning: tjanste") and message in err
    assert not [word for word in ENGLISH if word in err], err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--version"])
    assert re.fullmatch(r"tjanste \d+\.\d+\.\d+\n", capsys.readouterr().out)


@pytest.mark.parametrize("typed", ["2022-godnar", "2022-godnar.md", "2022-gdonara"])
def test_a_mistyped_case_name_gets_menade_du(typed: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", typed]) == 1
    assert f"{typed}:1:1: fel: ärende: ärendet finns inte (menade du '2022-godnara'?)" in capsys.readouterr().err


@pytest.mark.parametrize(
    "typed", ["2022-godnara", "2022-godnara.md", "cases/2022-godnara.md", "cases/2022-godnara", "{KORPUS}/cases/2022-godnara"]
)
def test_a_case_name_with_md_or_as_a_path_works(typed: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(KORPUS)
    assert main(["check", typed.format(KORPUS=KORPUS)]) == 0, capsys.readouterr().err


def test_oppna_renders_and_opens_the_paper(project_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(cli, "open_file", opened.append)
    assert main(["oppna", "2022-godnara.md"]) == 0
    assert opened == [project_copy / "build" / "2022-godnara" / "beslut.docx"]
    assert opened[0].read_bytes()[:2] == b"PK"
    assert main(["oppna", "2022-godnar"]) == 1 and "menade du '2022-godnara'" in capsys.readouterr().err


def test_alla_shows_the_warnings_render_shows_also_for_an_unchanged_case(
    project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = project_copy / "cases" / "2022-godnara.md"
    case.write_text(case.read_text(encoding="utf-8").rstrip("\n") + "\n\nDet kostar 12 mnkr.\n", encoding="utf-8")
    assert main(["render", "2022-godnara", "--ut", str(tmp_path / "en")]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if ": varning: " in line]
    assert warnings and any("beloppet '12 mnkr' är skrivet direkt i texten" in w for w in warnings)
    for run in ("skrivet", "oförändrat"):
        assert main(["alla", "--ut", str(tmp_path / "alla")]) == 0
        err = capsys.readouterr().err
        assert f"2022-godnara: {run}" in err
        assert [line for line in err.splitlines() if ": varning: " in line and "2022-godnara" in line] == warnings


def test_the_json_schema_is_made_from_the_case_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema == json.loads(json.dumps(case_json_schema()))
    assert list(schema["properties"]) == list(CASE_SCHEMA.fields)
    assert schema["required"] == ["typ", "organisation", "datum", "rubrik"] and schema["additionalProperties"] is False
    assert schema["properties"]["typ"]["enum"] == ["andringsforslag", "beslutsunderlag", "tjansteskrivelse", "underlag"]
    assert schema["properties"]["innehallsforteckning"]["enum"] == ["ja", "nej", True, False]
    beslut = schema["properties"]["beslut"]
    assert beslut["required"] == ["organ"] and "paragraf" in beslut["properties"]
    assert (
        schema["properties"]["diariefort"]["items"]["properties"]["handlingar"]["additionalProperties"]["pattern"] == "^(?:[0-9a-f]{64})$"
    )
    assert schema["properties"]["bilagor"]["items"]["anyOf"][0]["type"] == ["string", "number"]  # a bilaga may be a bare title
    for path in sorted((KORPUS / "cases").glob("*.md")):  # every field the real cases use is in the schema
        front = yaml.load(path.read_text(encoding="utf-8").split("\n---", 1)[0].removeprefix("---\n"), Loader=yaml.BaseLoader)
        assert set(front) <= set(schema["properties"]), path.name
    target = tmp_path / ".vscode" / "tjanste-schema.json"
    assert main(["schema", "--ut", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8")) == schema


def test_the_vs_code_task_matches_fel_and_varning_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tasks = json.loads((ROOT / ".vscode" / "tasks.json").read_text(encoding="utf-8"))["tasks"]
    check = next(t for t in tasks if t["args"][0] == "check")
    matchers = {m["severity"]: re.compile(m["pattern"]["regexp"]) for m in check["problemMatcher"]}
    broken, warned = tmp_path / "trasig.md", tmp_path / "varnad.md"
    source = (KORPUS / "cases" / "2022-godnara.md").read_text(encoding="utf-8")
    broken.write_text(source.replace("datum: 2022-05-04", "datum: 2022-13-04", 1), encoding="utf-8")
    warned.write_text(source.rstrip("\n") + "\n\nDet kostar 12 mnkr.\n", encoding="utf-8")
    assert main(["check", str(broken), str(warned)]) == 1
    lines = capsys.readouterr().err.splitlines()
    found = {severity: [m.groups() for line in lines if (m := matcher.match(line))] for severity, matcher in matchers.items()}
    assert found["error"] and all(g[0] == str(broken) and g[3].startswith("datum:") for g in found["error"])
    assert found["warning"] and any(g[0] == str(warned) and "beloppet '12 mnkr'" in g[3] for g in found["warning"])
    assert len(found["error"]) + len(found["warning"]) == len(lines)


def test_the_json_schema_marks_what_a_kind_requires() -> None:
    """An ändringsförslag without till is marked in the editor as the check reports it (kinds.Kind.requires)."""
    import jsonschema

    conditions = {"allOf": case_json_schema()["allOf"]}
    text = (KORPUS / "cases" / "2016-naravard-blekinge.md").read_text(encoding="utf-8")
    front = yaml.load(text.split("\n---", 1)[0].removeprefix("---\n"), Loader=yaml.BaseLoader)
    assert front["typ"] == "andringsforslag" and "till" in front
    jsonschema.validate(front, conditions)
    del front["till"]
    with pytest.raises(jsonschema.ValidationError, match="'till' is a required property"):
        jsonschema.validate(front, conditions)
    jsonschema.validate({**front, "typ": "tjansteskrivelse"}, conditions)  # other kinds do without
