"""Danish: the language and the municipal vocabulary every other package reads documents and
questions with. The lowest layer: it imports nothing of ours, and everything may import it.

- `analyzer`: words, stop words, Snowball stems and compounds (for BM25 and word overlap)
- `sentences`: the sentence splitter and its abbreviations
- `dates`: month names, parsing Danish dates, "5. december 2019", periods a question names
- `committees`: committee and council names: canonical, display and match forms
- `decisions`: decision, recommendation, closed-item and case-number wording
- `sections`: the names systems give an agenda item's sections ("Udvalgets beslutning")
- `doc_types`: the words that name a document's type (referat, dagsorden, notat, …)
- `questions`: question kinds and the shape of their answers, follow-up cues
- `spelling`: "aa", "ae", "oe" typed for å, æ, ø
"""
