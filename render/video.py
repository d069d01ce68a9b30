"""Manim scene -> phone-ready MP4: H.264, yuv420p, +faststart, even size, no audio, plus a poster and captions.

Scenes (render/scenes/<module>.py) read their data from the JSON file named by $SCENE_DATA; this module
never computes the model. The result is cached by the caller under a key of data + scene code."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from pipeline.errors import BuildError

SCENES_DIR = Path(__file__).resolve().parent / "scenes"
WIDTH, HEIGHT, FPS = 640, 360, 24
CRF = 30  # quality vs bytes: keeps a ~10 s explainer clip well under the 600 KB budget


def _run(cmd: list[str], what: str, **kw) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout)[-2000:]
        raise BuildError(f"{what} failed (exit {proc.returncode}):\n{tail}")


def render_scene(module: str, scene: str, data: dict, out_dir: Path, captions: list | None = None,
                 poster_at: float | None = None) -> dict:
    """Render `scene` from render/scenes/<module>.py into out_dir/video.mp4 (+ poster.jpg, captions.vtt).

    poster_at: seconds into the clip for the poster frame; None = the last frame (the finished picture)."""
    with tempfile.TemporaryDirectory(prefix="manim-") as tmp:
        tmp_path = Path(tmp)
        data_file = tmp_path / "data.json"
        data_file.write_text(json.dumps(data))
        env = dict(os.environ, SCENE_DATA=str(data_file), PYTHONPATH=str(SCENES_DIR.parent.parent))
        _run([sys.executable, "-m", "manim", "render", "--disable_caching", "--progress_bar", "none",
              "--media_dir", str(tmp_path / "media"), "-r", f"{WIDTH},{HEIGHT}", "--fps", str(FPS),
              "-o", "raw", str(SCENES_DIR / f"{module}.py"), scene], f"manim scene {module}.{scene}",
             env=env, cwd=tmp)
        raw = next((tmp_path / "media").rglob("raw.mp4"), None)
        if raw is None:
            raise BuildError(f"manim scene {module}.{scene} produced no video")
        _encode(raw, out_dir / "video.mp4")
    _poster(out_dir / "video.mp4", out_dir / "poster.jpg", poster_at)
    manifest = {"src": "video.mp4", "poster": "poster.jpg", "width": WIDTH, "height": HEIGHT}
    if captions:
        (out_dir / "captions.vtt").write_text(vtt(captions))
        manifest["captions"] = "captions.vtt"
    return manifest


def _encode(src: Path, dst: Path) -> None:
    # Single-threaded x264 and bitexact muxing so identical inputs give identical bytes.
    _run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(src), "-an", "-map_metadata", "-1",
          "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2", "-c:v", "libx264", "-preset", "slow", "-crf", str(CRF),
          "-pix_fmt", "yuv420p", "-profile:v", "main", "-threads", "1", "-x264-params", "threads=1",
          "-movflags", "+faststart", "-fflags", "+bitexact", "-flags:v", "+bitexact", str(dst)], "ffmpeg encode")


def _poster(video: Path, poster: Path, at: float | None) -> None:
    # Last frame: decode the final second and keep overwriting one file (-update), so the last one stays.
    seek = ["-sseof", "-1"] if at is None else ["-ss", f"{at:.3f}"]
    pick = ["-update", "1"] if at is None else ["-frames:v", "1"]
    _run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", *seek, "-i", str(video), *pick,
          "-q:v", "5", "-fflags", "+bitexact", "-flags:v", "+bitexact", str(poster)], "ffmpeg poster")


def vtt(cues: list) -> str:
    """WebVTT from [(start_s, end_s, text), ...]."""
    def ts(s: float) -> str:
        return f"{int(s // 3600):02d}:{int(s % 3600 // 60):02d}:{s % 60:06.3f}"
    lines = ["WEBVTT", ""]
    for i, (a, b, body) in enumerate(cues, 1):
        lines += [str(i), f"{ts(a)} --> {ts(b)}", body, ""]
    return "\n".join(lines)
