"""Scanned pages to text with Tesseract (vie), keeping each page's confidence.

Three entry points, one per caller:
- `read_image(path, data) -> Document`: the reader for PNG, JPEG and TIFF (every frame of a
  multi-page TIFF), registered in `pipeline.read.READERS`;
- `ocr_pdf_pages(path, page_numbers) -> [(text, confidence)]`: what the PDF reader calls for the
  pages that have no usable text layer (1-based numbers, answers in the order asked);
- `make_searchable_pdf(src, dst)`: a searchable PDF/A copy for the archive (OCRmyPDF).

Every page goes the same way: bounded decode (no page over `max_pixels`), `prepare_page`
(resolution, coloured ink of seals, signatures and handwriting, paper noise, skew, rules),
Tesseract's words with their confidences (`--psm 4`: the two-column header comes out row by
row), the page turned by OSD only when it read badly; on the first page the serial and date
digits of the header read a second time (`ocr_header`: handwriting becomes a blank, never a wrong
number); ruled tables found from the page's rules before they are erased come out row by row,
cells joined by " | " (`ocr_tables`); lines laid out as Tesseract found them, with the two-column header and closing block
unfolded and signature stamps in the margin dropped (`ocr_layout`). A page's confidence is the mean of its word confidences (0–100); a document whose mean falls below
`review_below` is flagged `needs_review`.
"""
from __future__ import annotations

import io
import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

from PIL import Image, ImageOps, UnidentifiedImageError

from pipeline.read import limits
from pipeline.read.errors import ReadError
from pipeline.read.ocr_header import check_header_digits
from pipeline.read.ocr_layout import layout_text
from pipeline.read.preprocess import Prepared, PrepSettings, page_dpi, prepare_page, turn
from pipeline.read.tesseract import (TesseractError, TesseractSettings, TesseractTimeout, Word, env_float,
                                     orientation, recognise)
from schemas import Document, Page, Source

MAX_PIXELS = 100_000_000  # 100 megapixels: an A0 sheet at 300 dpi is 140; no dispatch page is
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow itself refuses to decode past twice this
PDF_DPI = 300

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class OcrSettings:
    tesseract: TesseractSettings = field(default_factory=TesseractSettings)
    prep: PrepSettings = field(default_factory=PrepSettings)
    review_below: float = env_float("CONGVAN_OCR_REVIEW_BELOW", 70.0)
    reorient_below: float = 50.0  # a page reading worse than this is checked for a turned page
    check_header_digits: bool = True  # the header's serial and date digits read twice (ocr_header)
    max_pixels: int = MAX_PIXELS
    max_pages: int = 500
    jobs: int = max(1, min(2, os.cpu_count() or 1))  # pages OCR'd at once, one thread each


@dataclass(frozen=True)
class PageText:
    """One page read: its text, mean word confidence (None: no word found), what was done."""
    text: str
    confidence: float | None
    words: int
    steps: tuple[str, ...] = ()


# ---------------------------------------------------------------- one page

def mean_confidence(words: list[Word]) -> float | None:
    confs = [w.conf for w in words if w.conf >= 0]
    return round(sum(confs) / len(confs), 2) if confs else None


def _read(image: Image.Image, dpi: float | None, settings: OcrSettings) -> tuple[list[Word], Prepared]:
    prepared = prepare_page(image, dpi, settings.prep)
    return recognise(prepared.image, settings.tesseract), prepared


def _plain(image: Image.Image, dpi: float | None, prepared: Prepared, settings: OcrSettings) -> Callable[[], Image.Image]:
    """The page prepared again in the same geometry but with its coloured ink kept (on demand)."""
    def make() -> Image.Image:
        plain = replace(settings.prep, suppress_colour=False)
        return prepare_page(image, dpi, plain, skew=prepared.skew_deg).image
    return make


