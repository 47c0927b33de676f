"""Does a question need the conversation's topic? Only general Danish grammar and word classes.

A question is read with the topic when it refers back to it (a pronoun standing for it: "Hvad
koster det?", "sagen", "dem"), or when it names no topic of its own: an ellipsis ("Og i 2024?",
"Hvad med Økonomiudvalget?") or only question words, function words, generic verbs ("koste",
"beslutte", "stemme") and aspects every case has ("prisen", "tidsplanen"). A question with a
content word the topic does not have ("Hvornår åbner den nye svømmehal?") starts fresh:
"den nye svømmehal" is an article before a noun phrase, not a pronoun.

Words are compared as Danish Snowball stems, the index's own stemmer, without its compound
halves: a new compound sharing a half with the topic ("skolebibliotek" after "skolerne") is a
new topic. Misreading a new topic as a follow-up answers the old case; reading a follow-up that
names its subject as fresh still retrieves that subject, so doubt goes to "fresh".
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.sentence_choice import QUESTION_STEMS
from danish.analyzer import DanishAnalyzer
from danish.committees import BODY_NAME
from danish.dates import MONTH_NAMES

_TOKEN = re.compile(r"\w+|[^\w\s]")
_YEAR = re.compile(r"^\d+$")

# pronouns that always stand for something said before
PRONOUNS = {
    "dem", "dens", "dets", "deres", "han", "hun", "ham", "hende", "hans", "hendes",
    "deraf", "derom", "dertil", "derefter", "dermed", "derved", "heraf", "herom", "hertil",
}  # fmt: skip
# "den", "det", "de": pronouns, unless an article before an adjective and a noun
ARTICLE_PRONOUNS = {"den", "det", "de"}
DEMONSTRATIVES = {"denne", "dette", "disse"}
# generic case nouns in the definite form: "sagen" is the case discussed, unless specified
# by what follows ("forslaget om en ny svømmehal")
CASE_NOUNS = {
    "sagen", "sagerne", "beslutningen", "beslutningerne", "forslaget", "forslagene",
    "projektet", "projekterne", "ordningen", "tiltaget", "tiltagene", "planen", "planerne",
    "aftalen", "indstillingen", "punktet", "emnet", "bevillingen", "arbejdet", "byggeriet",
    "initiativet", "ændringen", "ændringerne", "afgørelsen",
}  # fmt: skip
TIME_NOUNS = {
    "år", "uge", "måned", "periode", "valgperiode", "budgetår", "kvartal", "halvår", "forår",
    "sommer", "efterår", "vinter", "gang",
}  # fmt: skip
PREPOSITIONS = {
    "af", "for", "fra", "i", "med", "mod", "imod", "om", "omkring", "over", "på", "til", "under",
    "ved", "efter", "før", "mellem", "uden", "vedrørende", "angående", "hos", "blandt", "inden",
}  # fmt: skip
# words that end a noun phrase: "den" before one of them is a pronoun ("Hvornår blev det
# besluttet?" has a participle, handled as any non-adjective)
FUNCTION_WORDS = PREPOSITIONS | {
    "og", "eller", "men", "at", "som", "der", "her", "så", "da", "nu", "også", "ikke", "aldrig",
    "allerede", "endnu", "stadig", "igen", "egentlig", "faktisk", "først", "sidst", "senere",
    "være", "været", "blive", "blevet", "have", "haft", "kan", "kunne", "skal", "skulle",
    "vil", "ville", "må", "måtte", "er", "var", "bliver", "blev", "har", "havde", "hvad",
    "hvem", "hvor", "hvornår", "hvorfor", "hvordan", "hvis", "når", "fordi", "selv", "jo",
    "vel", "sammen", "ud", "ind", "op", "ned", "hen", "frem", "tilbage",
}  # fmt: skip
# idioms where "det" is a dummy subject: "hvordan går det med …", "står det til med …"
_DUMMY_VERBS = {"går", "gik", "gået", "står", "stod", "ser", "så"}

# words that name no topic: question words, generic verbs of municipal decisions, actors
# every case has, aspects every case has, amounts, time words, vague adjectives
GENERIC_WORDS = """
hvad hvem hvornår hvor hvordan hvorfor hvilken hvilket hvilke hvorledes
koste koster kostede kostet beslutte beslutter besluttede besluttet vedtage vedtager vedtog
vedtaget godkende godkender godkendte godkendt behandle behandler behandlede behandlet sige siger
sagde sagt mene mener mente ment stemme stemmer stemte stemt foreslå foreslår foreslog foreslået
anbefale anbefaler anbefalede anbefalet afvise afviser afviste afvist træffe træffer traf truffet
ske sker skete sket gå går gik gået komme kommer kom kommet få får fik fået give giver gav givet
betyde betyder betød betydet blive bliver blev blevet gøre gør gjorde gjort ende ender endte endt
svare svarer svarede svaret handle handler handlede stå står stod stået se ser så set indstille
indstiller indstillede drøfte drøfter drøftede drøftet afgøre afgør afgjorde afgjort
mene sagens vide ved vidste
imod enstemmig enstemmigt flertal flertallet mindretal afstemning afstemningen
kommune kommunen kommunens borgmester borgmesteren forvaltning forvaltningen administrationen
direktionen politikerne partierne byråd byrådet magistraten borgerrepræsentationen
sag sagen beslutning beslutningen forslag forslaget projekt projektet ordning ordningen
tiltag tiltaget plan planen aftale aftalen indstilling indstillingen punkt punktet emne emnet
bevilling bevillingen arbejde arbejdet byggeri byggeriet initiativ initiativet ændring ændringen
afgørelse afgørelsen
pris prisen udgift udgiften udgifter udgifterne beløb beløbet økonomi økonomien finansiering
finansieringen tidsplan tidsplanen baggrund baggrunden begrundelse begrundelsen konsekvens
konsekvensen konsekvenser konsekvenserne frist fristen tidspunkt tidspunktet dato datoen
formål formålet resultat resultatet status udfald udfaldet skridt
meget mange penge kroner kr mio millioner mia milliarder procent pct antal antallet
år året måned måneden uge ugen dag dagen periode perioden forår foråret sommer sommeren efterår
efteråret vinter vinteren fjor sidste næste forrige nuværende tidligere senere dengang
ny nye nyt gammel gamle gammelt stor store stort samlet samlede endelig endelige endeligt hele
første anden andet andre flere færdig færdige færdigt præcis præcist cirka ca lige bare mere
mindre egentlig oprindelig oprindeligt
socialdemokratiet venstre konservative sf enhedslisten radikale folkeparti alternativet
moderaterne danmarksdemokraterne liberal alliance
""".split()  # noqa: SIM905 - a word list reads better as text
GENERIC_WORDS += MONTH_NAMES

_analyzer: DanishAnalyzer | None = None


def _stems(words: list[str]) -> set[str]:
    global _analyzer
    if _analyzer is None:
        _analyzer = DanishAnalyzer()
    return {stem for w in words for stem in _analyzer(w)}


@lru_cache(maxsize=1)
def _generic_stems() -> frozenset[str]:
    return frozenset(_stems(GENERIC_WORDS) | QUESTION_STEMS)


def _words(text: str) -> list[str]:
    """Lower-cased words and punctuation marks, bodies' names taken out."""
    return [t.lower() for t in _TOKEN.findall(BODY_NAME.sub(" ", text))]


