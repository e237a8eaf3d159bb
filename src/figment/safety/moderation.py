"""Prompt moderation in English and Italian: a lexicon per category, then the intent layer (intent.py:
a request for instructions aimed at weapons, drugs, poisons or a way to die; self-harm described as an
act), then multilingual sentence-embedding similarity to example prompts of each category (catches
paraphrases and the other language). Sexual content involving minors is always refused and no setting
turns it off. Depicting is not instructing: a chemistry class or a drug bust passes, a recipe does not.

Evaluation: bench/data/moderation_eval.tsv, `python -m bench --only moderation` (docs/BENCHMARKS.md).
A trained classifier over the embedding and these rules (classifier.py, train_moderation.py) can decide
past the word list instead (`classifier=True`); production does not use it (USE_CLASSIFIER, docs/BENCHMARKS.md
"Moderation classifier"): on a fresh held-back set it refused too many benign prompts.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
from sqlalchemy.orm import Session

from figment.accounts.models import User
from figment.embeddings import Embedder
from figment.errors import ModerationBlocked
from figment.safety.classifier import SoftmaxModel
from figment.safety.intent import (
    asks_for_instructions,
    asks_how,
    asks_how_to_harm,
    depicts_graphic_violence,
    describes_self_harm,
)

CATEGORIES = (
    "sexual_minors",
    "sexual",
    "violence",
    "hate",
    "self_harm",
    "harassment",
    "dangerous_instructions",
)
# The web client says these in the reader's language from details.category (i18n.js, moderation.category.*):
# a new category needs its label there too, in English and Italian.
LABELS = {
    "sexual_minors": "sexual content involving minors",
    "sexual": "sexual content",
    "violence": "graphic violence",
    "hate": "hate",
    "self_harm": "self-harm",
    "harassment": "harassment",
    "dangerous_instructions": "instructions for weapons, drugs or hurting someone",
}
# Cosine similarity to the nearest example of a category above which the prompt is refused, and by how
# much it must beat the nearest safe example. Chosen on bench/data/moderation_eval.tsv, never on the
# held-back set (precision first: a false refusal is a bad first experience).
SIMILARITY_THRESHOLD = 0.42
SAFE_MARGIN = 0.07
# Instruction examples share their frame ("how to make ...", "step by step") with every harmless how-to,
# so the embedding needs more to go on there; the intent layer is what refuses most of them.
CATEGORY_THRESHOLD = {"dangerous_instructions": 0.52}
# A prompt that asks how (and not how to quit, treat or survive) is refused as instructions when it is this
# close to a harmful target phrase (data/moderation_targets.json): the topic, not the wording of a rule.
TARGET_THRESHOLD = 0.45
VERDICT_CACHE = 1024

_W = r"(?<![\w])"  # word start
_LEXICON: dict[str, list[str]] = {
    "sexual": [
        r"porn\w*",
        r"nud[eio]\w*",
        r"naked",
        r"sex\b",
        r"sexual\w*",
        r"sesso",
        r"erotic\w*",
        r"erotic[oa]",
        r"strip(?:tease|per)",
        r"spogliarello",
        r"genitals?",
        r"genitali",
        r"lingerie",
        r"topless",
        r"orgasm\w*",
        r"fuck\w*",
        r"scopa(?:re|no|ndo)",
        r"nsfw",
        r"hentai",
        r"blowjob",
        r"pompino",
        r"tette",
        r"boobs?",
    ],
    "minor": [
        r"child\w*",
        r"kids?",
        r"little (?:girl|boy)s?",
        r"minors?",
        r"under ?age\w*",
        r"teen\w*",
        r"schoolgirls?",
        r"bambin[aoie]",
        r"ragazzin[aoie]",
        r"minorenn[ei]",
        r"scolar[ae]",
        r"\d{1,2}[- ]?(?:years?[- ]old|anni)",
        r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
        r"|seventeen)[- ]years?[- ]old",
        r"(?:undic|dodic|tredic|quattordic|quindic|sedic|diciassett)enn[ei]",
        r"di (?:due|tre|quattro|cinque|sei|sette|otto|nove|dieci|undici|dodici|tredici|quattordici|quindici|sedici"
        r"|diciassette) anni",
    ],
    "violence": [
        r"gore",
        r"behead\w*",
        r"decapit\w*",
        r"dismember\w*",
        r"smembra\w*",
        r"mutilat\w*",
        r"disembowel\w*",
        r"sventra\w*",
        r"blood(?:bath| everywhere| spurting)",
        r"sangue ovunque",
        r"massacre\w*",
        r"massacr[oa]\w*",
        r"execution[- ]style",
        r"torture\w*",
        r"tortura\w*",
        r"stabb(?:ing|ed) \w+ to death",
    ],
    "hate": [
        r"white (?:power|supremac\w*)",
        r"supremazia bianca",
        r"subhumans?",
        r"subuman[ie]",
        r"untermensch",
        r"(?:exterminate|gas) (?:the )?(?:jews|muslims|gays|immigrants|blacks)",
        r"sterminare",
        r"nazi salute",
        r"saluto romano",
        r"n[i1]gg\w*",
        r"faggots?",
        r"froci\w*",
        r"negr[oi]\b",
        r"heil hitler",
    ],
    "self_harm": [
        r"suicid\w*",
        r"kill (?:myself|yourself|himself|herself|themselves)",
        r"uccider(?:mi|ti|si)",
        r"cut(?:ting)? (?:my|their|his|her) wrists?",
        r"tagli\w* (?:i )?polsi",
        r"self[- ]harm\w*",
        r"autolesion\w*",
        r"hang(?:ing)? (?:myself|themselves|himself|herself)",
        r"impicca\w*",
        r"pro[- ]ana",
        r"thinspo\w*",
    ],
    "harassment": [
        r"humiliat\w*",
        r"umilia\w*",
        r"bull(?:y|ied|ying)",
        r"bullizz\w*",
        r"doxx?\w*",
        r"whores?",
        r"puttan\w*",
        r"sluts?",
        r"troia",
        r"threaten \w+",
        r"minaccia(?:re)? \w+",
        r"revenge porn",
    ],
}
_PATTERNS = {name: re.compile(_W + "(?:" + "|".join(words) + ")", re.IGNORECASE) for name, words in _LEXICON.items()}


@dataclass(frozen=True)
class Verdict:
    category: str | None
    source: str | None  # "lexicon", "intent", "embedding" or "classifier"
    score: float = 0.0

    @property
    def blocked(self) -> bool:
        return self.category is not None


def normalise(prompt: str) -> str:
    # NFKC folds full-width and stylised letters; accents are kept (Italian needs them to read right).
    text = unicodedata.normalize("NFKC", prompt).casefold()
    return re.sub(r"[_*.\-]{1,3}(?=\w)", "", text) if re.search(r"\w[_*.]\w", text) else text


def _lexicon(text: str) -> str | None:
    hits = {name for name, pattern in _PATTERNS.items() if pattern.search(text)}
    if "sexual" in hits and "minor" in hits:
        return "sexual_minors"
    for category in CATEGORIES[1:]:
        if category in hits:
            return category
    return None


# Prefix of the bank rows that are target phrases (what instructions must not be for), not examples.
TARGET = "target:"


# Not a category: benign prompts that sit near harmful examples. The embedding matcher refuses only when
# the nearest harmful example beats the nearest of these by SAFE_MARGIN.
SAFE = "_safe"


@cache
def examples() -> dict[str, list[str]]:
    data = resources.files("figment.safety").joinpath("data/moderation_examples.json").read_text("utf-8")
    loaded: dict[str, list[str]] = json.loads(data)
    safe = resources.files("figment.safety").joinpath("data/moderation_safe_examples.json").read_text("utf-8")
    loaded[SAFE] = list(json.loads(safe)["safe"])
    targets = resources.files("figment.safety").joinpath("data/moderation_targets.json").read_text("utf-8")
    for name, phrases in json.loads(targets).items():
        if not name.startswith("_"):
            loaded[TARGET + name] = list(phrases)
    return loaded


# Columns of Moderator.features: the embedding, the nearest example of each bank, then 0/1 rule signals.
BANK_GROUPS = (*CATEGORIES, SAFE, TARGET + "dangerous_instructions", TARGET + "self_harm")
FEATURES = (
    *(f"embedding_{i}" for i in range(512)),
    *(f"nearest_{name}" for name in BANK_GROUPS),
    *(f"lexicon_{name}" for name in _LEXICON),
    *(f"asks_for_instructions_{name}" for name in CATEGORIES),
    "describes_self_harm",
    "depicts_graphic_violence",
    "asks_how",
    "asks_how_to_harm",
    *(f"rules_{name}" for name in CATEGORIES),
)
CLASSIFIER_FILE = "data/moderation_classifier.json"
# Whether production decides past the word list with the classifier (decided on a fresh held-back set).
USE_CLASSIFIER = False


@cache
def classifier_model() -> SoftmaxModel | None:
    path = resources.files("figment.safety").joinpath(CLASSIFIER_FILE)
    return SoftmaxModel.from_json(path.read_text("utf-8")) if path.is_file() else None


class Moderator:
    def __init__(
        self, *, embedder: Embedder, threshold: float = SIMILARITY_THRESHOLD, classifier: bool = USE_CLASSIFIER
    ) -> None:
        # The app's one embedder (services.build_services): moderation holds no model of its own.
        self.embedder = embedder
        self.threshold = threshold
        # The classifier decides past the word list when asked for and trained on this embedder's vectors.
        self.use_classifier = classifier
        self._group_index: dict[str, np.ndarray] | None = None
        self._bank: tuple[np.ndarray, list[str], np.ndarray, np.ndarray] | None = None
        self._verdicts: dict[str, Verdict] = {}

    def _examples(self) -> tuple[np.ndarray, list[str], np.ndarray, np.ndarray]:
        if self._bank is None:
            names = [name for name, texts in examples().items() for _ in texts]
            texts = [text for group in examples().values() for text in group]
            safe = np.array([name == SAFE for name in names])
            target = np.array([name.startswith(TARGET) for name in names])
            self._bank = (self.embedder.embed(texts), names, safe, target)
        return self._bank

    def classify(self, prompt: str) -> Verdict:
        # The same prompt is checked at submit and again before render: the second time is free.
        cached = self._verdicts.get(prompt)
        if cached is not None:
            return cached
        verdict = self._classify(prompt)
        if len(self._verdicts) >= VERDICT_CACHE:
            self._verdicts.pop(next(iter(self._verdicts)))
        self._verdicts[prompt] = verdict
        return verdict

    def _classify(self, prompt: str) -> Verdict:
        text = normalise(prompt)
        category = _lexicon(text)
        if category is not None:  # the word list is a hard floor whichever layer decides the rest
            return Verdict(category, "lexicon", 1.0)
        model = self._classifier()
        if model is None:
            return self._rules(text, None)
        vector = self.embedder.embed([text])[0]
        x = self._features(text, vector)[None, :]
        proba = model.proba(x)[0]
        harm = 1.0 - float(proba[model.classes.index("safe")])
        if harm < model.threshold:
            return Verdict(None, None, harm)
        harmful = [(float(p), name) for p, name in zip(proba, model.classes, strict=True) if name != "safe"]
        category = max(harmful)[1]
        if category == "sexual" and _PATTERNS["minor"].search(text):
            category = "sexual_minors"
        return Verdict(category, "classifier", harm)

    def _classifier(self) -> SoftmaxModel | None:
        if not self.use_classifier:
            return None
        model = classifier_model()
        return model if model is not None and model.embedder == self.embedder.name else None

    def _rules(self, text: str, vector: np.ndarray | None) -> Verdict:
        """The word list, the intent layer, then nearest examples: production when no classifier is used,
        and the classifier's inputs otherwise. `vector` is the embedding of `text` when already known."""
        category = _lexicon(text)
        if category is not None:
            return Verdict(category, "lexicon", 1.0)
        category = asks_for_instructions(text)
        if category is None and describes_self_harm(text):
            category = "self_harm"
        if category is None and depicts_graphic_violence(text):
            category = "violence"
        if category is not None:
            return Verdict(category, "intent", 1.0)
        bank, names, safe, target = self._examples()
        similarity = bank @ (self.embedder.embed([text])[0] if vector is None else vector)
        if asks_how_to_harm(text):
            nearest = int(np.argmax(np.where(target, similarity, -1.0)))
            if similarity[nearest] >= TARGET_THRESHOLD:
                return Verdict(names[nearest].removeprefix(TARGET), "intent", float(similarity[nearest]))
        nearest_safe = float(similarity[safe].max())
        similarity[safe | target] = -1.0
        best = int(np.argmax(similarity))
        score = float(similarity[best])
        category = names[best]
        threshold = max(self.threshold, CATEGORY_THRESHOLD.get(category, 0.0))
        if score < threshold or score < nearest_safe + SAFE_MARGIN:
            return Verdict(None, None, score)
        # Instruction examples stand for asking how; a prompt that asks nothing only depicts.
        if category == "dangerous_instructions" and not asks_how(text):
            return Verdict(None, None, score)
        # An embedding match for sexual content plus any word for a minor is the worst category.
        if category == "sexual" and _PATTERNS["minor"].search(text):
            category = "sexual_minors"
        return Verdict(category, "embedding", score)

    def features(self, prompts: list[str]) -> np.ndarray:
        """The classifier's inputs, one row per prompt (FEATURES names the columns)."""
        texts = [normalise(prompt) for prompt in prompts]
        vectors = self.embedder.embed(texts)
        return np.stack([self._features(text, vector) for text, vector in zip(texts, vectors, strict=True)])

    def _features(self, text: str, vector: np.ndarray) -> np.ndarray:
        bank, names, _safe, _target = self._examples()
        similarity = bank @ vector
        groups = self._groups()
        nearest = [float(similarity[groups[name]].max()) for name in BANK_GROUPS]
        lexicon = {name for name, pattern in _PATTERNS.items() if pattern.search(text)}
        asked = asks_for_instructions(text)
        rules = self._rules(text, vector)
        flags = [
            *(name in lexicon for name in _LEXICON),
            *(asked == category for category in CATEGORIES),
            describes_self_harm(text),
            depicts_graphic_violence(text),
            asks_how(text),
            asks_how_to_harm(text),
            *(rules.category == category for category in CATEGORIES),
        ]
        return np.concatenate([np.asarray(vector, dtype=np.float64), nearest, np.asarray(flags, dtype=np.float64)])

    def _groups(self) -> dict[str, np.ndarray]:
        if self._group_index is None:
            _bank, names, _safe, _target = self._examples()
            labels = np.array(names)
            self._group_index = {name: labels == name for name in BANK_GROUPS}
        return self._group_index

    def check(self, _session: Session, _author: User, prompt: str) -> None:
        """The PromptCheck registered in services: refuses naming the category."""
        verdict = self.classify(prompt)
        if verdict.category is not None:
            raise ModerationBlocked(
                f"This prompt was refused: it asks for {LABELS[verdict.category]}.",
                details={"category": verdict.category},
            )
