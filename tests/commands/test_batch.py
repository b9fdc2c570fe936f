"""`tjanste alla`: which cases it renders again (the record in .indata), and the same bytes as a single render."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import as_installed, serving_worker, soffice
from tjanste.cli.main import main

ALL = {"2015-primarvard", "2016-naravard-blekinge", "2018-patientmiljarden", "2022-godnara", "2026-ramomfordelning-namnder"}


def run_alla(out: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, str]:
    """Runs `alla` and returns each case's status as its progress line shows it."""
    capsys.readouterr()
    code = main(["alla", "--ut", str(out), *extra])
    err = capsys.readouterr().err
    assert code == 0, err
    return dict(re.findall(r"^\[\d+/\d+\] (\S+): (skrivet|oförändrat|fel|internt fel)", err, re.MULTILINE))


def rendered(statuses: dict[str, str]) -> set[str]:
    assert set(statuses) == ALL
    return {name for name, status in statuses.items() if status == "skrivet"}


def same_size_other_bytes(path: Path) -> None:
    """Changes one byte and puts the old modification time back, as `git checkout` or `touch -d` can."""
    status = path.stat()
    data = bytearray(path.read_bytes())
    data[-2] = ord("x") if data[-2] != ord("x") else ord("y")
    path.write_bytes(bytes(data))
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert path.stat().st_size == status.st_size and path.stat().st_mtime_ns == status.st_mtime_ns


def _append(path: Path, data: bytes) -> None:
    path.write_bytes(path.read_bytes() + data)


def _comment_zip(path: Path) -> None:
    """A Word template with other bytes and the same parts: a comment on its zip."""
    with zipfile.ZipFile(path, "a") as package:
        package.comment = b"andrad"


