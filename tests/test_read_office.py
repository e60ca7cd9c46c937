"""Old Word, OpenDocument and RTF files through LibreOffice: conversion, legacy fonts, and the ways
it can go wrong (missing, failing, hanging), each bounded in time and leaving no process behind."""
from __future__ import annotations

import os
import shutil
import stat
import threading
import time
import zipfile
from pathlib import Path

import psutil
import pytest

from pipeline.read import ReadError, read
from pipeline.read import office

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
needs_soffice = pytest.mark.skipif(office.soffice_binary() is None, reason="LibreOffice (soffice) not installed")


def case(name: str, *values):
    return pytest.param(*values, id=name)


def rtf(paragraphs: list[str], font: str = "Times New Roman", legacy: bool = False) -> bytes:
    """An RTF document; `legacy` writes the text as single bytes (a TCVN3/VNI font's codes)."""
    def escape(text: str) -> str:
        out = []
        for ch in text:
            if ch in "\\{}":
                out.append("\\" + ch)
            elif ord(ch) < 128:
                out.append(ch)
            elif legacy:
                out.append(f"\\'{ord(ch):02x}")
            else:
                out.append(f"\\u{ord(ch) if ord(ch) < 32768 else ord(ch) - 65536}?")
        return "".join(out)
    body = "".join(f"{escape(p)}\\par\n" for p in paragraphs)
    return ("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fnil\\fcharset0 " + font + ";}}\n\\f0\\fs26 "
            + body + "}").encode("ascii")


def odt(paragraphs: list[str]) -> bytes:
    import io

    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               '<office:body><office:text>'
               + "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
               + "</office:text></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def fake_soffice(tmp_path: Path, script: str) -> Path:
    path = tmp_path / "fake-soffice"
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def conversions_running() -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            if any("congvan-office-" in part for part in process.info["cmdline"] or []):
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return found


# ---------------------------------------------------------------- conversions

@needs_soffice
def test_rtf_is_converted(tmp_path):
    path = tmp_path / "cv.rtf"
    path.write_bytes(rtf(["Kính gửi: Các trường trung học phổ thông", "Đề nghị các trường báo cáo trước ngày 20/4/2026."]))
    document = read(path)
    assert document.text.split("\n") == ["Kính gửi: Các trường trung học phổ thông",
                                          "Đề nghị các trường báo cáo trước ngày 20/4/2026."]
    assert document.source.media_type == "application/rtf"
    assert "converted from .rtf by LibreOffice" in document.warnings


@needs_soffice
def test_odt_is_converted(tmp_path):
    path = tmp_path / "kh.odt"
    path.write_bytes(odt(["KẾ HOẠCH", "Tổ chức sinh hoạt chuyên môn môn Lịch sử"]))
    document = read(path)
    assert document.text == "KẾ HOẠCH\nTổ chức sinh hoạt chuyên môn môn Lịch sử"
    assert document.source.media_type == "application/vnd.oasis.opendocument.text"


@needs_soffice
def test_tcvn3_font_survives_the_conversion(tmp_path):
    path = tmp_path / "old.rtf"
    legacy = ["Së Gi¸o dôc vµ §µo t¹o", "§Ò nghÞ c¸c tr\u00adêng b¸o c¸o."]
    path.write_bytes(rtf(legacy, font=".VnTime", legacy=True))
    assert read(path).text.split("\n") == ["Sở Giáo dục và Đào tạo", "Đề nghị các trường báo cáo."]


@needs_soffice
def test_real_doc_draft(tmp_path):
    found = sorted((SHARED / "corpus-files").glob("F03_*.doc")) if (SHARED / "corpus-files").is_dir() else []
    if not found:
        pytest.skip("shared corpus files not beside the checkout")
    renamed = tmp_path / "ke-hoach.pdf"  # the name lies: the bytes decide
    shutil.copy(found[0], renamed)
    document = read(renamed)
    assert document.source.media_type == "application/msword"
    assert document.text.split("\n")[:6] == [
        "UBND TỈNH ĐỒNG THÁP", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "Số: /KH-SGDĐT", "Đồng Tháp, ngày tháng 4 năm 2026"]


