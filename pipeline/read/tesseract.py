"""Tesseract as a bounded subprocess: one thread, a time limit and a memory limit per call.

`recognise` returns the words of one page image with their boxes and confidences (Tesseract's
TSV); `orientation` asks Tesseract's OSD (`--psm 0`) how far a page is turned. The image goes
in on stdin as an uncompressed PGM/PPM and the answer comes back on stdout: no temporary files.
A call that runs past its time limit is killed and raises `TesseractTimeout`; one that fails
raises `TesseractError`. Both carry a one-line reason; the reader turns them into a `ReadError`.
"""
from __future__ import annotations

import io
import os
import re
import resource
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from PIL import Image


def env_float(name: str, default: float) -> float:
    """A number from the environment (settings such as CONGVAN_OCR_TIMEOUT_S), else `default`."""
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass(frozen=True)
class TesseractSettings:
    """How Tesseract is called. Defaults come from CONGVAN_OCR_* variables where set."""
    command: str = "tesseract"
    lang: str = "vie"
    psm: int = 4  # one column of lines of varying size: keeps the two-column header row by row
    dpi: int = 300
    timeout_s: float = env_float("CONGVAN_OCR_TIMEOUT_S", 120.0)
    memory_mb: int = int(env_float("CONGVAN_OCR_MEMORY_MB", 2048))
    threads: int = 1  # OMP_THREAD_LIMIT: 1 is ~7x faster than the default on a page (STACK.md)


class TesseractError(Exception):
    """Tesseract could not be run, or exited with an error."""


class TesseractTimeout(TesseractError):
    """Tesseract ran past its time limit and was killed."""


@dataclass(frozen=True)
class Word:
    """One word of Tesseract's TSV: where it is (block, paragraph, line) and how sure it is."""
    block: int
    par: int
    line: int
    left: int
    top: int
    width: int
    height: int
    conf: float
    text: str


def available(settings: TesseractSettings = TesseractSettings()) -> bool:
    return shutil.which(settings.command) is not None


def _limit_memory(limit_bytes: int):
    def apply() -> None:  # runs in the child between fork and exec
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))
    return apply


def image_bytes(image: Image.Image) -> bytes:
    """PGM (grey) or PPM (colour): no compression to spend time on, and Leptonica reads both."""
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB" if image.mode in ("RGBA", "P", "CMYK", "LAB", "HSV") else "L")
    buffer = io.BytesIO()
    image.save(buffer, format="PPM")
    return buffer.getvalue()


def run(image: Image.Image, args: Sequence[str], settings: TesseractSettings) -> str:
    """Tesseract's stdout for `image` with `args` after the input/output names."""
    return _tesseract("stdin", args, settings, image_bytes(image))


def run_many(images: Sequence[Image.Image], args: Sequence[str], settings: TesseractSettings) -> list[str]:
    """Tesseract's output for each of several small images, in one process: the language model is
    loaded once (most of the time a one-line crop costs) instead of once per image."""
    if not images:
        return []
    with tempfile.TemporaryDirectory(prefix="congvan-tess-") as folder:
        names = []
        for i, image in enumerate(images):
            path = Path(folder) / f"{i:03d}.pnm"
            path.write_bytes(image_bytes(image))
            names.append(str(path))
        listing = Path(folder) / "images.txt"
        listing.write_text("\n".join(names) + "\n", encoding="utf-8")
        out = _tesseract(str(listing), args, settings)
    pages = out.split("\f")  # one page per image, each but the last ended by a form feed
    return [(pages[i] if i < len(pages) else "") for i in range(len(images))]


def _tesseract(source: str, args: Sequence[str], settings: TesseractSettings, data: bytes | None = None) -> str:
    command = [settings.command, source, "stdout", "--dpi", str(settings.dpi), *args]
    env = {**os.environ, "OMP_THREAD_LIMIT": str(settings.threads)}
    try:
        done = subprocess.run(
            command, input=data, capture_output=True, env=env,
            timeout=settings.timeout_s, preexec_fn=_limit_memory(settings.memory_mb * 1024 * 1024),
        )
    except subprocess.TimeoutExpired:
        raise TesseractTimeout(f"Tesseract did not finish within {settings.timeout_s:g} s") from None
    except OSError as exc:
        raise TesseractError(f"Tesseract cannot be run ({exc.strerror or exc})") from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = detail[-1] if detail else f"exit code {done.returncode}"
        raise TesseractError(f"Tesseract failed: {reason}")
    return done.stdout.decode("utf-8", "replace")


def parse_tsv(tsv: str) -> list[Word]:
    """The word rows (level 5) of Tesseract's TSV, in reading order."""
    words = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        block, par, line, left, top, width, height = (int(c) for c in (cells[2:5] + cells[6:10]))
        words.append(Word(block, par, line, left, top, width, height, float(cells[10]), cells[11]))
    return words


def recognise(image: Image.Image, settings: TesseractSettings = TesseractSettings()) -> list[Word]:
    """The words Tesseract reads on one page image."""
    return parse_tsv(run(image, ["-l", settings.lang, "--psm", str(settings.psm), "tsv"], settings))


_ROTATE = re.compile(r"^Rotate:\s*(\d+)", re.M)
_ORIENTATION_CONF = re.compile(r"^Orientation confidence:\s*([\d.]+)", re.M)


def orientation(image: Image.Image, settings: TesseractSettings = TesseractSettings()) -> tuple[int, float]:
    """(degrees to turn the page clockwise to make it upright, OSD's confidence); (0, 0) if unsure."""
    try:
        out = run(image, ["--psm", "0", "-l", "osd"], settings)
    except TesseractTimeout:
        raise
    except TesseractError:  # too few characters to decide: OSD exits with an error
        return 0, 0.0
    rotate, conf = _ROTATE.search(out), _ORIENTATION_CONF.search(out)
    if not rotate:
        return 0, 0.0
    return int(rotate.group(1)) % 360, float(conf.group(1)) if conf else 0.0
