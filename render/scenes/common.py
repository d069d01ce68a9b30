"""Shared visual pieces for every Manim scene: palette, fonts, reading the scene's data, labelled dots.

Scenes never compute the model: they read the JSON file named by $SCENE_DATA (written by render/video.py
from the data bundle)."""
from __future__ import annotations

import json
import os

from manim import DOWN, UP, Dot, Text, VGroup, config

FONT = "DejaVu Sans"
BG = "#141417"        # matches the site's dark figure background
FG = "#ececf0"
MUTED = "#a0a0aa"
ACCENT = "#ffc23d"
PALETTE = ["#5aa9e6", "#f08a4b", "#5fcf6f", "#ec6fa0", "#a88bf0", "#d2b04a", "#3cc6c8", "#a3adbb"]

config.background_color = BG


def scene_data() -> dict:
    """The figure's data, as extracted from the trained model."""
    with open(os.environ["SCENE_DATA"]) as fh:
        return json.load(fh)


def label(body: str, size: float = 24, color: str = FG) -> Text:
    return Text(body, font=FONT, font_size=size, color=color)


def labelled_dot(point, word: str, color: str, size: float = 22, below: bool = False) -> VGroup:
    dot = Dot(point, radius=0.07, color=color)
    text = label(word, size, color).next_to(dot, DOWN if below else UP, buff=0.12)
    return VGroup(dot, text)


def fit_points(points: list[list[float]], width: float = 9.0, height: float = 5.0) -> list:
    """Scale 2-D data coordinates into the frame, keeping the aspect ratio (no distortion of geometry)."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    span = max((max(xs) - min(xs)) / width, (max(ys) - min(ys)) / height, 1e-9)
    return [[(x - cx) / span, (y - cy) / span, 0.0] for x, y in points]
