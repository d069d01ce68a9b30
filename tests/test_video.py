"""render/video.py: whatever Manim hands over, the published file is phone-ready H.264 without audio."""
import json
import subprocess

from render.video import _encode, _poster, vtt


def probe(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-of", "json", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["streams"]


def moov_before_mdat(path) -> bool:
    data = path.read_bytes()
    return 0 <= data.find(b"moov") < data.find(b"mdat")


def test_encode_makes_faststart_h264_yuv420p_even_silent(tmp_path):
    raw = tmp_path / "raw.mp4"
    # an odd-sized clip with an audio track and yuv444p: everything the encoder must fix
    subprocess.run(["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=321x241:rate=10:duration=1",
                    "-f", "lavfi", "-i", "sine=duration=1", "-pix_fmt", "yuv444p", "-c:v", "libx264", "-shortest",
                    str(raw)], check=True)
    out = tmp_path / "video.mp4"
    _encode(raw, out)
    streams = probe(out)
    assert [s["codec_type"] for s in streams] == ["video"]
    v = streams[0]
    assert v["codec_name"] == "h264" and v["pix_fmt"] == "yuv420p"
    assert v["width"] % 2 == 0 and v["height"] % 2 == 0
    assert moov_before_mdat(out)
    again = tmp_path / "again.mp4"
    _encode(raw, again)
    assert again.read_bytes() == out.read_bytes(), "encoding must be deterministic"
    _poster(out, tmp_path / "poster.jpg", None)
    assert (tmp_path / "poster.jpg").read_bytes()[:2] == b"\xff\xd8"


def test_vtt_cues():
    text = vtt([(0, 1.5, "king"), (61.25, 62, "queen")])
    assert text.startswith("WEBVTT\n")
    assert "00:00:00.000 --> 00:00:01.500\nking" in text
    assert "00:01:01.250 --> 00:01:02.000\nqueen" in text
