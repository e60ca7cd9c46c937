"""Old Word (.doc), OpenDocument (.odt) and RTF files: converted to .docx by LibreOffice, then read
by the DOCX reader.

Each conversion runs `soffice --headless` in a temporary folder of its own, with a private user
profile (`-env:UserInstallation`), so parallel conversions never share a lock or a profile; it
runs in its own process group, which is killed when the time limit passes (a file that makes
LibreOffice hang costs `timeout` seconds, never more), and under an address-space limit
(RLIMIT_AS, inherited by every process LibreOffice starts), so a hostile file cannot eat the
machine's memory: past it LibreOffice fails to allocate and dies, and the refusal says so. The
folder is always removed.

Settings (environment): CONGVAN_SOFFICE names the LibreOffice binary (default: `soffice` on
PATH), CONGVAN_OFFICE_TIMEOUT the time limit in seconds (default 60), CONGVAN_OFFICE_MEMORY_MB
the address-space limit in MB (default 2048; LibreOffice converting a 400 kB .doc of long tables
stays under 800; below ~500 it cannot start).
"""
from __future__ import annotations

import io
import os
import re
import resource
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from pipeline.read import limits
from pipeline.read.errors import ReadError
from schemas import Document

DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY_MB = 2048
# what a process says when it could not get memory, or dies for it (LibreOffice aborts: Signal 6)
OUT_OF_MEMORY = re.compile(r"bad_alloc|out of memory|cannot allocate memory|failed to map segment|"
                           r"MemoryError|Fatal exception: Signal", re.I)
ENCRYPTED_OOXML = "EncryptedPackage".encode("utf-16-le")  # the stream of a password-protected .docx

MEDIA_TYPES = {
    "doc": "application/msword",
    "odt": "application/vnd.oasis.opendocument.text",
    "rtf": "application/rtf",
}


def read_doc(path: Path, data: bytes) -> Document:
    if ENCRYPTED_OOXML in data:
        raise ReadError(path, "encrypted Office document: it needs a password to open")
    return read_converted(path, data, "doc")


def read_odt(path: Path, data: bytes) -> Document:
    return read_converted(path, data, "odt")


def read_rtf(path: Path, data: bytes) -> Document:
    return read_converted(path, data, "rtf")


def read_converted(path: Path, data: bytes, kind: str) -> Document:
    import docx as python_docx

    from pipeline.read.docx import check_zip, docx_document

    converted = to_docx(path, data, kind)
    check_zip(path, converted)
    try:
        document = python_docx.Document(io.BytesIO(converted))
    except Exception as exc:  # noqa: BLE001 - whatever LibreOffice wrote, python-docx could not read
        raise ReadError(path, f"LibreOffice's conversion could not be read ({type(exc).__name__}: {exc})") from None
    result = docx_document(path, document, MEDIA_TYPES[kind])
    return result.model_copy(update={"warnings": [f"converted from .{kind} by LibreOffice", *result.warnings]})


def soffice_binary() -> str | None:
    configured = os.environ.get("CONGVAN_SOFFICE")
    if configured:
        return configured if Path(configured).exists() else shutil.which(configured)
    return shutil.which("soffice") or shutil.which("libreoffice")


def timeout_seconds() -> float:
    try:
        return float(os.environ.get("CONGVAN_OFFICE_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


def memory_mb() -> int:
    try:
        value = int(float(os.environ.get("CONGVAN_OFFICE_MEMORY_MB", DEFAULT_MEMORY_MB)))
    except ValueError:
        return DEFAULT_MEMORY_MB
    return value if value > 0 else DEFAULT_MEMORY_MB


def out_of_memory(code: int, output: str) -> bool:
    """Did the conversion die for want of memory: an allocation failure said, or killed by a signal?"""
    return bool(OUT_OF_MEMORY.search(output)) or code < 0 or code in (128 + 6, 128 + 9, 128 + 11)


def to_docx(path: Path, data: bytes, kind: str, timeout: float | None = None) -> bytes:
    """The bytes of the .docx LibreOffice makes of `data`; ReadError if it fails or times out."""
    soffice = soffice_binary()
    if soffice is None:
        raise ReadError(path, f".{kind} files need LibreOffice (soffice), which is not installed")
    timeout = limits.cap(timeout_seconds() if timeout is None else timeout)
    with tempfile.TemporaryDirectory(prefix="congvan-office-") as work:
        work_dir = Path(work)
        source = work_dir / f"input.{kind}"
        source.write_bytes(data)
        out_dir = work_dir / "out"
        command = [soffice, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
                   f"-env:UserInstallation={(work_dir / 'profile').as_uri()}",
                   "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out_dir), str(source)]
        memory = memory_mb()
        code, output = run_killable(command, timeout, cwd=work_dir, env=_environment(work_dir), memory_mb=memory)
        if code is None:
            limits.check(f"converting the .{kind} file with LibreOffice (stopped)")
            raise ReadError(path, f"LibreOffice did not finish converting the .{kind} file within "
                                  f"{timeout:g} s (stopped)")
        result = out_dir / "input.docx"
        if code != 0 and out_of_memory(code, output):
            raise ReadError(path, f"LibreOffice ran out of memory converting the .{kind} file: over the "
                                  f"{memory} MB limit (CONGVAN_OFFICE_MEMORY_MB), stopped")
        if code != 0 or not result.exists():
            detail = output.strip().splitlines()[-1] if output.strip() else f"exit code {code}"
            raise ReadError(path, f"LibreOffice could not convert the .{kind} file ({detail})")
        return result.read_bytes()


def _environment(work_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAL_", "UNO_"))}
    env["HOME"] = str(work_dir)  # nothing written to the real home, even by helper processes
    return env


def _limit_memory(limit_bytes: int):
    def apply() -> None:  # runs in the child between fork and exec; its children inherit it
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))
    return apply


def run_killable(command: list[str], timeout: float, cwd: Path, env: dict[str, str],
                 memory_mb: int | None = None) -> tuple[int | None, str]:
    """Run `command` in its own process group, its address space limited to `memory_mb`;
    (exit code, output), or (None, output) after killing the whole group when `timeout` passes."""
    limit = _limit_memory(memory_mb * 1024 * 1024) if memory_mb else None
    process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=limit)
    try:
        output, _ = process.communicate(timeout=timeout)
        return process.returncode, output.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        _kill_group(process)
        try:
            output, _ = process.communicate(timeout=5)
        except subprocess.TimeoutExpired:  # a child left the group and holds the pipe: stop reading
            output = b""
        return None, output.decode("utf-8", "replace")
    finally:
        if process.poll() is None:
            _kill_group(process)
            process.wait()


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