def test_alla_renders_again_exactly_the_cases_whose_inputs_or_outputs_changed(
    tmp_path: Path, project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = project_copy / "cases"
    primarvard = cases / "2015-primarvard.md"
    bilaga = cases / "2015-primarvard" / "underlag.md"
    bilaga.parent.mkdir()
    bilaga.write_text("# Underlag\n\nFördelningen per vårdcentral.\n", encoding="utf-8")
    text = primarvard.read_text(encoding="utf-8")
    primarvard.write_text(
        text.replace("bilagor:\n", "bilagor:\n  - titel: Underlag\n    fil: 2015-primarvard/underlag.md\n", 1), encoding="utf-8"
    )
    out = tmp_path / "ut"
    assert rendered(run_alla(out, capsys)) == ALL
    assert rendered(run_alla(out, capsys)) == set()

    changes = {
        "the case file, same size and time": (lambda: same_size_other_bytes(cases / "2022-godnara.md"), {"2022-godnara"}),
        "a bilaga, same size and time": (lambda: same_size_other_bytes(bilaga), {"2015-primarvard"}),
        "an image in the case's folder": (
            lambda: _append(cases / "2016-naravard-blekinge" / "figur-1.png", b"\0"),  # after IEND: still a whole PNG
            {"2016-naravard-blekinge"},
        ),
        "a new file in the case's folder": (
            lambda: (cases / "2016-naravard-blekinge" / "anteckning.txt").write_text("x", encoding="utf-8"),
            {"2016-naravard-blekinge"},
        ),
        "an output removed": (lambda: (out / "2018-patientmiljarden" / "beslut.txt").unlink(), {"2018-patientmiljarden"}),
        "a Word template (templates/ is one input of every case)": (
            lambda: _comment_zip(project_copy / "templates" / "bilaga" / "bilaga.docx"),
            ALL,
        ),
        "a profile": (lambda: _append(project_copy / "templates" / "organisationer" / "landstinget-blekinge.yaml", b"# ny rad\n"), ALL),
    }
    for what, (change, expected) in changes.items():
        change()
        assert rendered(run_alla(out, capsys)) == expected, what
        assert rendered(run_alla(out, capsys)) == set(), what


def test_an_output_touched_but_not_changed_keeps_its_case_unchanged_and_one_changed_in_place_is_found(
    tmp_path: Path, project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ut"
    assert rendered(run_alla(out, capsys)) == ALL
    docx = out / "2022-godnara" / "beslut.docx"
    os.utime(docx)  # touched: its bytes are those metadata.json lists
    stamp = (out / "2022-godnara" / ".indata").read_bytes()
    assert rendered(run_alla(out, capsys)) == set()
    assert (out / "2022-godnara" / ".indata").read_bytes() != stamp  # the record now holds the new time
    assert rendered(run_alla(out, capsys)) == set()
    same_size_other_bytes(out / "2022-godnara" / "beslut.txt")  # changed by hand, the old time put back
    capsys.readouterr()
    assert main(["alla", "--ut", str(out)]) == 1
    err = capsys.readouterr().err
    assert "2022-godnara: fel" in err and "beslut.txt:1:1: fel: finns redan och har ändrats efter att tjanste skrev den" in err


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".indata"}


def test_alla_in_two_processes_writes_what_a_single_render_writes_and_goes_on_after_a_broken_case(
    tmp_path: Path, project_copy: Path, build: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = project_copy / "cases" / "2017-trasig.md"
    broken.write_text((project_copy / "cases" / "2018-patientmiljarden.md").read_text(encoding="utf-8").replace("typ: ", "typ: x", 1))
    out = tmp_path / "ut"
    capsys.readouterr()
    assert main(["alla", "-j", "2", "--ut", str(out)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(":")[0] for line in lines if line.startswith("[")] == [
        "[1/6] 2015-primarvard",
        "[2/6] 2016-naravard-blekinge",
        "[3/6] 2017-trasig",
        "[4/6] 2018-patientmiljarden",
        "[5/6] 2022-godnara",
        "[6/6] 2026-ramomfordelning-namnder",
    ]  # in the order of the cases, whichever process finished first
    at = next(i for i, line in enumerate(lines) if line.startswith("[3/6] 2017-trasig: fel"))
    assert "2017-trasig.md:8:6: fel: typ: 'xunderlag' finns inte" in lines[at + 1]
    assert lines[-1] == "6 ärenden: 5 skrivna, 0 oförändrade, 1 med fel"
    assert not (out / "2017-trasig").exists()
    for name in ALL:
        assert _outputs(out / name) == _outputs(build / name), name


def test_without_j_a_few_changed_cases_are_rendered_here_and_many_in_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Starting the workers costs more than a few cases' renders; from WORKERS_FROM_CASES changed cases on, they pay."""
    import argparse

    from tjanste.cli.arguments import build_parser
    from tjanste.commands import batch, workers

    pools: list[int] = []
    real = workers.Pool

    def counted(jobs: int) -> object:
        pools.append(jobs)
        return real(jobs)

    monkeypatch.setattr(workers, "Pool", counted)
    assert rendered(run_alla(tmp_path / "ut", capsys)) == ALL and pools == []  # five changed cases: this process alone
    monkeypatch.setattr(batch, "WORKERS_FROM_CASES", 5)
    assert rendered(run_alla(tmp_path / "ut2", capsys)) == ALL and pools == [min(batch.default_jobs(), 5)]
    monkeypatch.undo()
    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert f"färre än {batch.WORKERS_FROM_CASES} ändrade ärenden" in " ".join(commands.choices["alla"].format_help().split())


def _render_or_die(case_paths: list[Path], *arguments: object) -> list[object]:
    """Stands in for batch.render_cases in a worker: the worker rendering 2016-naravard-blekinge is killed."""

    from tjanste.commands.batch import render_cases

    if any(p.stem == "2016-naravard-blekinge" for p in case_paths):
        signal.raise_signal(signal.SIGKILL)
    return render_cases(case_paths, *arguments)  # type: ignore[arg-type]


def test_a_worker_killed_by_a_signal_fails_its_case_alone(
    tmp_path: Path, project_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import tjanste.commands.batch

    monkeypatch.setattr(tjanste.commands.batch, "render_cases", _render_or_die)  # the task a worker is sent names this function
    capsys.readouterr()
    assert main(["alla", "-j", "2", "--ut", str(tmp_path / "ut")]) == 3
    err = capsys.readouterr().err.splitlines()
    at = err.index("[2/5] 2016-naravard-blekinge: internt fel")
    assert err[at + 1] == (
        f"{project_copy / 'cases' / '2016-naravard-blekinge.md'}:1:1: fel: internt fel i tjanste "
        "(arbetsprocessen avslutades av signalen SIGKILL); rapportera ärendefilen till förvaltarna"
    )
    assert err[-1] == "5 ärenden: 4 skrivna, 0 oförändrade, 1 med fel"


def test_the_pool_gives_each_task_its_own_result_or_failure() -> None:

    from tjanste.commands.workers import Pool

    tasks = [(str.upper, ("a",)), (signal.raise_signal, (signal.SIGKILL,)), (int, ("x",)), (str.upper, ("b",))]
    with Pool(2) as pool:
        results = dict(pool.run(tasks))
    assert [results[i].value for i in (0, 3)] == ["A", "B"]
    assert results[1].error == "arbetsprocessen avslutades av signalen SIGKILL"  # and the tasks after it still ran
    assert results[2].error == "ValueError: invalid literal for int() with base 10: 'x'"


def test_an_idle_worker_that_missed_its_sigterm_ends_at_once_after_ctrl_c() -> None:
    """A SIGTERM landing just before an idle worker's read() began was handled only after it: Ctrl-C waited STOP_SECONDS."""
    from tjanste.commands.workers import Pool

    with Pool(1) as pool:
        list(pool.run([(signal.signal, (signal.SIGTERM, signal.SIG_IGN))]))  # as if the signal were lost
        [worker] = pool.workers
        pool.close(interrupted=True)
    assert worker.process.exitcode == 0  # it saw its pipe close and returned; -9 would be the kill after STOP_SECONDS


def _test_folders() -> tuple[str, str]:
    import conftest

    return str(conftest.KORPUS), os.environ["TJANSTE_CACHE"]


def test_a_worker_that_imports_a_test_module_uses_the_test_runs_folders() -> None:
    """A worker that unpickles a test's function imports conftest; folders of its own would be left in the temp folder."""
    import conftest
    from tjanste.commands.workers import Pool

    with Pool(1) as pool:
        [(_, done)] = list(pool.run([(_test_folders, ())]))
    assert done.value == (str(conftest.KORPUS), os.environ["TJANSTE_CACHE"])


def test_alla_pdf_makes_one_libreoffice_call_per_worker_and_a_case_whose_pdf_fails_fails_alone(
    tmp_path: Path, project_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tjanste.pdf.xmp import pdfa_part

    real = soffice()
    if real is None:
        pytest.skip("LibreOffice saknas")
    calls = tmp_path / "anrop.txt"
    stand_in = tmp_path / "bin" / "soffice"  # LibreOffice itself, which then loses every protokollsutdrag.pdf (2015's and 2026's)
    stand_in.parent.mkdir()
    stand_in.write_text(
        f'#!/bin/sh\necho "$@" >> {calls}\n"{real}" "$@" || exit $?\n'
        'outdir=$(while [ "$1" != --outdir ]; do shift; done; echo "$2")\nrm -f "$outdir"/*protokollsutdrag.pdf\n',
        encoding="utf-8",
    )
    stand_in.chmod(0o755)
    as_installed(stand_in.parent, real)
    monkeypatch.setenv("PATH", f"{stand_in.parent}{os.pathsep}{os.environ['PATH']}")
    out = tmp_path / "ut"
    capsys.readouterr()
    assert main(["alla", "--pdf", "-j", "2", "--ut", str(out)]) == 1
    err = capsys.readouterr().err
    assert "[1/5] 2015-primarvard: fel" in err and "[5/5] 2026-ramomfordelning-namnder: fel" in err
    assert "protokollsutdrag.docx:1:1: fel: pdf: LibreOffice gav ingen PDF för protokollsutdrag.docx" in err
    assert "5 ärenden: 3 skrivna, 0 oförändrade, 2 med fel" in err
    assert not (out / "2015-primarvard").exists() and not (out / "2026-ramomfordelning-namnder").exists()
    first_calls = [line for line in calls.read_text(encoding="utf-8").splitlines() if ".innehall-" not in line]
    assert len(first_calls) == 2  # one per worker, each with the documents of its two cases
    for name in ALL - {"2015-primarvard", "2026-ramomfordelning-namnder"}:
        folder = out / name
        docx = sorted(p.stem for p in folder.glob("*.docx"))
        assert docx and sorted(p.stem for p in folder.glob("*.pdf")) == docx, name
        assert all(pdfa_part(p.read_bytes()) == "2" for p in folder.glob("*.pdf"))
        assert "beslut.pdf" in (folder / "metadata.json").read_text(encoding="utf-8")


@pytest.mark.langsam
def test_ctrl_c_stops_every_worker_and_leaves_no_half_written_folder(tmp_path: Path, project_copy: Path) -> None:
    from tjanste.commands.stamp import outputs_intact

    # Work enough that Ctrl-C finds alla under way; only what comes before the signal is rendered.
    for case in sorted((project_copy / "cases").glob("*.md")):
        for number in range(1, 5):
            shutil.copyfile(case, case.with_name(f"{case.stem}-kopia-{number}.md"))
    # A run started with & from a script ignores SIGINT, and an ignored signal is inherited by every process it starts:
    # alla would never see the Ctrl-C. A handler of ours is not inherited; exec gives the child the default, as a
    # terminal's command has.
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        for attempt in range(3):  # on a busy machine the poll below may wake only after alla has finished: then once more
            out = tmp_path / f"ut-{attempt}"
            command = [sys.executable, "-m", "tjanste", "alla", "-j", "2", "--ut", str(out)]
            process = subprocess.Popen(
                command, env={**os.environ, "TJANSTE_ROT": str(project_copy)}, stderr=subprocess.PIPE, text=True, start_new_session=True
            )
            deadline = time.monotonic() + 30
            while not out.exists() and time.monotonic() < deadline:  # the workers have begun to write
                time.sleep(0.02)
            os.killpg(process.pid, signal.SIGINT)  # as Ctrl-C does: to the whole process group
            _, err = process.communicate(timeout=60)
            if process.returncode != 0:
                break
        else:
            pytest.skip("alla blev klart före Ctrl-C tre gånger")
    finally:
        signal.signal(signal.SIGINT, before)
    assert process.returncode == 130, err
    assert err.splitlines()[-1].startswith("tjanste: avbrutet; ingen fil är halvskriven")
    assert "Traceback" not in err
    for entry in out.iterdir():
        if entry.name.startswith("."):  # a staging folder, if the signal came before its cleanup began: removed by a later render
            assert re.fullmatch(r"\.[0-9a-z-]+\.ny-[a-z0-9_]+", entry.name), entry
            continue
        assert outputs_intact(entry), entry  # every case folder whole: all its files from one render


def _stderr_to(path: str) -> None:
    """A task for a worker: its standard error goes to path from now on (a forkserver's child writes where the forkserver
    does, which is the stream of whichever test started it, not this test's capfd)."""
    stream = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(stream, 2)
    os.close(stream)


@pytest.mark.langsam
def test_a_worker_whose_parent_was_killed_ends_without_a_traceback(tmp_path: Path) -> None:
    """kill -9 of `alla -j 2`: each worker finished its task, found the pipe broken and printed two BrokenPipe tracebacks."""
    worker, parent_end = serving_worker()
    parent_end.send((_stderr_to, (str(tmp_path / "stderr.txt"),)))
    assert not parent_end.recv().error
    parent_end.send((time.sleep, (0.5,)))  # a task under way when the parent goes
    parent_end.close()  # as a killed parent's end closes
    worker.join(30)
    assert worker.exitcode == 0
    err = (tmp_path / "stderr.txt").read_text(encoding="utf-8")
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
