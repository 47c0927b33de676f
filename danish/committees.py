"""Committee and council names as Danish municipalities and regions write them, in the four
forms Referent needs:

- **canonical** (`committee_spans`, `committee_names`, `first_committee`,
  `most_named_committee`): a meeting document names its committee in one of a few shapes: a
  compound ("Økonomiudvalget", "Klima-, Teknik- og Miljøudvalget"), an adjective and "Udvalg"
  ("Teknisk Udvalg"), "Udvalget for …" ("Udvalget for Plan, Udvikling og Kultur") or a council
  ("Byrådet", "Kommunalbestyrelsen", "Magistraten", "Regionsrådet",
  "Borgerrepræsentationen"). Names are returned in one form per committee (the definite form,
  as the minutes' own headings write it), so the same committee read from two documents
  filters as one.
- **display** (`display_committee`): a portal's name ("Byråd 2022-2025") as a sentence says it
  ("Byrådet").
- **match** (`match_committees`, `same_body`): which stored names a user's words mean
  ("byrådet" → "Byråd 2022-2025"), and whether a caption's owner ("Økonomiudvalgets") is the
  meeting's committee.
- **in a question** (`committee_from_question`, `committee_mentioned`, `BODY_NAME`): a
  committee a question names as a filter ("i Økonomiudvalget", "Hvad besluttede Teknisk Udvalg
  …"), any committee it names ("Og hvad sagde Økonomiudvalget?"), and any body's name, to take
  out of its words.

The patterns of each form differ on purpose: a document's name is read strictly (a name in
running text must not join its neighbour), a question's loosely and case-blind (users write
"økonomiudvalget"), and the index's names are matched by what the question gives of them.
"""

from __future__ import annotations

import re
from collections import Counter

# "Teknik- og Miljøudvalg", "Klima-, Teknik- og Miljøudvalg", "Økonomiudvalg": the words before
# the compound are joined by a hyphen ("Teknik- og "), never by a bare "og" or comma, which
# would join a neighbouring name ("Byrådet og Økonomiudvalget")
_COMPOUND = re.compile(
    r"\b((?:[A-ZÆØÅ][\wæøå]*-,?\s+(?:og\s+)?)*[\wæøå][\wæøå-]*udvalg)(?:et|ets|s)?\b",
    re.IGNORECASE,
)
# "Teknisk Udvalg", "Socialt Udvalg", "TEKNISK UDVALG": an adjective, then the capitalised noun
_ADJECTIVE = re.compile(
    r"\b([A-ZÆØÅ][a-zæøå]+(?:isk|sk|lt|gt|rt|elt|ig|lig)|[A-ZÆØÅ]+(?:ISK|SK|LT|GT|RT|ELT|IG))"
    r"\s+(Udvalg|UDVALG)(?:et|ets|s|ET|ETS|S)?\b"
)
# "Udvalget for Plan, Udvikling og Kultur", "udvalget for Børn og Unge"
_FOR = re.compile(r"\b([Uu]dvalg(?:et)?|UDVALG(?:ET)?)\s+(?i:for)\s+")
_FOR_WORD = re.compile(r"([A-ZÆØÅa-zæøå][\wæøå-]*)(,\s+|\s+(?i:og)\s+|\s+&\s+)?")
_FOR_STOP = {
    "at", "de", "den", "det", "der", "som", "i", "på", "til", "med", "om", "af", "en", "et",
    "har", "skal", "vil", "kan", "er", "var", "blev", "sin", "sit", "sine", "hvert", "hver",
}  # fmt: skip
_LOWER_WORDS = {",", "og", "&", "for", "i", "med"}
_COUNCIL = re.compile(
    r"\b(byråd|kommunalbestyrelse|magistrat|regionsråd|borgerrepræsentation)"
    r"(?:et|ets|en|ens|n|ns|s)?\b",
    re.IGNORECASE,
)
# "Byråd og udvalg", "Kommunalbestyrelsen og de politiske udvalg": a site's name for its pages
_SITE_SECTION = re.compile(
    r"\s*(?:,\s*|og\s+|&\s*)(?:de\s+)?(?:politiske\s+)?udvalg(?:ene)?\b", re.IGNORECASE
)
_DEFINITE = {
    "byråd": "Byrådet",
    "kommunalbestyrelse": "Kommunalbestyrelsen",
    "magistrat": "Magistraten",
    "regionsråd": "Regionsrådet",
    "borgerrepræsentation": "Borgerrepræsentationen",
}
# compounds that name a kind of committee, not one committee ("fagudvalget", "underudvalg")
_GENERIC = {"fagudvalg", "underudvalg", "deludvalg", "hovedudvalg", "byrådsudvalg", "udvalg"}


