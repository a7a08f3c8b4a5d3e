"""What a report keeps of its moment and its photo: nothing that can single out its sender.

- `coarsen`: the time a report arrived, cut to the hour (by default): a seized store must not
  line reports up with the minute a phone sent them.
- `scrub_photo`: the photo's pixels re-encoded into a new file. Everything else a camera or an
  app writes — EXIF (with GPS, the camera's serial number, maker notes), XMP, IPTC, ICC
  profiles, embedded thumbnails, comments — is in the old file's metadata, and the new file is
  made from the pixels alone, so none of it can survive. The orientation is applied to the
  pixels first, so the picture still stands upright.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from bonafide.errors import InputError

__all__ = ["MAX_PHOTO_BYTES", "MAX_PIXELS", "ScrubbedPhoto", "coarsen", "scrub_photo"]

# Pillow's debug log writes the tags it decodes (a camera's serial number, GPS): never logged
logging.getLogger("PIL").setLevel(logging.WARNING)

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused, not decoded
_FORMATS = {"JPEG", "PNG", "WEBP"}


def coarsen(moment: dt.datetime, hours: int = 1) -> dt.datetime:
    """`moment` in UTC cut down to a multiple of `hours` within its day."""
    utc = moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return utc.replace(hour=utc.hour - utc.hour % hours, minute=0, second=0, microsecond=0)


class ScrubbedPhoto:
    """A photo re-encoded from its pixels: `data` (JPEG), its size."""

    def __init__(self, data: bytes, width: int, height: int) -> None:
        self.data = data
        self.width = width
        self.height = height


def scrub_photo(data: bytes) -> ScrubbedPhoto:
    """The photo's pixels alone, as a new JPEG; InputError (naming the field) if it is not an
    image bonafide takes, or too large."""
    if len(data) > MAX_PHOTO_BYTES:
        raise InputError(
            f"photo: larger than {MAX_PHOTO_BYTES // (1024 * 1024)} MB",
            hint="send a smaller photo",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            source = Image.open(io.BytesIO(data))
            if source.format not in _FORMATS:
                raise InputError("photo: not a JPEG, PNG or WebP image", hint="send a photo")
            if source.width * source.height > MAX_PIXELS:
                raise InputError("photo: too many pixels", hint="send a smaller photo")
            upright = ImageOps.exif_transpose(source)
            pixels = upright.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise InputError("photo: not an image that can be read", hint="send a photo") from None
    except Image.DecompressionBombWarning:
        raise InputError("photo: too many pixels", hint="send a smaller photo") from None
    # a new image from the pixel bytes alone: no info, exif, icc, xmp, comment, thumbnail
    clean = Image.frombytes("RGB", pixels.size, pixels.tobytes())
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return ScrubbedPhoto(out.getvalue(), clean.width, clean.height)
