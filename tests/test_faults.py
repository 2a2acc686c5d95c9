"""Every command against every fault of the machine (check, which writes nothing, against its input's): the catalogue's message, exit 2, nothing else on stderr,
nothing half written, the input untouched.

Real faults where this machine allows them (a read-only bind mount, a small tmpfs filled up, a folder or a
file in the way, a name too long); the others — a file locked by another program, a quota, no permission
(the tests run as root), a folder removed while writing, an input that cannot be read — are raised as the
operating system raises them, by tests/faults/sitecustomize.py in every process of the command (its workers
too), at the calls the safe writer makes.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from odplan_xl.errors import ERRORS

ROOT = Path(__file__).resolve().parents[1]
INJECTOR = Path(__file__).resolve().parent / "faults"
LONG = "ن" * 200                       # 400 bytes: over every file system's 255 per name


# --- the commands -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Command:
    name: str
    output: str                        # the file (or folder, for batch and national) it writes under out/
    reads: str | None                  # the input file it reads (None: new, example)
    many: bool = False                 # batch, national: a folder of plans, an output folder

    def argv(self, inputs: Path, target: Path) -> list[str]:
        source = {"new": [], "example": [], "import": [inputs / "written.docx"],
                  "batch": [inputs / "plans"], "national": [inputs / "plans"],
                  "diff": [inputs / "plans" / "a.xlsx", inputs / "plan.xlsx"]}.get(self.name, [inputs / "plan.xlsx"])
        flag = [] if self.name in ("new", "example") else ["-o"]
        return [self.name, *map(str, source), *flag, str(target)]


COMMANDS = [Command("new", "made.xlsx", None), Command("example", "example.xlsx", None),
            Command("gantt", "g.xlsx", "plan.xlsx"), Command("convert", "p.docx", "plan.xlsx"),
            Command("import", "i.xlsx", "written.docx"), Command("datasets", "d.csv", "plan.xlsx"),
            Command("batch", "b", "a.xlsx", many=True), Command("national", "n", "a.xlsx", many=True),
            Command("progress", "r.docx", "plan.xlsx"), Command("next", "n.xlsx", "plan.xlsx"),
            Command("diff", "d.docx", "plan.xlsx")]
# The first file batch and national write in their folder (a folder in its way, a locked one).
FIRST_WRITTEN = {"batch": "summary.xlsx", "national": "national.xlsx"}


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> Path:
    """The inputs: a plan, a Word plan to import, a folder of two plans."""
    folder = tmp_path_factory.mktemp("sources")
    run("example", folder / "plan.xlsx")
    run("convert", folder / "plan.xlsx", "-o", folder / "written.docx")
    (folder / "plans").mkdir()
    for name in ("a.xlsx", "b.xlsx"):
        shutil.copyfile(folder / "plan.xlsx", folder / "plans" / name)
    return folder


def run(*args: object, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "odplan_xl.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=300, env=env, cwd=ROOT)


# --- the faults ---------------------------------------------------------------------------------------

@dataclass
class Setup:
    out: Path                                   # the folder the output goes in
    code: str                                   # the catalogue entry expected
    env: dict[str, str] = field(default_factory=dict)
    force: bool = False
    name: str | None = None                     # the output's name, when the fault needs another one
    kept: dict[str, bytes] = field(default_factory=dict)   # files there before, that must stay as they were


def _mount(*args: object) -> bool:
    return subprocess.run(["mount", *map(str, args)], capture_output=True).returncode == 0


@contextlib.contextmanager
def read_only(base: Path, command: Command) -> Iterator[Setup]:
    out = base / "ro"
    out.mkdir()
    if os.geteuid() != 0 or not _mount("--bind", out, out):
        pytest.skip("a read-only bind mount needs root and mount(8)")
    try:
        if not _mount("-o", "remount,ro,bind", out):
            pytest.skip("remounting read-only is not permitted here")
        yield Setup(out, "read-only")
    finally:
        subprocess.run(["umount", str(out)], capture_output=True)


@contextlib.contextmanager
def disk_full(base: Path, command: Command) -> Iterator[Setup]:
    out = base / "full"
    out.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=256k", "tmpfs", out):
        pytest.skip("a small tmpfs needs root and mount(8)")
    try:
        (out / "filler").write_bytes(b"\0" * (256 * 1024 - 8192))     # 8 KB left: less than any output
        yield Setup(out, "disk-full", kept={"filler": (out / "filler").read_bytes()})
    finally:
        subprocess.run(["umount", str(out)], capture_output=True)


@contextlib.contextmanager
def folder_in_the_way(base: Path, command: Command) -> Iterator[Setup]:
    out = base / "out"
    if command.many:
        (out / command.output / FIRST_WRITTEN[command.name]).mkdir(parents=True)
    else:
        (out / command.output).mkdir(parents=True)
    yield Setup(out, "folder-in-the-way", force=True)


@contextlib.contextmanager
def file_in_the_way(base: Path, command: Command) -> Iterator[Setup]:
    (base / "notes").write_bytes(b"a file, not a folder")
    yield Setup(base / "notes" / "sub", "file-in-the-way")


@contextlib.contextmanager
def name_too_long(base: Path, command: Command) -> Iterator[Setup]:
    suffix = "" if command.many else Path(command.output).suffix
    yield Setup(base / "out", "name-too-long", name=LONG + suffix)


def injected(stage: str, number: int, code: str, *, existing: bool = False):
    @contextlib.contextmanager
    def setup(base: Path, command: Command) -> Iterator[Setup]:
        out = base / "out"
        out.mkdir()
        at = command.reads if stage == "read" else str(out)
        kept = {}
        if existing:                       # the file being replaced is there (and open elsewhere)
            first = Path(command.output) / FIRST_WRITTEN[command.name] if command.many else Path(command.output)
            (out / first).parent.mkdir(parents=True, exist_ok=True)
            (out / first).write_bytes(b"the version open in Word")
            kept[str(first)] = b"the version open in Word"
        yield Setup(out, code, env={"ODPLAN_TEST_FAULT": f"{stage}:{number}", "ODPLAN_TEST_FAULT_AT": at},
                    force=existing, kept=kept)
    return setup


FAULTS = {
    "read-only": read_only,
    "disk-full": disk_full,
    "folder-in-the-way": folder_in_the_way,
    "file-in-the-way": file_in_the_way,
    "name-too-long": name_too_long,
    "locked-busy": injected("replace", errno.EBUSY, "output-locked"),
    "locked-sharing-violation": injected("replace", errno.EACCES, "output-locked", existing=True),
    "quota": injected("create", errno.EDQUOT, "disk-full"),
    "permission-denied": injected("create", errno.EACCES, "write-denied"),
    "folder-removed": injected("replace", errno.ENOENT, "folder-missing"),
    "input-unreadable": injected("read", errno.EACCES, "read-denied"),
}


# --- the matrix ---------------------------------------------------------------------------------------

def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _stray(stderr: str) -> list[str]:
    """What stderr says besides our messages and the progress bar's lines."""
    return [line for line in stderr.splitlines() if line.strip() and "━" not in line]


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("command", COMMANDS, ids=[c.name for c in COMMANDS])
def test_a_fault_is_the_catalogues_message_and_leaves_nothing(sources, tmp_path, command, fault):
    if fault == "input-unreadable" and command.reads is None:
        pytest.skip(f"{command.name} reads no input")
    inputs = tmp_path / "in"
    shutil.copytree(sources, inputs)
    before = _digests(inputs)
    with FAULTS[fault](tmp_path, command) as setup:
        target = setup.out / (setup.name or command.output)
        args = [*command.argv(inputs, target), *(["--force"] if setup.force else [])]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(INJECTOR),
                                                                          os.environ.get("PYTHONPATH")])),
               "COLUMNS": "400", **setup.env}
        res = run(*args, env=env)
        expected = ERRORS[setup.code]
        stray = _stray(res.stderr)
        where = f"{command.name} × {fault}: exit {res.returncode}\n{res.stdout}\n{res.stderr}"
        assert res.returncode == 2, where
        assert "Traceback" not in res.stderr + res.stdout and "Exception ignored" not in res.stderr, where
        fragment = expected.ar.split("{")[0]
        if command.many and fault == "input-unreadable":
            # every plan unreadable: each one's row says why, the run still writes its summary
            assert stray == [], where
            assert fragment in res.stdout, where
        else:
            assert stray[:1] and stray[0].startswith("✗ " + fragment), where
            assert len(stray) == expected.ar.count("\n") + 1, where       # our message, nothing else
        leftovers = [p for p in tmp_path.rglob("*") if ".part" in p.name or p.name.startswith(".odplan-")]
        assert leftovers == [], where
        if not command.many and fault != "input-unreadable":
            with contextlib.suppress(OSError):          # (a name too long cannot even be looked up)
                assert not target.is_file() or str(target.relative_to(setup.out)) in setup.kept, where
        for name, data in setup.kept.items():
            assert (setup.out / name).read_bytes() == data, where
        assert _digests(inputs) == before, where


