"""Social cards: 1200x630 PNGs drawn from a figure (poster, or an SVG frame through svgraster)."""
from __future__ import annotations

import io

from PIL import Image

from render.site import socialcard, svgraster

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50" width="100" height="50">'
       '<style>.bg{fill:#ffffff}.c0{fill:#1f77b4}@media (prefers-color-scheme:dark){.c0{fill:#000000}}</style>'
       '<rect class="bg" width="100" height="50"/><g transform="translate(10,0)"><circle cx="15" cy="25" r="10" '
       'class="c0"/></g><circle cx="80" cy="25" r="10" fill="transparent"/><line x1="0" y1="49" x2="100" y2="49" '
       'stroke="#ff0000" stroke-width="2"/><path d="M50 5L60 5" stroke="#00ff00"/><text x="50" y="40" '
       'font-size="8" text-anchor="middle">hi</text></svg>')


def test_svgraster_draws_shapes_with_the_light_palette():
    img = svgraster.rasterize(SVG, 200)
    assert img.size == (200, 100)
    assert img.getpixel((50, 50)) == (31, 119, 180)       # translated circle, class colour (light palette)
    assert img.getpixel((160, 50)) == (255, 255, 255)     # transparent hit circle not drawn
    assert img.getpixel((100, 98))[0] > 200                # the red line
    assert svgraster.rasterize("<svg", 100) is None


def test_cards_from_svg_poster_and_text(tmp_path):
    frame = tmp_path / "f.svg"
    frame.write_text(SVG)
    poster = tmp_path / "p.jpg"
    Image.new("RGB", (640, 360), (200, 60, 20)).save(poster)
    for source in (frame, poster, None):
        png = socialcard.render("A title", "Site", socialcard.load(source))
        with Image.open(io.BytesIO(png)) as card:
            assert card.size == (1200, 630) and card.format == "PNG"
    assert socialcard.cached(tmp_path, "T", "S", frame) == socialcard.cached(tmp_path, "T", "S", frame)
    assert len(list((tmp_path / "site-cards").iterdir())) == 1