def committee_names(text: str) -> list[tuple[int, str]]:
    """(position, name) of every committee or council named in the text, in text order."""
    return [(start, name) for start, _, name in committee_spans(text)]


def committee_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of every committee or council named in the text, in text order."""
    found: list[tuple[int, int, str]] = []
    for match in _COMPOUND.finditer(text):
        name = " ".join(match.group(1).split())
        if name.lower() not in _GENERIC:
            found.append((match.start(), match.end(), _name_case(name) + "et"))
    for match in _ADJECTIVE.finditer(text):
        found.append((match.start(), match.end(), f"{match.group(1).capitalize()} Udvalg"))
    for match in _FOR.finditer(text):
        rest, length = _for_words(text[match.end() :], match.group(1)[0].islower())
        if rest:
            found.append((match.start(), match.end() + length, f"Udvalget for {rest}"))
    for match in _COUNCIL.finditer(text):
        if _SITE_SECTION.match(text, match.end()):
            continue  # "Byråd og udvalg": a portal's section for all bodies, not the council
        found.append((match.start(), match.end(), _DEFINITE[match.group(1).lower()]))
    found.sort(key=lambda f: (f[0], -f[1]))
    spans: list[tuple[int, int, str]] = []
    end = -1
    for start, stop, name in found:
        if start >= end:  # "Udvalget for Teknik og Miljø" is not also a council or compound
            spans.append((start, stop, name))
            end = stop
    return spans


def first_committee(text: str) -> str:
    """The first committee the text names, or ""."""
    names = committee_names(text)
    return names[0][1] if names else ""


def most_named_committee(text: str) -> str:
    """The committee named most often (the earliest of equals), or ""."""
    counts = Counter(name for _, name in committee_names(text))
    if not counts:
        return ""
    best = max(counts.values())
    return next(name for _, name in committee_names(text) if counts[name] == best)


def _for_words(rest: str, lower_lead: bool) -> tuple[str, int]:
    """The name after "Udvalget for" and its length in the text: words joined by commas and
    "og", up to the first other word. After a lower-case "udvalget for" the name must start
    with a capital."""
    words: list[str] = []
    ends: list[int] = []
    pos = 0
    while len(words) < 8:
        match = _FOR_WORD.match(rest, pos)
        if not match:
            break
        word = match.group(1)
        if word.lower() in _FOR_STOP or _COUNCIL.fullmatch(word) or "udvalg" in word.lower():
            break
        words.append(word)
        ends.append(match.start() + len(word))
        pos = match.end()
        if not match.group(2):
            break
        words.append(match.group(2).strip().lower())
        ends.append(ends[-1])
    while words and words[-1] in {",", "og", "&"}:
        words.pop()
        ends.pop()
    if not words or (lower_lead and not words[0][0].isupper()):
        return "", 0
    # one spelling per committee: "plan, udvikling og kultur" and "Plan, Udvikling og Kultur"
    name = " ".join(w if w in _LOWER_WORDS else w[0].upper() + w[1:].lower() for w in words)
    return name.replace(" ,", ","), ends[-1]


def _name_case(name: str) -> str:
    """ "TEKNIK- OG MILJØUDVALG" and "økonomiudvalg" → "Teknik- og Miljøudvalg", "Økonomiudvalg"."""
    if name.isupper() or name.islower():
        return " ".join(w if w.lower() == "og" else w.capitalize() for w in name.lower().split())
    return name[0].upper() + name[1:]


# -- display form ------------------------------------------------------------------------------


def display_committee(name: str) -> str:
    """Portal names like "Byråd 2022-2025" read as "Byrådet" in a sentence."""
    base = name.split(" 20")[0].strip()
    if base.lower() in {"byråd", "kommunalbestyrelse"}:
        return base + ("n" if base.endswith("e") else "et")  # Byrådet, Kommunalbestyrelsen
    return base


# -- match forms -------------------------------------------------------------------------------


def _norm(value: str) -> str:
    return " ".join(value.lower().split())


def match_committees(wanted: str, known: list[str]) -> list[str]:
    """Known committee names meant by a user's words ("byrådet" → "Byråd 2022-2025")."""
    w = _norm(wanted)
    stems = {w, w.removesuffix("et"), w.removesuffix("en"), w.removesuffix("ets")}
    return [name for name in known if any(s and s in _norm(name) for s in stems)]