def test_the_injector_is_armed_only_by_the_test(sources, tmp_path):
    """Without ODPLAN_TEST_FAULT the injector changes nothing: the same command writes its file."""
    env = {**os.environ, "PYTHONPATH": str(INJECTOR)}
    res = run("convert", sources / "plan.xlsx", "-o", tmp_path / "p.docx", env=env)
    assert res.returncode == 0 and (tmp_path / "p.docx").is_file()


def test_a_full_disk_in_batch_reports_each_plan_and_stops_on_its_summary(sources, tmp_path):
    """The plans whose document does not fit are failed rows with the reason and the run goes on (exit 1 when
    others were written); a summary that cannot be written ends the run with the catalogue's message (exit
    2); no temporary file anywhere."""
    out = tmp_path / "full"
    out.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=512k", "tmpfs", out):
        pytest.skip("a small tmpfs needs root and mount(8)")
    try:
        (out / "filler").write_bytes(b"\0" * (512 * 1024 - 60 * 1024))   # room for one document at most
        res = run("batch", sources / "plans", "-o", out / "b", "-j", "2", "--lang", "fr",
                  env={**os.environ, "COLUMNS": "400"})
        assert "Traceback" not in res.stderr and "Exception ignored" not in res.stderr
        assert [p for p in out.rglob("*") if ".part" in p.name] == []
        summary = out / "b" / "summary.json"
        if summary.exists():              # it fitted: the plans' rows say what happened to each
            rows = json.loads(summary.read_text(encoding="utf-8"))["plans"]
            failed = [r for r in rows if r["result"] == "failed"]
            assert failed and {r["reason"]["code"] for r in failed} == {"disk-full"}, res.stdout
            assert "Disque plein" in res.stdout and _stray(res.stderr) == []
            # 1: some documents could not be written while others were; 2: none could be
            assert res.returncode == (1 if len(failed) < len(rows) else 2)
        else:                             # it did not: the run ends on the catalogue's message alone
            stray = _stray(res.stderr)
            assert res.returncode == 2 and len(stray) == 2 and stray[0].startswith("✗ Disque plein"), res.stderr
    finally:
        subprocess.run(["umount", str(out)], capture_output=True)


