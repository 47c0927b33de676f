"""The library: indexed files with their metadata, counts per committee and year, alternates.

Everything shown is computed from the passages the session may see (access first), so a public
session learns nothing about closed items, not even how many there are.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import streamlit as st

from danish.dates import danish_date
from ui import render, session
from ui.messages import user_message


def file_rows(found: session.Backend, view: session.IndexView) -> tuple[list[dict], list[dict]]:
    """(visible indexed files, visible alternates and duplicates)."""
    records = found.catalog.all()
    by_source = {r.source: r for r in records}
    rows, alternates = [], []
    for r in records:
        if r.status == "alternate":
            original = by_source.get(r.alternate_of)
            if r.alternate_of in view.per_source:
                same_bytes = original is not None and original.file_hash == r.file_hash
                alternates.append(
                    {
                        "Fil": r.source,
                        "Samme dokument som": r.alternate_of,
                        "Slags": "Dublet (identisk fil)" if same_bytes else "Anden udgave",
                    }
                )
            continue
        seen = view.per_source.get(r.source)
        if seen is None:
            continue
        ordinals = [o for _, o in seen["docs"].values() if o > 0]
        first = date.fromordinal(min(ordinals)) if ordinals else None
        committees = sorted(seen["committees"])
        types = sorted(seen["doc_types"])
        rows.append(
            {
                "Titel": r.title or _meeting_title(committees, first) or r.source,
                "Udvalg": "; ".join(committees) or render.UNKNOWN,
                "Mødedato": first,
                "År": first.year if first else None,
                "Type": ", ".join(render.DOC_TYPE_DA.get(t, t) for t in types),
                "Format": r.source_format.upper(),
                "Dokumenter": len(seen["docs"]),
                "Passager": seen["passages"],
                "Fil": r.source,
                "Indlæst": r.ingested_at[:10],
                "Uploadet af": r.uploaded_by,
            }
        )
    return rows, alternates


def _meeting_title(committees: list[str], day: date | None) -> str:
    if len(committees) != 1:
        return ""
    when = f" {danish_date(day.isoformat())}" if day else ""
    return f"Møde i {committees[0]}{when}"


def counts(view: session.IndexView) -> tuple[Counter, Counter]:
    """Documents per committee and per year, among visible passages."""
    per_committee: Counter = Counter()
    per_year: Counter = Counter()
    for seen in view.per_source.values():
        for committee, ordinal in seen["docs"].values():
            per_committee[committee or render.UNKNOWN] += 1
            per_year[str(date.fromordinal(ordinal).year) if ordinal > 0 else render.UNKNOWN] += 1
    return per_committee, per_year


def main() -> None:
    st.title("Bibliotek")
    try:
        found = session.backend()
    except Exception as exc:
        st.error(user_message(exc))
        return
    if found is None:
        st.info(
            "Der er endnu ingen dokumenter. Tilføj dem på siden **Tilføj dokumenter** eller med "
            "`referent ingest MAPPE`."
        )
        return
    view = session.index_view(found)
    rows, alternates = file_rows(found, view)
    if not rows:
        st.info("Der er ingen dokumenter, du har adgang til.")
        return
    per_committee, per_year = counts(view)
    period = (
        f"{danish_date(view.first.isoformat())} – {danish_date(view.last.isoformat())}"
        if view.first and view.last
        else "ukendt"
    )
    m = st.columns(4)
    m[0].metric("Filer", len(rows))
    m[1].metric("Dokumenter", sum(per_committee.values()))
    m[2].metric("Passager", view.n_passages)
    m[3].metric("Andre udgaver og dubletter", len(alternates))
    st.markdown(f"**Periode:** {period}")

    st.subheader("Dokumenter")
    f1, f2, f3 = st.columns([2, 2, 1])
    text = f1.text_input("Søg i titel og filnavn", key="lib_text", max_chars=200)
    committee_names = sorted({c for r in rows for c in r["Udvalg"].split("; ") if c})
    committees = f2.multiselect(
        "Udvalg", committee_names, key="lib_committee", placeholder="Alle udvalg"
    )
    years = sorted({r["År"] for r in rows if r["År"]}, reverse=True)
    year = f3.selectbox(
        "År", [None, *years], key="lib_year", format_func=lambda y: str(y) if y else "Alle"
    )
    shown = [
        r
        for r in rows
        if (not text or text.lower() in (r["Titel"] + " " + r["Fil"]).lower())
        and (not committees or any(c in r["Udvalg"].split("; ") for c in committees))
        and (not year or r["År"] == year)
    ]
    shown.sort(key=lambda r: r["Mødedato"] or date.min, reverse=True)
    st.caption(f"{len(shown)} af {len(rows)} filer. Klik på en kolonneoverskrift for at sortere.")
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_order=[
            "Titel",
            "Udvalg",
            "Mødedato",
            "Type",
            "Format",
            "Dokumenter",
            "Passager",
            "Fil",
        ],
        column_config={
            "Mødedato": st.column_config.DateColumn("Mødedato", format="DD-MM-YYYY"),
            "År": st.column_config.NumberColumn("År", format="%d"),
        },
    )

    left, right = st.columns(2)
    with left:
        st.subheader("Dokumenter pr. udvalg")
        st.dataframe(
            [{"Udvalg": k, "Dokumenter": v} for k, v in per_committee.most_common()],
            hide_index=True,
            width="stretch",
        )
    with right:
        st.subheader("Dokumenter pr. år")
        st.dataframe(
            [{"År": k, "Dokumenter": v} for k, v in sorted(per_year.items())],
            hide_index=True,
            width="stretch",
        )
    st.subheader("Andre udgaver og dubletter")
    if alternates:
        st.caption("Samme dokument i flere filer (fx DOCX og PDF) indekseres én gang.")
        st.dataframe(alternates, hide_index=True, width="stretch")
    else:
        st.caption("Ingen: hvert dokument findes i én fil.")


main()
