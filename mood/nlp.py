"""The spaCy side of the analyser: a rule-based English pipeline and the token cues read from it.

Pretrained spaCy pipelines cannot be downloaded where this runs, so the pipeline is
`spacy.blank("en")` plus rule-based parts: a tokenizer that keeps masked swear words ("f***")
in one piece, and dictionary forms from spacy-lookups-data so that configured
contact verbs match every inflection ("wrote", "writing", "written").
"""

import re
from collections.abc import Callable, Mapping, Sequence, Set
from re import Pattern
from typing import Any, cast

import spacy
from spacy.attrs import IS_PUNCT, IS_SPACE, LEMMA, LOWER, NORM, ORTH
from spacy.language import Language
from spacy.lookups import load_lookups
from spacy.matcher import Matcher
from spacy.strings import StringStore
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from mood.settings import (
    Capitals,
    ConfigError,
    ContactClaims,
    Exclamations,
    Profanity,
)

LEMMATIZER = "cs_lookup_lemmatizer"

# The lookup table gets a few auxiliaries wrong ("does" -> "doe", "'s" -> "have"); phrases such
# as "that's not what I asked" or "doesn't help" need them right to match their variants.
_LEMMA_FIXES: Mapping[str, str] = {"does": "do", "'s": "be", "’s": "be"}

_MARKS = frozenset("!?")
_TOKEN_KEY = [ORTH, NORM, LEMMA]

LEXEME_ATTRIBUTES = frozenset({LOWER, NORM, IS_PUNCT, IS_SPACE})
"""The word attributes the analyser reads (besides the text): token.lower_, token.norm_, and
IS_PUNCT in phrase patterns. spaCy computes about twenty for every word it meets for the first
time (shape, prefix, suffix, like_num, like_url, is_stop...); on text full of new words
(`make score` on a shop's log) the unused ones cost 6-10% of a message's CPU. Any other
attribute of a new word stays unset, so `phrase_pattern` builds patterns on these only."""


# Forms of the auxiliaries written as one norm, so that phrases match contracted and spelt-out
# forms alike ("didn't help" / "did not help", "that's not" / "that is not"); spaCy's norm of the
# contraction's first piece is the base form ("did" of "didn't" -> "do"), of a plain word itself.
_AUXILIARY_NORMS: Mapping[str, str] = {
    **dict.fromkeys(("do", "does", "did"), "do"),
    **dict.fromkeys(("be", "am", "is", "are", "was", "were", "'m", "'re", "'s", "’s"), "be"),
    **dict.fromkeys(("have", "has", "had", "'ve", "’ve"), "have"),
}


class LookupLemmatizer:
    """Sets each token's lemma from its lower-case norm, so capitals and contractions
    ("TOLD", "n't") get the same dictionary form as their plain spelling; auxiliaries get one
    norm whichever way they are written.

    Customers reuse a few thousand words, so each norm's lemma (as a string id) is cached:
    looking strings up per token cost as much as tokenising.
    """

    CACHE_SIZE = 50_000

    def __init__(self) -> None:
        self._table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
        self._ids: dict[int, tuple[int, str]] = {}

    def __call__(self, doc: Doc) -> Doc:
        ids = self._ids
        for token in doc:
            found = ids.get(token.norm)
            if found is None:
                found = self._ids_of(token.norm_, doc.vocab.strings)
            token.lemma = found[0]
            if found[1]:
                token.norm_ = found[1]
        return doc

    def _ids_of(self, norm: str, strings: StringStore) -> tuple[int, str]:
        """The string id of a norm's lemma and the auxiliary's one norm or "" (cached)."""
        if len(self._ids) >= self.CACHE_SIZE:
            self._ids.clear()
        lemma = _LEMMA_FIXES.get(norm) or self._table.get(norm, norm)
        found = (strings.add(lemma), _AUXILIARY_NORMS.get(norm, ""))
        self._ids[strings[norm]] = found
        return found


# No `from __future__ import annotations` in this module: spaCy reads the factory's type hints
# at run time to validate its arguments, and string annotations break that.
@Language.factory(LEMMATIZER)
def _make_lookup_lemmatizer(nlp: Language, name: str) -> LookupLemmatizer:
    """spaCy factory of the component (spaCy builds components by registered name)."""
    return LookupLemmatizer()


def masked_word_pattern(mask_characters: str) -> Pattern[str]:
    """A word of letters and mask characters with at least one of each ("sh*t", "$hit")."""
    masks = re.escape(mask_characters)
    return re.compile(rf"^(?=.*[{masks}])[A-Za-z{masks}]*[A-Za-z][A-Za-z{masks}]*$")


def build_pipeline(profanity: Profanity) -> Language:
    """The blank English pipeline with the project's rule-based components (built once)."""
    nlp = spacy.blank("en")
    vocab: Any = nlp.vocab  # `lex_attr_getters` is public but missing from spaCy's type stub
    vocab.lex_attr_getters = {
        attr: getter for attr, getter in vocab.lex_attr_getters.items() if attr in LEXEME_ATTRIBUTES
    }
    tokenizer = cast(Tokenizer, nlp.tokenizer)  # a blank pipeline has spaCy's rule tokenizer
    # spaCy would split "f***" into "f * * *"; keeping the word whole lets it be recognised.
    tokenizer.token_match = masked_word_pattern(profanity.mask_characters).match
    _add_shouted_contractions(tokenizer)
    nlp.add_pipe(LEMMATIZER)
    return nlp


