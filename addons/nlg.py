"""Replies in the conversation's language: Korean wording from config/responses_ko.yml when the
`language` slot is `ko`, the domain's English responses otherwise.

Loaded by the Rasa server from endpoints.yml (`nlg: type: addons.nlg.LanguageAwareNLG`); every
response goes through it, those the dialogue predicts and those the action server names
(`dispatcher.utter_message(response=...)`). The Korean file has the domain's shape (variations,
`condition` on slots such as frustration_level, buttons, {placeholders}), so Rasa's own
TemplatedNaturalLanguageGenerator picks and fills the variation in both languages.

Why not conditional variations in domain/ (`condition: slot language = ko`)? They would put a
second language into every English response of the domain, which other people edit every day;
and a Korean variation without a frustration condition would lose to an English one with it
(Rasa prefers any matching conditional variation), so each response would need every
combination written out. A response missing from the Korean file is answered in English
rather than not at all (tests/addons/test_nlg.py checks none is missing).
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from contract.language import ENGLISH, LANGUAGE_SLOT
from contract.wording import (
    DEFAULT_FILES,
    PROJECT_ROOT,
    fix_particles,
    korean_values,
    load_responses,
)

logger = logging.getLogger(__name__)


class LanguageAwareNLG(TemplatedNaturalLanguageGenerator):
    """The domain's responses in English; other languages' files by the `language` slot.

    A TemplatedNaturalLanguageGenerator itself: the Rasa server builds the NLG before it loads
    a model and then hands the model's domain responses only to generators of that class
    (rasa/core/agent.py), so the English responses live in `self.responses` as Rasa sets them.
    """

    def __init__(
        self, endpoint_config: EndpointConfig | None = None, domain: Domain | None = None
    ) -> None:
        """Reads each language's file (endpoints.yml may name others under `files`)."""
        super().__init__((domain or Domain.empty()).responses)
        files = dict(DEFAULT_FILES)
        if endpoint_config is not None:
            files.update((endpoint_config.kwargs or {}).get("files") or {})
        self.languages = {
            language: TemplatedNaturalLanguageGenerator(load_responses(PROJECT_ROOT / name))
            for language, name in files.items()
        }

    def generator_for(
        self, utter_action: str, language: str | None
    ) -> TemplatedNaturalLanguageGenerator | None:
        """The generator holding `utter_action` in `language`; None for the domain's English."""
        generator = self.languages.get(language or ENGLISH)
        if generator is not None and utter_action in generator.responses:
            return generator
        if generator is not None:
            logger.warning("no %s wording for %s: answered in English", language, utter_action)
        return None

    async def generate(
        self,
        utter_action: str,
        tracker: DialogueStateTracker,
        output_channel: str,
        **kwargs: Any,
    ) -> dict[str, Any] | None:
        """The response in the conversation's language."""
        language = tracker.get_slot(LANGUAGE_SLOT) if LANGUAGE_SLOT in tracker.slots else None
        generator = self.generator_for(utter_action, language)
        if generator is None:
            english: dict[str, Any] | None = await super().generate(
                utter_action, tracker, output_channel, **kwargs
            )
            return english
        response: dict[str, Any] | None = await generator.generate(
            utter_action, tracker, output_channel, **korean_values(kwargs)
        )
        if response is not None and isinstance(response.get("text"), str):
            response["text"] = fix_particles(response["text"])
        return response
