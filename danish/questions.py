"""Danish questions: what kind of answer a question asks for, and the words that tell whether
it leans on the conversation before it.

**Question kinds.** The kind shapes the answer (who → the person or body with its role,
why → the reason given, outcome/status → the case's latest treatment) and what an answer must
contain to count as one (an amount for "hvad kostede", a date for "hvornår"). Only general
Danish phrasing is used here, never the words of particular questions.

**Follow-up cues.** The word classes `assistant.follow_up` reads a question with (pronouns,
generic case nouns, function words, words that name no topic); whether a question is a
follow-up is decided there.
"""

from __future__ import annotations

import re

from danish.dates import MONTH_NAME_PATTERN, MONTH_NAMES

# stems of question words and generic verbs: they ask, they name no topic
QUESTION_STEMS = {
    "hvad", "hvem", "hvorn", "hvor", "hvordan", "hvorfor", "hvilk", "hvilket", "kommun",
    "kan", "må", "skal", "fik", "får", "gør", "blev", "bliv", "sket", "beslut", "vedtag",
    "godkend", "besluttet", "vedtaget", "godkendt", "beslutted", "vedtog", "afgjord", "afgjort",
    # cues for the kind of answer (an amount, a number): they choose sentences, not topics
    "kost", "kosted", "peng", "mang", "læng",
}  # fmt: skip

WHO = re.compile(r"\bhvem\b|\bhvilke[nt]? (?:person|politiker|firma|virksomhed|leverandør|"
                 r"udvalg|myndighed|rådgiver)\w*", re.IGNORECASE)  # fmt: skip
WHY = re.compile(
    r"\bhvorfor\b|\bhvordan kan det være\b|\bhvad (?:var|er) (?:grunden|årsagen|begrundelsen)\b|"
    r"\bhvad skyldes\b|\bmed hvilken begrundelse\b",
    re.IGNORECASE,
)
OUTCOME = re.compile(
    r"\bhvad kom der ud af\b|\bhvordan (?:endte|gik)\b|\bhvad blev (?:resultatet|udfaldet)\b|"
    r"\bresultat(?:et)? af\b|\bendte det\b",
    re.IGNORECASE,
)
STATUS = re.compile(
    r"\bhvor langt\b|\bhvordan står det til\b|\bstatus\b|\bendnu\b|\bstadig\b|\bfortsat\b|"
    r"\ber (?:det|sagen) (?:afgjort|besluttet)\b|\bhvor står\b",
    re.IGNORECASE,
)
COST = re.compile(
    r"\b(kost\w*|pris\w*|beløb\w*|hvor meget|udgift\w*|bevilling\w*|penge|tilskud\w*|kroner|"
    r"løn\w*|dyrere|billigere)\b",
    re.IGNORECASE,
)
COUNT = re.compile(
    r"\bhvor (?:mange|stor|lang|længe|høj|lav)\b|\bantal(?:let)?\b|\b\w*procent\w*\b", re.I
)
DATE = re.compile(
    r"\b(hvornår|dato|hvilken (?:dag|uge|måned|ugedag)|hvilket år|tidspunkt|frist)\b", re.I
)
# what was decided: "besluttede", "vedtaget", and yes/no questions, which Danish opens with the
# verb ("Blev …?", "Må kommunen …?", "Skal …?"): on a case, the decision answers them
DECISION = re.compile(
    r"\b(beslut\w*|vedt\w*|godkend\w*|afgør\w*)\b|"
    r"^\s*(blev|bliver|må|skal|kan|får|fik|har|havde|er|var|står|vil|kommer|fortsætter)\b",
    re.IGNORECASE,
)

