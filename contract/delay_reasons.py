"""Why an order is late, in the customer's language (config/delay_reasons.yml).

Shops word delay reasons themselves, in English or in free text (Shopify's fulfilment events):
a Korean reply that pasted the shop's English text in the middle of a Korean sentence read as
broken. The demo shop sends a reason code beside its text; any shop's text that equals a known
reason's English finds the code too. A reason nobody translated is left out of a Korean reply
rather than shown in English, and a reason the shop already wrote in Korean is shown as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from contract.language import KOREAN, detect_language
from settings.yaml_file import Section, read_yaml

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "config" / "delay_reasons.yml"


def _key(text: str) -> str:
    """Shop texts compared without case, outer spaces or a final full stop."""
    return text.strip().rstrip(".").strip().casefold()


@dataclass(frozen=True)
class DelayReasons:
    """Per reason code: the shop's English text and the Korean a customer reads."""

    english: dict[str, str]
    korean: dict[str, str]

    def code_of(self, code: str | None, text: str | None) -> str | None:
        """The known reason code of a shop's code or English text; None when unknown."""
        if code in self.korean:
            return code
        wanted = _key(text or "")
        return next((c for c, en in self.english.items() if _key(en) == wanted), None)

    def in_korean(self, code: str | None, text: str | None) -> str | None:
        """The reason as a Korean customer reads it; None when it cannot be said in Korean."""
        known = self.code_of(code, text)
        if known is not None:
            return self.korean[known]
        if text and detect_language(text) == KOREAN:
            return text.strip()
        return None


def parse_delay_reasons(raw: object, path: Path) -> DelayReasons:
    """Checks the parsed YAML; the first bad key raises ConfigError naming file and key."""
    root = Section(raw, "", path)
    reasons = root.section("reasons")
    english: dict[str, str] = {}
    korean: dict[str, str] = {}
    for code in reasons.keys():
        entry = reasons.section(code)
        english[code] = entry.text("en")
        korean[code] = entry.text("ko")
        entry.finish()
    reasons.finish()
    root.finish()
    return DelayReasons(english=english, korean=korean)


@lru_cache(maxsize=4)
def load_delay_reasons(path: Path = DEFAULT_PATH) -> DelayReasons:
    """config/delay_reasons.yml, read once per process."""
    return parse_delay_reasons(read_yaml(path), path)