@pytest.mark.parametrize("number, code", [(errno.EACCES, "read-denied"), (errno.EBUSY, "output-locked"),
                                          (errno.ENAMETOOLONG, "name-too-long"), (errno.EIO, "read-failed")])
def test_check_on_an_input_the_system_refuses_to_read(sources, tmp_path, number, code):
    """check writes nothing: its faults are the input's, each the catalogue's message naming the plan."""
    plan = tmp_path / "plan.xlsx"
    shutil.copyfile(sources / "plan.xlsx", plan)
    before = _digests(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(INJECTOR), "ODPLAN_TEST_FAULT": f"read:{number}",
           "ODPLAN_TEST_FAULT_AT": "plan.xlsx"}
    for fmt in ("text", "json"):
        res = run("check", plan, "--format", fmt, env=env)
        assert res.returncode == 2, res.stderr
        stray = _stray(res.stderr)
        assert stray[0].startswith("✗ " + ERRORS[code].ar.split("{")[0]) and str(plan) in res.stderr
        assert len(stray) == ERRORS[code].ar.count("\n") + 1, res.stderr
    assert _digests(tmp_path) == before


def _fault(number: int, filename: str | None = None, winerror: int | None = None) -> OSError:
    exc = OSError(number, os.strerror(number), filename)
    if winerror is not None:
        exc.winerror = winerror          # as Windows sets it (a sharing violation is 32, a lock 33)
    return exc


@pytest.mark.parametrize("exc, replacing, code", [
    (_fault(errno.EACCES, winerror=32), False, "output-locked"),     # Windows: open in Word
    (_fault(errno.EACCES, winerror=33), False, "output-locked"),
    (_fault(errno.EACCES), True, "output-locked"),                   # renaming onto a file held open
    (_fault(errno.EACCES), False, "write-denied"),
    (_fault(errno.EPERM), False, "write-denied"),
    (_fault(errno.EROFS), False, "read-only"),
    (_fault(errno.ENOSPC), False, "disk-full"),
    (_fault(errno.EDQUOT), False, "disk-full"),
    (_fault(errno.EFBIG), False, "disk-full"),
    (_fault(errno.ENAMETOOLONG), False, "name-too-long"),
    (_fault(errno.EISDIR), False, "folder-in-the-way"),
    (_fault(errno.ENOTDIR), False, "file-in-the-way"),
    (_fault(errno.ENOENT), False, "folder-missing"),
    (_fault(errno.EIO), False, "write-failed"),
])
def test_each_fault_of_a_write_has_its_entry(tmp_path, exc, replacing, code):
    from odplan_xl.files import os_fault

    target = tmp_path / "plan.docx"
    target.write_bytes(b"there")
    error = os_fault(exc, target, replacing=replacing)
    assert error.code == code and error.exit_code == 2
    assert str(tmp_path) in error.message("ar") and str(tmp_path) in error.message("fr")
