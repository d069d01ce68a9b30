"""Render stage: figure frames (SVG), Manim videos, and the page templates (render/site)."""
