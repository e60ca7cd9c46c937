"""A page of the original file as PNG, for reviewing scans beside the text read from them."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Optional

SCALE = 1.5          # 108 dpi for a PDF page: legible, a few hundred kB
MAX_SIDE = 2000      # images are shrunk to at most this many pixels on the long side


class PageError(LookupError):
    pass


def page_png(path: Optional[Path], number: int) -> bytes:
    """Page `number` (0-based) of a PDF or (multi-page) image file."""
    if path is None or not path.is_file():
        raise PageError("the original file is not available")
    with path.open("rb") as handle:
        head = handle.read(5)
    return _pdf_page(path, number) if head == b"%PDF-" else _image_page(path, number)


def _pdf_page(path: Path, number: int) -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        if not 0 <= number < len(pdf):
            raise PageError(f"no page {number + 1} (the file has {len(pdf)})")
        image = pdf[number].render(scale=SCALE).to_pil()
    finally:
        pdf.close()
    return _png(image)


def _image_page(path: Path, number: int) -> bytes:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            frames = getattr(image, "n_frames", 1)
            if not 0 <= number < frames:
                raise PageError(f"no page {number + 1} (the file has {frames})")
            image.seek(number)
            page = image.convert("RGB")
    except UnidentifiedImageError:
        raise PageError("the original is neither a PDF nor an image") from None
    page.thumbnail((MAX_SIDE, MAX_SIDE))
    return _png(page)


def _png(image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