def content_stems(text: str) -> set[str]:
    """Stems of the words that could name a topic."""
    words = [w for w in _words(text) if w[0].isalnum() and not _YEAR.match(w)]
    generic = _generic_stems()
    return {s for s in _stems(words) if s not in generic}


def _is_word(token: str | None) -> bool:
    return token is not None and token[0].isalnum()


def _is_article(tokens: list[str], i: int) -> bool:
    """Is "den"/"det"/"de" at `i` an article: followed by a weak adjective ("nye", "samlede")
    or a number and then a noun, or "de" after a preposition ("for de ældre": a pronoun there
    would be "dem")?"""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    after = tokens[i + 2] if i + 2 < len(tokens) else None
    if tokens[i] == "de" and i > 0 and tokens[i - 1] in PREPOSITIONS:
        return True
    if not _is_word(nxt) or nxt in FUNCTION_WORDS:
        return False
    adjective = nxt.endswith("e") or nxt.isdigit()
    return adjective and _is_word(after) and after not in FUNCTION_WORDS


def _is_dummy_det(tokens: list[str], i: int) -> bool:
    """Is "det" at `i` a dummy subject: "det at bygge", "det muligt, at", "det, der", "går det
    med"?"""
    if tokens[i] != "det":
        return False
    following = [t for t in tokens[i + 1 : i + 4] if t != ","]
    if following[:1] in (["at"], ["der"], ["som"]) or following[1:2] == ["at"]:
        return following[:2] != ["til", "at"]
    prev = tokens[i - 1] if i > 0 else ""
    return prev in _DUMMY_VERBS and following[:1] in (["med"], ["ud"], ["til"])


def refers_back(question: str) -> bool:
    """Does the question use a pronoun or a generic case noun standing for something said
    before?"""
    tokens = _words(question)
    for i, token in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if token in PRONOUNS:
            return True
        if token in ARTICLE_PRONOUNS and not (_is_article(tokens, i) or _is_dummy_det(tokens, i)):
            return True
        if token in DEMONSTRATIVES and nxt not in TIME_NOUNS:
            return True
        if token in CASE_NOUNS and nxt not in PREPOSITIONS:
            return True
    return False


def needs_context(question: str, topic: str) -> bool:
    """Should `question` be read with the conversation's `topic` (its earlier questions and
    answers)? Yes when it refers back or names nothing the topic does not already hold."""
    return refers_back(question) or not (content_stems(question) - content_stems(topic))