@needs_soffice
def test_parallel_conversions_do_not_share_a_profile(tmp_path):
    paths = []
    for i in range(2):
        path = tmp_path / f"cv{i}.rtf"
        path.write_bytes(rtf([f"Văn bản số {i}"]))
        paths.append(path)
    results: dict[int, str] = {}

    def convert(i: int) -> None:
        results[i] = read(paths[i]).text
    threads = [threading.Thread(target=convert, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert results == {0: "Văn bản số 0", 1: "Văn bản số 1"}


# ---------------------------------------------------------------- failures

def test_a_hanging_converter_is_killed_at_the_time_limit(tmp_path, monkeypatch):
    marker = tmp_path / "pids"
    soffice = fake_soffice(tmp_path, f"sleep 300 & echo $! >> {marker}\necho $$ >> {marker}\nwait")
    monkeypatch.setenv("CONGVAN_SOFFICE", str(soffice))
    monkeypatch.setenv("CONGVAN_OFFICE_TIMEOUT", "1")
    path = tmp_path / "hang.rtf"
    path.write_bytes(rtf(["Kính gửi"]))
    started = time.monotonic()
    with pytest.raises(ReadError, match=r"did not finish .* within 1 s \(stopped\)"):
        read(path)
    assert time.monotonic() - started < 10
    time.sleep(0.2)
    for pid in map(int, marker.read_text().split()):
        assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE, pid


@needs_soffice
def test_real_libreoffice_stopped_mid_conversion_leaves_nothing_behind(tmp_path, monkeypatch):
    monkeypatch.setenv("CONGVAN_OFFICE_TIMEOUT", "0.3")
    path = tmp_path / "slow.rtf"
    path.write_bytes(rtf(["Kính gửi"] * 50))
    with pytest.raises(ReadError, match="did not finish"):
        read(path)
    time.sleep(0.3)
    assert conversions_running() == []


def test_missing_libreoffice_is_a_clear_refusal(tmp_path, monkeypatch):
    monkeypatch.setenv("CONGVAN_SOFFICE", str(tmp_path / "no-such-soffice"))
    path = tmp_path / "old.rtf"
    path.write_bytes(rtf(["Kính gửi"]))
    with pytest.raises(ReadError, match=r"\.rtf files need LibreOffice \(soffice\), which is not installed"):
        read(path)


@pytest.mark.parametrize("script,message", [
    case("exits-with-an-error", "echo 'Error: source file could not be loaded' >&2; exit 1",
         r"could not convert the \.rtf file \(Error: source file could not be loaded\)"),
    case("writes-nothing", "exit 0", r"could not convert the \.rtf file \(exit code 0\)"),
    case("writes-garbage", 'while [ $# -gt 0 ]; do [ "$1" = --outdir ] && out=$2; shift; done\n'
                           'mkdir -p "$out"; echo not a zip > "$out/input.docx"', "damaged Word document"),
])
def test_a_failing_converter_is_a_clear_refusal(tmp_path, monkeypatch, script, message):
    monkeypatch.setenv("CONGVAN_SOFFICE", str(fake_soffice(tmp_path, script)))
    path = tmp_path / "old.rtf"
    path.write_bytes(rtf(["Kính gửi"]))
    with pytest.raises(ReadError, match=message):
        read(path)


def test_password_protected_office_file_is_refused_without_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setenv("CONGVAN_SOFFICE", str(tmp_path / "must-not-run"))
    path = tmp_path / "locked.docx"
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    path.write_bytes(header + "EncryptedPackage".encode("utf-16-le") + os.urandom(2048))
    with pytest.raises(ReadError, match="encrypted Office document"):
        read(path)


def test_the_time_limit_setting_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("CONGVAN_OFFICE_TIMEOUT", "12.5")
    assert office.timeout_seconds() == 12.5
    monkeypatch.setenv("CONGVAN_OFFICE_TIMEOUT", "soon")
    assert office.timeout_seconds() == office.DEFAULT_TIMEOUT