def doc_maker(nlp: Language) -> Callable[[str], Doc]:
    """`nlp(text)` as a plain function: the tokenizer, then each component in order, without
    `Language.__call__`'s bookkeeping, which cost about a sixth of the pipeline's time."""
    tokenizer = nlp.tokenizer
    components = [component for _, component in nlp.pipeline]

    def make(text: str) -> Doc:
        doc = tokenizer(text)
        for component in components:
            doc = component(doc)
        return doc

    return make


def _add_shouted_contractions(tokenizer: Tokenizer) -> None:
    """Splits "DIDNT" and "DON'T" like "didnt" and "don't": spaCy's exceptions are case-exact
    and lack the all-capital forms, which are just what an angry customer types."""
    for key, pieces in list(tokenizer.rules.items()):
        shouted = key.upper()
        if key != key.lower() or shouted == key or shouted in tokenizer.rules:
            continue
        tokenizer.add_special_case(
            shouted, [{**piece, ORTH: piece[ORTH].upper()} for piece in pieces]
        )


class PhraseFinder:
    """Finds configured phrases word by word, case-insensitive, allowing punctuation between
    the words.

    A spaCy Matcher rather than substring search: "again" does not match "against", and
    "that didn't help" also matches "that did not help" or "That DIDNT help!". Words match on
    their norm (lower case, contractions spelt out), not their dictionary form: by dictionary
    form "I'm done" would also match "I'm doing fine" (done and doing are both "do").
    """

    def __init__(self, nlp: Language, phrases_by_cue: Mapping[str, Sequence[str]]) -> None:
        self._matcher = Matcher(nlp.vocab)
        self._by_first_word: dict[int, set[frozenset[int]]] = {}
        for cue, phrases in phrases_by_cue.items():
            patterns = [phrase_pattern(nlp, cue, phrase) for phrase in phrases]
            self._matcher.add(cue, patterns)
            for pattern in patterns:
                words = [nlp.vocab.strings.add(word) for word in _pattern_words(pattern)]
                self._by_first_word.setdefault(words[0], set()).add(frozenset(words))

    def spans(self, doc: Doc, norms: Set[int]) -> dict[str, list[Span]]:
        """The non-overlapping phrases of each cue found in the text, given its `norms_of`.

        The Matcher costs about as much as the rest of a message's analysis, and most messages
        hold no phrase at all: it runs only when every word of some phrase is in the text.
        """
        by_first_word = self._by_first_word
        firsts = norms & by_first_word.keys()  # one set operation, in C, for the whole text
        if not any(words <= norms for first in firsts for words in by_first_word[first]):
            return {}
        by_cue: dict[str, list[Span]] = {}
        for span in self._matcher(doc, as_spans=True):
            by_cue.setdefault(span.label_, []).append(span)
        return {cue: filter_spans(spans) for cue, spans in by_cue.items()}

    def count(self, doc: Doc, norms: Set[int]) -> dict[str, int]:
        """How many non-overlapping phrases of each cue the text holds, given its `norms_of`."""
        return {cue: len(spans) for cue, spans in self.spans(doc, norms).items()}


TokenKey = tuple[int, int, int]
"""A token's text, norm and lemma as string ids."""


def token_keys(doc: Doc) -> list[TokenKey]:
    """Each token's `TokenKey`, read from the doc once for every finder."""
    return list(map(tuple, doc.to_array(_TOKEN_KEY).tolist()))


def norms_of(keys: Sequence[TokenKey]) -> set[int]:
    """The string ids of the text's word norms (read once for every phrase finder)."""
    return {key[1] for key in keys}


def phrase_pattern(
    nlp: Language, cue: str, phrase: str, attribute: str = "NORM"
) -> list[dict[str, object]]:
    """A Matcher pattern of the phrase's words, any punctuation allowed between them."""
    doc = nlp(phrase)
    words = [token.norm_ if attribute == "NORM" else token.lemma_ for token in doc]
    words = [word for word, token in zip(words, doc, strict=True) if not token.is_punct]
    if not words:
        raise ConfigError(f"the {cue} phrase {phrase!r} has no words")
    pattern: list[dict[str, object]] = []
    for word in words:
        if pattern:
            pattern.append({"IS_PUNCT": True, "OP": "*"})
        pattern.append({attribute: word})
    return pattern


def _pattern_words(pattern: Sequence[Mapping[str, object]]) -> list[str]:
    """The NORM values a pattern of `phrase_pattern` requires."""
    return [str(step["NORM"]) for step in pattern if "NORM" in step]


