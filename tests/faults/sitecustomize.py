"""Injected operating-system faults for tests/test_faults.py, in every process of a command (its workers too).

Python imports `sitecustomize` at start-up from PYTHONPATH: the test puts this folder there and says in the
environment which fault to raise, so the command under test, the fork server of batch and national and
every worker meet the same fault at the same call. Nothing happens without ODPLAN_TEST_FAULT.

ODPLAN_TEST_FAULT     stage:errno  — stage "create" (the temporary file of a safe write is made), "replace"
                      (it is renamed onto the output) or "read" (a file is opened for reading)
ODPLAN_TEST_FAULT_AT  only paths under this folder (outputs) or with this name (an input, for "read")
"""

from __future__ import annotations

import os


def _arm() -> None:
    fault = os.environ.get("ODPLAN_TEST_FAULT")
    if not fault:
        return
    import builtins
    import io
    import tempfile

    stage, number = fault.split(":")
    number_ = int(number)
    at = os.environ.get("ODPLAN_TEST_FAULT_AT", "")

    def hit(path: object) -> bool:
        text = os.fspath(path) if isinstance(path, (str, os.PathLike)) else ""
        return bool(text) and (text.startswith(at) if stage != "read" else os.path.basename(text) == at)

    def failure(path: object, second: object = None) -> OSError:
        return OSError(number_, os.strerror(number_), os.fspath(path), None,
                       os.fspath(second) if second is not None else None)

    if stage == "replace":
        replace = os.replace

        def faulty_replace(src, dst, *args, **kwargs):
            if hit(dst):
                raise failure(src, dst)
            return replace(src, dst, *args, **kwargs)

        os.replace = faulty_replace
    elif stage == "create":
        mkstemp = tempfile.mkstemp

        def faulty_mkstemp(suffix=None, prefix=None, dir=None, text=False):
            if dir is not None and hit(os.path.join(os.fspath(dir), "x")):
                raise failure(os.path.join(os.fspath(dir), f"{prefix or ''}XXXX{suffix or ''}"))
            return mkstemp(suffix, prefix, dir, text)

        tempfile.mkstemp = faulty_mkstemp
    elif stage == "read":
        real_open = io.open

        def faulty_open(file, mode="r", *args, **kwargs):
            if "r" in mode and "+" not in mode and hit(file):
                raise failure(file)
            return real_open(file, mode, *args, **kwargs)

        io.open = builtins.open = faulty_open


_arm()
