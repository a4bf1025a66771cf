"""The desk's "new ticket" chime: a short WAV the desk makes itself, so no file or CDN is needed.

Two soft tones (0.3 s in all), made once with the standard library's `wave` module and
served at /sounds/new-ticket.wav; the queue page plays it only when the agent turned the
sound on (static/alerts.js).
"""

from __future__ import annotations

import io
import math
import struct
import wave
from functools import lru_cache

from flask import Blueprint, Response

bp = Blueprint("sound", __name__)

RATE = 16_000
TONES = ((880.0, 0.14), (660.0, 0.16))  # Hz, seconds
VOLUME = 0.35
FADE_S = 0.02  # ramps at each tone's ends, so the speaker does not click


def _tone(frequency: float, seconds: float) -> list[int]:
    count = int(RATE * seconds)
    fade = int(RATE * FADE_S)
    samples = []
    for n in range(count):
        ramp = min(1.0, n / fade, (count - n) / fade)
        samples.append(int(32767 * VOLUME * ramp * math.sin(2 * math.pi * frequency * n / RATE)))
    return samples


@lru_cache(maxsize=1)
def chime_wav() -> bytes:
    """The chime as a mono 16-bit WAV file."""
    samples = [s for frequency, seconds in TONES for s in _tone(frequency, seconds)]
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(struct.pack(f"<{len(samples)}h", *samples))
    return buffer.getvalue()


@bp.get("/sounds/new-ticket.wav")
def new_ticket_sound() -> Response:
    """Public like the stylesheet: it says nothing about tickets."""
    response = Response(chime_wav(), mimetype="audio/wav")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