def ocr_page(image: Image.Image, dpi: float | None = None, settings: OcrSettings = OcrSettings(),
             first_page: bool = False) -> PageText:
    """Read one page image; a page that reads badly is asked for its orientation and re-read turned.
    The first page of a document is the one whose two-column header is unfolded."""
    words, prepared = _read(image, dpi, settings)
    confidence, steps = mean_confidence(words), prepared.steps
    if confidence is None or confidence < settings.reorient_below:
        degrees, _ = orientation(prepared.image, settings.tesseract)
        if degrees:
            upright = turn(image, degrees)
            turned_words, turned = _read(upright, dpi, settings)
            turned_conf = mean_confidence(turned_words)
            if turned_conf is not None and (confidence is None or turned_conf > confidence):
                words, confidence, prepared, image = turned_words, turned_conf, turned, upright
                steps = (f"turned {degrees}° clockwise", *turned.steps)
    if first_page and settings.check_header_digits:
        words, notes = check_header_digits(words, prepared.image, _plain(image, dpi, prepared, settings),
                                           settings.tesseract)
        steps = (*steps, *notes)
    text = layout_text(words, *prepared.image.size, dpi=prepared.dpi, first_page=first_page,
                       tables=prepared.tables)
    return PageText(text, confidence, len(words), steps)


# ---------------------------------------------------------------- many pages

def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def map_pages(fn: Callable[[T], R], pages: Iterable[T], jobs: int) -> list[R]:
    """`fn` over pages, `jobs` at a time; pages are produced (decoded) only as they are needed."""
    if jobs <= 1:
        return [fn(page) for page in pages]
    results: list[R] = []
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for chunk in _chunks(pages, jobs):
            results.extend(pool.map(fn, chunk))
    return results


def _ocr_or_fail(path: Path, settings: OcrSettings) -> Callable[[tuple[int, Image.Image, float | None]], PageText]:
    """OCR of one page as the pool runs it: under the document's time budget (taken here, in
    the caller's thread), each Tesseract call limited to the time left."""
    budget = limits.current()

    def run(page: tuple[int, Image.Image, float | None]) -> PageText:
        number, image, dpi = page
        page_settings = settings
        if budget is not None:
            budget.check(f"OCR of page {number}")
            capped = replace(settings.tesseract, timeout_s=budget.cap(settings.tesseract.timeout_s))
            page_settings = replace(settings, tesseract=capped)
        try:
            return ocr_page(image, dpi, page_settings, first_page=number == 1)
        except TesseractTimeout as exc:
            if budget is not None and budget.remaining() <= 0:
                raise budget.error(f"OCR of page {number}") from None
            raise ReadError(path, f"page {number}: {exc}") from None
        except TesseractError as exc:
            raise ReadError(path, f"page {number}: {exc}") from None
    return run


def document_from_pages(pages: list[PageText], media_type: str, settings: OcrSettings = OcrSettings()) -> Document:
    """One Document from OCR'd pages: texts joined by a blank line, page map, confidence, review flag."""
    parts, page_map, warnings = [], [], []
    offset = 0
    for number, page in enumerate(pages, start=1):
        if parts:
            offset += 2  # the "\n\n" between pages
        parts.append(page.text)
        page_map.append(Page(number=number, start=offset, end=offset + len(page.text), ocr=True,
                             confidence=page.confidence))
        offset += len(page.text)
        if page.confidence is None:
            warnings.append(f"page {number}: OCR found no text")
        elif page.confidence < settings.review_below:
            warnings.append(f"page {number}: OCR confidence {page.confidence:.0f} < {settings.review_below:g}")
        warnings.extend(f"page {number}: {step}" for step in page.steps if step.startswith(("turned", "handwritten")))
    confidence = document_confidence(pages)
    needs_review = confidence is None or confidence < settings.review_below
    source = Source(media_type=media_type, pages=len(pages), ocr=True, ocr_confidence=confidence,
                    needs_review=needs_review)
    return Document(text="\n\n".join(parts), source=source, pages=page_map, warnings=warnings)


