"""Limits on reading one document: the time budget for the whole file (CONGVAN_READ_TIMEOUT) over
the text layer, OCR and LibreOffice, and the memory cap of LibreOffice (CONGVAN_OFFICE_MEMORY_MB).
Each limit, when hit, is a ReadError naming the file and the limit, and leaves no process behind."""
from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

import psutil
import pytest
from PIL import Image, ImageDraw

from pipeline.read import ReadError, limits, office, read
from pipeline.read.tesseract import available

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "samples" / "fixtures"
needs_tesseract = pytest.mark.skipif(not available(), reason="tesseract is not installed")
needs_soffice = pytest.mark.skipif(office.soffice_binary() is None, reason="LibreOffice (soffice) not installed")


def script(path: Path, text: str, interpreter: str = "/bin/sh") -> Path:
    path.write_text(f"#!{interpreter}\n{text}\n")
    path.chmod(0o755)
    return path


def scanned_pdf(path: Path, pages: int) -> Path:
    """A PDF of page images with a few lines of text each (no text layer)."""
    images = []
    for n in range(pages):
        image = Image.new("L", (1240, 1754), 255)
        draw = ImageDraw.Draw(image)
        for row in range(12):
            draw.text((120, 150 + 60 * row), f"Trang {n + 1} dong {row + 1} van ban so 12/KH", fill=0)
        images.append(image)
    images[0].save(path, save_all=True, append_images=images[1:], resolution=150)
    return path


def no_children_left() -> bool:
    time.sleep(0.2)
    return all(child.status() == psutil.STATUS_ZOMBIE for child in psutil.Process().children(recursive=True))


# ---------------------------------------------------------------- the budget itself

@pytest.mark.parametrize("variable,setting,value,expected", [
    pytest.param("CONGVAN_READ_TIMEOUT", limits.read_timeout_s, "30", 30.0, id="seconds"),
    pytest.param("CONGVAN_READ_TIMEOUT", limits.read_timeout_s, "0.5", 0.5, id="fraction"),
    pytest.param("CONGVAN_READ_TIMEOUT", limits.read_timeout_s, "soon", 600.0, id="time-not-a-number"),
    pytest.param("CONGVAN_READ_TIMEOUT", limits.read_timeout_s, "-1", 600.0, id="time-negative"),
    pytest.param("CONGVAN_OFFICE_MEMORY_MB", office.memory_mb, "1024", 1024, id="megabytes"),
    pytest.param("CONGVAN_OFFICE_MEMORY_MB", office.memory_mb, "lots", 2048, id="memory-not-a-number"),
    pytest.param("CONGVAN_OFFICE_MEMORY_MB", office.memory_mb, "0", 2048, id="memory-zero"),
])
def test_limits_are_read_from_the_environment(monkeypatch, variable, setting, value, expected):
    monkeypatch.setenv(variable, value)
    assert setting() == expected


def test_without_the_settings_a_document_has_ten_minutes_and_libreoffice_2_gb(monkeypatch):
    monkeypatch.delenv("CONGVAN_READ_TIMEOUT", raising=False)
    monkeypatch.delenv("CONGVAN_OFFICE_MEMORY_MB", raising=False)
    assert (limits.read_timeout_s(), office.memory_mb()) == (600.0, 2048)


def test_a_step_limit_is_cut_to_the_time_left_and_an_outer_tighter_budget_stays():
    assert limits.cap(120) == 120  # no document being read: the step's own limit
    with limits.budget("a.pdf", 5) as outer:
        assert 4 < limits.cap(120) <= 5 and limits.cap(2) == 2
        with limits.budget("a.pdf", 60) as inner:
            assert inner is outer
    assert limits.current() is None


def test_a_spent_budget_names_the_file_the_limit_and_the_step():
    with limits.budget("in/cv.pdf", 1e-9):
        time.sleep(0.001)
        with pytest.raises(ReadError, match=r"^in/cv\.pdf: reading stopped: over the 1e-09 s limit for one "
                                            r"document \(CONGVAN_READ_TIMEOUT\) while OCR of page 3$"):
            limits.check("OCR of page 3")


# ---------------------------------------------------------------- the budget in the readers

def test_the_text_layer_stops_at_the_document_limit(monkeypatch):
    monkeypatch.setenv("CONGVAN_READ_TIMEOUT", "0.000001")
    path = FIXTURES / "044_libreoffice.pdf"
    with pytest.raises(ReadError, match=r"044_libreoffice\.pdf: reading stopped: over the 1e-06 s limit .*"
                                        r"while reading the text layer \(page 1\)"):
        read(path)