# what an answer of each kind holds
AMOUNT = re.compile(
    r"\d[\d.,]*\s*(?:kr\.?|kroner|mio\.?|mia\.?|millioner|milliarder|procent|pct\.?|%)", re.I
)
_MONTH = "(?:" + MONTH_NAME_PATTERN + ")"
_WEEKDAY = r"\b(?:man|tirs|ons|tors|fre|lør|søn)dag\w*\b"
# a count: a number that is not a year or a day of a date ("84 tilmeldte", "16 %", "tre …")
COUNT_VALUE = re.compile(
    rf"(?<![\d.,])(?!(?:19|20)\d{{2}}\b)\d[\d.,]*(?!\.?\s*{_MONTH}\b)(?![\d.,]*\d)|"
    r"\b(?:to|tre|fire|fem|seks|syv|otte|ni|ti|elleve|tolv|tyve|hundrede|tusind)\b",
    re.IGNORECASE,
)
WEEKDAY = re.compile(_WEEKDAY, re.IGNORECASE)
WEEKDAY_CUE = re.compile(r"\bhvilk(?:en|e) (?:uge)?dag(?:e)?\b|\bugedag\w*\b", re.IGNORECASE)
DATE_VALUE = re.compile(
    rf"\b\d{{1,2}}\.\s*{_MONTH}|\b\d{{1,2}}[-./]\d{{1,2}}[-./]\d{{2,4}}\b|\b(?:19|20)\d{{2}}\b|"
    rf"\buge \d{{1,2}}\b|\b{_MONTH}\b|{_WEEKDAY}",
    re.IGNORECASE,
)
# a person ("Eva Steensig", "Torben Hoffman (V)"), a role or a body
PERSON = re.compile(r"\b[A-ZÆØÅ][a-zæøå]+(?:[- ][A-ZÆØÅ][a-zæøå]+)+\b")
PARTY = re.compile(r"\([A-ZÆØÅ]{1,2}\)")
ROLE = re.compile(
    r"\b(formand\w*|næstformand\w*|borgmester\w*|direktør\w*|chef\w*|leder\w*|sociolog\w*|"
    r"konsulent\w*|rådgiver\w*|medlem\w*|udvalg\w*|byråd\w*|administrationen|forvaltning\w*|"
    r"politi\w*|styrelse\w*|tilsyn\w*|ministeri\w*|direktorat\w*|leverandør\w*|a/s|aps|"
    r"oplæg fra|v/|afsender\w*|borger\w*|beboer\w*|forældre|nabo\w*|forening\w*|"
    r"virksomhed\w*|organisation\w*|bestyrelse\w*|kontaktperson\w*|sagsbehandler\w*)",
    re.IGNORECASE,
)
REASON = re.compile(
    r"\b(fordi|på grund af|grundet|pga\.?|som følge af|med henblik på|derfor|skyldes|årsag\w*|"
    r"begrund\w*|idet|for at|da (?:der|det|den|de|man|vi|kommunen)|således at|så (?:der|det)|"
    r"hensyn til|behov for)\b",
    re.IGNORECASE,
)
# what came of it: a result, often counted ("gav et overskud på 1.823 kr.", "84 tilmeldte")
RESULT = re.compile(
    r"\b(overskud\w*|underskud\w*|resultat\w*|i alt|endte|modtog|tilmeldt\w*|deltog|"
    r"på baggrund af|fremlægge\w*|aftal\w*|konklu\w*|næste skridt|"
    r"gennemført\w*|afsluttet|opnå\w*|effekt\w*|viste|blev (?:ikke )?(?:godkendt|vedtaget|"
    r"afvist|til noget))\b|\d",
    re.IGNORECASE,
)
# where the case stands: done, under way, pending
PROGRESS = re.compile(
    r"\b(status|er nu|forventes|afsluttet|gennemført\w*|igangsat|i gang|mangler|udestår|"
    r"endnu ikke|fortsat|planlagt|tidsplan\w*|åbne\w*|lukke\w*|ikke (?:længere|grundlag))\b|\d",
    re.IGNORECASE,
)
YEAR = re.compile(r"\b((?:19|20)\d{2})\b")


# "hvor mange boliger" counts things; "hvor mange kroner", "hvor høj er lønnen" ask for money
_COUNTS_THINGS = re.compile(r"\bhvor mange (?!kroner|penge|mio|millioner)\w+", re.IGNORECASE)


def kind_of(question: str) -> str:
    """One of who, why, outcome, status, cost, count, weekday, date, decision or other."""
    if WHO.search(question):
        return "who"
    if WHY.search(question):
        return "why"
    if OUTCOME.search(question):
        return "outcome"
    if _COUNTS_THINGS.search(question):
        return "count"
    if COST.search(question):
        return "cost"
    if COUNT.search(question):
        return "count"
    if WEEKDAY_CUE.search(question):
        return "weekday"
    for kind, pattern in (("date", DATE), ("status", STATUS), ("decision", DECISION)):
        if pattern.search(question):
            return kind
    return "other"


def expected_value(kind: str) -> re.Pattern[str] | None:
    """What a sentence must contain to answer a question of this kind, if anything is fixed."""
    return {
        "cost": AMOUNT, "count": COUNT_VALUE, "date": DATE_VALUE, "weekday": WEEKDAY,
    }.get(kind)  # fmt: skip


def fits_kind(kind: str, sentence: str) -> bool:
    """Whether a sentence has the shape of an answer of this kind."""
    if kind == "who":
        return bool(PERSON.search(sentence) or PARTY.search(sentence) or ROLE.search(sentence))
    if kind == "why":
        return bool(REASON.search(sentence))
    if kind == "outcome":
        return bool(RESULT.search(sentence))
    if kind == "status":
        return bool(PROGRESS.search(sentence))
    pattern = expected_value(kind)
    return bool(pattern.search(sentence)) if pattern is not None else False


# -- follow-up cues -----------------------------------------------------------------------------

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
DUMMY_VERBS = {"går", "gik", "gået", "står", "stod", "ser", "så"}

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
