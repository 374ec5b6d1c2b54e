"""Draws static/root/favicon.ico from the mark of static/favicon.svg (run once; no network).

The mark: a rounded square of the portal's blue with a white leaf, on a 32-unit grid. It is
drawn at 8x and scaled down, so the small sizes are smooth.
"""

from pathlib import Path

from PIL import Image, ImageDraw

BLUE = "#1d4e89"
SCALE = 8
OUT = Path(__file__).resolve().parents[1] / "static" / "root" / "favicon.ico"


def mark() -> Image.Image:
    size = 32 * SCALE
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=6 * SCALE, fill=BLUE)
    # The SVG's path M8 8h9a5 5 0 0 1 5 5v11H13a5 5 0 0 1-5-5z: two corners rounded.
    draw.rounded_rectangle(
        (8 * SCALE, 8 * SCALE, 22 * SCALE, 24 * SCALE),
        radius=5 * SCALE,
        fill="white",
        corners=(False, True, False, True),
    )
    return image


if __name__ == "__main__":
    big = mark().resize((48, 48), Image.Resampling.LANCZOS)
    big.save(OUT, format="ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    print(OUT, OUT.stat().st_size, "bytes")