def test_a_hanging_ocr_page_is_stopped_at_the_document_limit_not_the_page_limit(tmp_path, monkeypatch):
    fake = tmp_path / "bin"
    fake.mkdir()
    script(fake / "tesseract", "exec sleep 60")
    monkeypatch.setenv("PATH", f"{fake}:{os.environ['PATH']}")
    monkeypatch.setenv("CONGVAN_READ_TIMEOUT", "1")
    path = scanned_pdf(tmp_path / "scan.pdf", 2)
    started = time.monotonic()
    with pytest.raises(ReadError, match=r"scan\.pdf: reading stopped: over the 1 s limit for one document "
                                        r"\(CONGVAN_READ_TIMEOUT\) while OCR of page \d"):
        read(path)
    assert time.monotonic() - started < 6  # the page limit alone is 120 s
    assert no_children_left()


@needs_tesseract
def test_a_long_scan_stops_between_pages_once_the_time_is_spent(tmp_path, monkeypatch):
    monkeypatch.setenv("CONGVAN_READ_TIMEOUT", "0.8")
    path = scanned_pdf(tmp_path / "long.pdf", 8)
    started = time.monotonic()
    with pytest.raises(ReadError, match=r"long\.pdf: reading stopped: over the 0\.8 s limit"):
        read(path)
    assert time.monotonic() - started < 8  # 8 pages take ~10 s; it stops at the first page past 0.8 s


def test_a_conversion_is_stopped_at_the_document_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("CONGVAN_SOFFICE", str(script(tmp_path / "soffice", "sleep 60")))
    monkeypatch.setenv("CONGVAN_OFFICE_TIMEOUT", "60")
    monkeypatch.setenv("CONGVAN_READ_TIMEOUT", "1")
    path = tmp_path / "old.rtf"
    path.write_bytes(b"{\\rtf1\\ansi Kinh gui\\par}")
    started = time.monotonic()
    with pytest.raises(ReadError, match=r"old\.rtf: reading stopped: over the 1 s limit .* while converting "
                                        r"the \.rtf file with LibreOffice"):
        read(path)
    assert time.monotonic() - started < 6
    assert no_children_left()


# ---------------------------------------------------------------- LibreOffice's memory

def test_libreoffice_runs_under_the_memory_limit(tmp_path, monkeypatch):
    seen = tmp_path / "limit"
    report = f"import resource; open({str(seen)!r}, 'w').write(str(resource.getrlimit(resource.RLIMIT_AS)[0]))"
    monkeypatch.setenv("CONGVAN_SOFFICE", str(script(tmp_path / "soffice", report, sys.executable)))
    monkeypatch.setenv("CONGVAN_OFFICE_MEMORY_MB", "700")
    path = tmp_path / "old.rtf"
    path.write_bytes(b"{\\rtf1\\ansi Kinh gui\\par}")
    with pytest.raises(ReadError, match="could not convert"):  # the fake writes no .docx
        read(path)
    assert int(seen.read_text()) == 700 * 1024 * 1024
    assert resource.getrlimit(resource.RLIMIT_AS)[0] != 700 * 1024 * 1024  # ours is untouched


def test_a_converter_that_wants_more_memory_is_stopped_with_a_clear_reason(tmp_path, monkeypatch):
    greedy = "blocks = [bytearray(50 * 1024 * 1024) for _ in range(40)]"  # 2 GB
    monkeypatch.setenv("CONGVAN_SOFFICE", str(script(tmp_path / "soffice", greedy, sys.executable)))
    monkeypatch.setenv("CONGVAN_OFFICE_MEMORY_MB", "300")
    path = tmp_path / "hostile.rtf"
    path.write_bytes(b"{\\rtf1\\ansi Kinh gui\\par}")
    with pytest.raises(ReadError, match=r"hostile\.rtf: LibreOffice ran out of memory converting the \.rtf "
                                        r"file: over the 300 MB limit \(CONGVAN_OFFICE_MEMORY_MB\), stopped"):
        read(path)


@needs_soffice
def test_real_libreoffice_below_its_needs_is_a_clear_refusal_and_the_default_suffices(tmp_path, monkeypatch):
    path = tmp_path / "old.rtf"
    path.write_bytes(b"{\\rtf1\\ansi Kinh gui\\par}")
    monkeypatch.setenv("CONGVAN_OFFICE_MEMORY_MB", "300")
    with pytest.raises(ReadError, match=r"ran out of memory .* over the 300 MB limit"):
        read(path)
    monkeypatch.delenv("CONGVAN_OFFICE_MEMORY_MB")
    assert "Kinh gui" in read(path).text