def document_confidence(pages: list[PageText]) -> float | None:
    """Mean word confidence over the whole document (pages weighted by their words)."""
    read = [p for p in pages if p.confidence is not None and p.words]
    total = sum(p.words for p in read)
    return round(sum(p.confidence * p.words for p in read) / total, 2) if total else None


# ---------------------------------------------------------------- images

def _open_image(path: Path, data: bytes) -> Image.Image:
    """The image opened lazily: its header is read, its pixels are not."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # check_size says it better
            return Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise ReadError(path, f"image over the {MAX_PIXELS / 1e6:.0f} megapixel limit for a scanned page ({exc})") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ReadError(path, f"not a readable image ({exc})") from None


def check_size(path: Path, width: int, height: int, settings: OcrSettings, where: str = "image") -> None:
    pixels = width * height
    if pixels > settings.max_pixels:
        raise ReadError(path, f"{where} is {width}×{height} = {pixels / 1e6:.0f} megapixels, over the "
                              f"{settings.max_pixels / 1e6:.0f} megapixel limit for a scanned page")


def frame_count(path: Path, image: Image.Image, settings: OcrSettings) -> int:
    try:
        count = getattr(image, "n_frames", 1)
    except (OSError, ValueError, SyntaxError) as exc:
        raise ReadError(path, f"damaged image ({exc})") from None
    if count > settings.max_pages:
        raise ReadError(path, f"{count} pages, over the {settings.max_pages}-page limit")
    return count


def page_image(frame: Image.Image) -> Image.Image:
    """The current frame decoded into a new image (the next seek must not change it) in a mode
    the page steps take: RGB for colour, L for grey or bilevel; transparency on white paper."""
    frame = ImageOps.exif_transpose(frame) if frame.format == "JPEG" else frame
    if frame.mode in ("RGBA", "LA") or (frame.mode == "P" and "transparency" in frame.info):
        rgba = frame.convert("RGBA")
        white = Image.new("RGBA", rgba.size, "white")
        return Image.alpha_composite(white, rgba).convert("RGB")
    if frame.mode in ("RGB", "L"):
        return frame.copy()
    return frame.convert("RGB" if frame.mode in ("P", "CMYK", "YCbCr", "LAB", "HSV") else "L")


def image_frames(path: Path, image: Image.Image, settings: OcrSettings) -> Iterator[tuple[int, Image.Image, float]]:
    """(page number, decoded page, its dpi) for each frame of a lazily opened image, decoded one
    at a time as they are consumed. The page count and every frame's size are checked here,
    before any pixel is decoded; a JPEG far above 300 dpi is decoded reduced (libjpeg's draft
    mode), which costs a fraction of the time and memory."""
    count = frame_count(path, image, settings)
    for index in range(count):
        image.seek(index)
        check_size(path, *image.size, settings, where="image" if count == 1 else f"page {index + 1}")

    def frames() -> Iterator[tuple[int, Image.Image, float]]:
        for index in range(count):
            try:
                image.seek(index)
                dpi = page_dpi(image)
                if image.format == "JPEG" and dpi > 1.5 * settings.prep.target_dpi:
                    width = image.width
                    scale = settings.prep.target_dpi / dpi
                    image.draft("RGB", (round(image.width * scale), round(image.height * scale)))
                    dpi *= image.width / width
                yield index + 1, page_image(image), dpi
            except (OSError, ValueError, SyntaxError) as exc:
                raise ReadError(path, f"damaged image, page {index + 1} ({exc})") from None
    return frames()


def read_image(path: Path, data: bytes, settings: OcrSettings = OcrSettings()) -> Document:
    """The reader for scanned images: PNG, JPEG, TIFF (every page of a multi-page TIFF)."""
    path = Path(path)
    image = _open_image(path, data)
    media_type = Image.MIME.get(image.format or "", "image/unknown")
    frames = image_frames(path, image, settings)
    pages = map_pages(_ocr_or_fail(path, settings), frames, settings.jobs)
    return document_from_pages(pages, media_type, settings)


# ---------------------------------------------------------------- PDF pages

def pdf_page_images(path: Path, page_numbers: list[int], settings: OcrSettings,
                    dpi: int = PDF_DPI) -> Iterator[tuple[int, Image.Image, float | None]]:
    """The asked pages rendered at `dpi`, one at a time (pdfium is not thread-safe: render here)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError) as exc:
        raise ReadError(path, f"PDF cannot be opened for OCR ({exc})") from None
    try:
        # form fields drawn too: a document system stamps the number and day into them (F01)
        pdf.init_forms()
        count = len(pdf)
        scale = dpi / 72
        for number in page_numbers:
            if not 1 <= number <= count:
                raise ReadError(path, f"page {number} asked for OCR, but the PDF has {count} pages")
            width, height = pdf[number - 1].get_size()
            check_size(path, round(width * scale), round(height * scale), settings,
                       where=f"page {number} at {dpi} dpi")
        for number in page_numbers:
            limits.check(f"rendering page {number} for OCR")
            page = pdf[number - 1]
            try:
                image = page.render(scale=scale).to_pil()
            finally:
                page.close()
            yield number, image.convert("RGB"), float(dpi)
    finally:
        pdf.close()