def same_body(owner: str, committee: str) -> bool:
    """Whether "Økonomiudvalgets" (a caption's owner) names the committee "Økonomiudvalget"."""
    a, b = _body_key(owner), _body_key(committee)
    return bool(a and b) and (a.startswith(b) or b.startswith(a))


def _body_key(name: str) -> str:
    words = re.sub(r"\([^)]*\)", " ", name.lower()).split()
    key = re.sub(r"[^a-zæøå]", "", "".join(words))
    for ending in ("ets", "ens", "s", "et", "en"):  # genitive and definite forms
        if key.endswith(ending) and len(key) > len(ending) + 3:
            return key[: -len(ending)]
    return key


# -- in a question -----------------------------------------------------------------------------

# a committee's name as a question writes it (matched case-blind)
QUESTION_NAME = (
    r"((?:[A-ZÆØÅ][\wæøå]*(?:-,?\s+(?:og\s+)?|\s+og\s+))*[\wæøå]+udvalg(?:et)?"
    # "Teknisk Udvalg", "Udvalget for Plan, Udvikling og Kultur" (its first words are enough:
    # the index's names are matched by what the question gives of them)
    r"|(?-i:[A-ZÆØÅ][\wæøå]+\s+Udvalg(?:et)?)|udvalget\s+for\s+[\wæøå-]+"
    r"|byrådet|kommunalbestyrelsen|magistraten|regionsrådet|borgerrepræsentationen)"
)
_DECIDED = r"(?:besluttede|vedtog|godkendte|anbefalede|afviste|besluttet|vedtaget|godkendt)"
_FILTER_NAME = re.compile(
    # "i Økonomiudvalget", "fra byrådets møde", and the committee as the one deciding:
    # "besluttede Økonomiudvalget", "har byrådet besluttet", "Byrådet vedtog"
    rf"\b(?:i|fra|af|ifølge)\s+{QUESTION_NAME}(?:s\s+møde)?\b"
    rf"|\b{_DECIDED}\s+{QUESTION_NAME}\b"
    rf"|\b(?:har|havde)\s+{QUESTION_NAME}\s+{_DECIDED}\b"
    rf"|{QUESTION_NAME}\s+{_DECIDED}\b",
    re.IGNORECASE,
)
_ANY_NAME = re.compile(rf"\b{QUESTION_NAME}", re.IGNORECASE)
# any body's name, councils and boards too ("Økonomiudvalget", "Børne- og Skoleudvalget",
# "Ældrerådet", "byrådet"): what a question names besides its topic
BODY_NAME = re.compile(
    r"(?:[A-ZÆØÅ][\wæøå]*(?:-,?\s+(?:og\s+)?|\s+og\s+))*[\wæøå]*(?i:(?:udvalg|råd)(?:et|ets|s)?)\b"
    r"|\b(?i:(?:kommunal)?bestyrelsen)\b"
)


def committee_from_question(question: str, known: list[str]) -> str | None:
    """The committee a question names as where the case was treated or who decided it ("i
    Økonomiudvalget", "Hvad besluttede Teknisk Udvalg …", "har byrådet besluttet"), as the
    question writes it, when a name of the index matches it."""
    for m in _FILTER_NAME.finditer(question):
        name = next(g for g in m.groups() if g)
        if match_committees(name, known):
            return name
    return None


def committee_mentioned(question: str, known: list[str]) -> list[str]:
    """The index's names of any committee the question names, however it names it ("Og hvad
    sagde Økonomiudvalget?"): for follow-ups, where the case is known and the name says whose
    treatment of it is wanted."""
    for m in _ANY_NAME.finditer(question):
        if names := match_committees(m.group(1), known):
            return names
    return []