class ContactClaimFinder:
    """A count ("third time", "twice") within a few words of a contact verb in any inflection
    ("writing", "wrote", "emailed"): the customer says they have been in touch before."""

    def __init__(self, nlp: Language, claims: ContactClaims) -> None:
        self._within = claims.within
        self._phrases = PhraseFinder(nlp, {"count": claims.counts})
        self._verbs = Matcher(nlp.vocab)
        self._verbs.add(
            "contact",
            [phrase_pattern(nlp, "contact", word, "LEMMA") for word in claims.contact_words],
        )

    def claims(self, doc: Doc, norms: Set[int]) -> bool:
        """The text claims earlier contact (given the text's `norms_of`)."""
        counts = self._phrases.spans(doc, norms).get("count", [])
        if not counts:
            return False
        verbs = self._verbs(doc, as_spans=True)
        return any(
            max(count.start - verb.end, verb.start - count.end) < self._within
            for count in counts
            for verb in verbs
        )


class ProfanityFinder:
    """Swear words, written out, inflected or masked."""

    CACHE_SIZE = 50_000

    def __init__(self, profanity: Profanity) -> None:
        self._words = profanity.words
        self._masks = frozenset(profanity.mask_characters)
        self._min_visible = profanity.min_visible_letters
        self._by_length: dict[int, tuple[str, ...]] = {}
        self._cache: dict[tuple[int, ...], str] = {}
        for word in sorted(profanity.words):
            self._by_length[len(word)] = self._by_length.get(len(word), ()) + (word,)

    def find(self, doc: Doc, keys: Sequence[TokenKey]) -> dict[int, str]:
        """Token index -> the swear word it is or hides, given the doc's `token_keys`.

        A token's answer depends only on its text, norm and lemma, so it is cached by their
        string ids: customers reuse a few thousand words.
        """
        found: dict[int, str] = {}
        for i, word in enumerate(map(self._cache.get, keys)):
            if word is None:
                word = self._word_of(doc[i], keys[i])
            if word:
                found[i] = word
        return found

    def _word_of(self, token: Token, key: tuple[int, ...]) -> str:
        """The swear word the token is or hides, or "" (cached)."""
        if len(self._cache) >= self.CACHE_SIZE:
            self._cache.clear()
        if token.norm_ in self._words or token.lemma_ in self._words:
            word = token.norm_
        else:
            word = self._unmask(token.text.lower())
        self._cache[key] = word
        return word

    def _unmask(self, text: str) -> str:
        """The listed word a masked token hides, or "" (each mask character is one letter)."""
        if not any(char in self._masks for char in text):
            return ""
        if sum(char.isalpha() for char in text) < self._min_visible:
            return ""
        for word in self._by_length.get(len(text), ()):
            if all(a == b or a in self._masks for a, b in zip(text, word, strict=False)):
                return word
        return ""


class TokenShapes:
    """Shouting and runs of '!'/'?' read from the tokens' texts.

    What a token adds depends only on its text, so it is cached by the text's string id:
    looking at each token's attributes from Python cost more than the rest of these cues.
    """

    CACHE_SIZE = 50_000

    def __init__(self, rule: Capitals) -> None:
        self._rule = rule
        self._cache: dict[int, tuple[int, int, int]] = {}

    def read(self, doc: Doc, keys: Sequence[TokenKey]) -> tuple[float, int]:
        """The share of shouted letters and the longest run of '!'/'?' marks, given the doc's
        `token_keys`.

        The share is of letters in all-capital words, 0 below the rule's minimum letters or
        share; words with digits (AB12345, RF-7K2Q9A) are not words here, and listed acronyms
        count neither as shouting nor as quiet letters. A run of marks counts however spaCy
        split it ("??!" or "? ? !").
        """
        cache, strings = self._cache, doc.vocab.strings
        shapes = [cache.get(key[0]) or self._shape(key[0], strings[key[0]]) for key in keys]
        total = shouted = longest = run = 0
        for letters, upper, marks in shapes:
            total += letters
            shouted += upper
            run = run + marks if marks else 0
            longest = max(longest, run)
        return self._share(total, shouted), longest

    def _share(self, total: int, shouted: int) -> float:
        """The shouted share, or 0 below the rule's minimum letters or share."""
        rule = self._rule
        if total == 0 or shouted < rule.min_letters:
            return 0.0
        share = shouted / total
        return share if share >= rule.min_share else 0.0

    def _shape(self, orth: int, text: str) -> tuple[int, int, int]:
        """One token text's shape (cached)."""
        if len(self._cache) >= self.CACHE_SIZE:
            self._cache.clear()
        rule = self._rule
        letters = shouted = 0
        if text.isalpha() and len(text) >= rule.min_word_letters:
            if text.upper() not in rule.ignore:
                letters = len(text)
                shouted = letters if text.isupper() else 0
        marks = len(text) if text and all(char in _MARKS for char in text) else 0
        shape = (letters, shouted, marks)
        self._cache[orth] = shape
        return shape


def mark_run_strength(run: int, rule: Exclamations) -> float:
    """0 below the minimum run, then equal steps up to 1 at the full run."""
    if run < rule.min_run:
        return 0.0
    return min(1.0, (run - rule.min_run + 1) / (rule.full_run - rule.min_run + 1))