def ocr_pdf_pages(path: Path, page_numbers: list[int], settings: OcrSettings = OcrSettings()) -> list[tuple[str, float]]:
    """(text, mean word confidence 0–100) for each asked page (1-based), in the order asked.

    A page on which Tesseract finds no word gives ("", 0.0). Raises `ReadError` for a page
    that does not exist, is too large, or on which Tesseract fails or runs out of time.
    """
    path = Path(path)
    pages = ocr_pdf(path, page_numbers, settings)
    return [(page.text, page.confidence if page.confidence is not None else 0.0) for page in pages]


def ocr_pdf(path: Path, page_numbers: list[int] | None = None, settings: OcrSettings = OcrSettings()) -> list[PageText]:
    """Every asked page of a PDF rendered and OCR'd (all pages when `page_numbers` is None)."""
    path = Path(path)
    if page_numbers is None:
        import pypdfium2 as pdfium

        with pdfium.PdfDocument(str(path)) as pdf:
            page_numbers = list(range(1, len(pdf) + 1))
    if len(page_numbers) > settings.max_pages:
        raise ReadError(path, f"{len(page_numbers)} pages to OCR, over the {settings.max_pages}-page limit")
    return map_pages(_ocr_or_fail(path, settings), pdf_page_images(path, page_numbers, settings), settings.jobs)


def read_scanned_pdf(path: Path, data: bytes = b"", settings: OcrSettings = OcrSettings()) -> Document:
    """A PDF read by OCR alone, every page (for scans; the PDF reader decides page by page)."""
    return document_from_pages(ocr_pdf(Path(path), None, settings), "application/pdf", settings)


# ---------------------------------------------------------------- archive copy

def make_searchable_pdf(src: Path | str, dst: Path | str, settings: OcrSettings = OcrSettings()) -> Path:
    """A searchable PDF/A-2b copy of `src` for the archive (OCRmyPDF; pages with text are kept)."""
    import ocrmypdf

    os.environ.setdefault("OMP_THREAD_LIMIT", str(settings.tesseract.threads))
    try:
        ocrmypdf.ocr(
            str(src), str(dst), language=[settings.tesseract.lang], skip_text=True, output_type="pdfa",
            pdfa_backend="internal", rasterizer="pypdfium",  # no Ghostscript needed
            jobs=1, progress_bar=False, tesseract_timeout=settings.tesseract.timeout_s,
        )
    except ocrmypdf.exceptions.ExitCodeException as exc:
        raise ReadError(src, f"no searchable copy: {type(exc).__name__}: {exc}") from None
    return Path(dst)
