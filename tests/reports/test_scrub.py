"""A report's photo keeps its pixels and nothing else; its time is cut to the hour."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from bonafide.errors import InputError
from bonafide.reports.scrub import coarsen, scrub_photo

SERIAL = "SN-4471-PHONE"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
    b'syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator='
    b'"Reporter Name"/></rdf:RDF></x:xmpmeta>'
)


def _photo_with_everything(orientation: int = 1) -> bytes:
    image = Image.new("RGB", (64, 32), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0xA431] = SERIAL  # BodySerialNumber
    exif[0x0112] = orientation
    gps = {1: "N", 2: (53.0, 54.0, 12.0), 3: "E", 4: (27.0, 33.0, 36.0)}
    exif[0x8825] = gps  # GPS IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, xmp=XMP, comment=b"sent by @someone")
    return out.getvalue()


def test_the_photo_keeps_its_pixels_and_nothing_else(tmp_path: Path) -> None:
    original = _photo_with_everything()
    assert SERIAL.encode() in original
    assert b"Reporter Name" in original
    scrubbed = scrub_photo(original).data
    for secret in (SERIAL.encode(), b"Reporter Name", b"PhoneMaker", b"@someone", b"Exif"):
        assert secret not in scrubbed, secret
    reread = Image.open(io.BytesIO(scrubbed))
    assert not reread.getexif()
    assert "xmp" not in reread.info
    assert "icc_profile" not in reread.info
    assert reread.size == (64, 32)
    assert reread.getpixel((10, 10))[0] > 150  # the picture itself is kept


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool not installed")
def test_exiftool_finds_no_metadata_in_a_scrubbed_photo(tmp_path: Path) -> None:
    path = tmp_path / "scrubbed.jpg"
    path.write_bytes(scrub_photo(_photo_with_everything()).data)
    found = json.loads(
        subprocess.run(
            ["exiftool", "-j", "-a", "-G1", str(path)], capture_output=True, check=True, text=True
        ).stdout
    )[0]
    groups = {key.split(":")[0] for key in found if ":" in key}
    assert not groups & {"EXIF", "IFD0", "ExifIFD", "GPS", "XMP", "XMP-dc", "IPTC", "ICC_Profile",
                         "MakerNotes", "IFD1"}, groups  # fmt: skip
    text = json.dumps(found)
    for secret in (SERIAL, "PhoneMaker", "Reporter Name", "someone", "GPS"):
        assert secret not in text, secret


def test_the_orientation_is_applied_to_the_pixels() -> None:
    scrubbed = scrub_photo(_photo_with_everything(orientation=6))  # rotated 90° by the camera
    assert (scrubbed.width, scrubbed.height) == (32, 64)


def test_png_text_chunks_are_dropped() -> None:
    image = Image.new("RGB", (8, 8))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Reporter Name")
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    assert b"Reporter Name" not in scrub_photo(out.getvalue()).data


@pytest.mark.parametrize("data", [b"not an image", b"GIF89a" + b"\x00" * 40, b""])
def test_what_is_not_a_photo_is_refused_by_its_field(data: bytes) -> None:
    with pytest.raises(InputError, match=r"^photo: "):
        scrub_photo(data)


def test_time_is_cut_to_the_hour_in_utc() -> None:
    minsk = dt.timezone(dt.timedelta(hours=3))
    moment = dt.datetime(2026, 12, 4, 23, 47, 13, 5, tzinfo=minsk)
    assert coarsen(moment) == dt.datetime(2026, 12, 4, 20, 0, tzinfo=dt.UTC)
    assert coarsen(moment, hours=6) == dt.datetime(2026, 12, 4, 18, 0, tzinfo=dt.UTC)
