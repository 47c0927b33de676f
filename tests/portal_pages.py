"""Agenda-portal pages and text minutes in the layouts Danish systems publish, made at test time.

Each layout renders the same kind of meeting (items with a number, title, case number and
sections) the way one family of systems sets it out: item headings in `<h2>` with the case
number in the item's header (FirstAgenda/Prepare web pages), a whole page inside one ASP.NET
`<form>` with items in a layout table (eDoc/Acadre publishing), item fields in definition lists
(SBSYS publishing), one `<article>` per item with bold labels (municipal CMS pages), a list of
items with titled sections (OS2dagsorden), a table with a row per item, accordions, an `<ol>`
that numbers its items, numbers and titles in separate elements; and text minutes. Every page
carries the traps the issue met: a site menu naming every committee, the running text naming
another body ("indstilles til Byrådet"), a publication date before the meeting date.

A test reads every passage back and checks its item's number, title, case number and section
against the sentence it holds, and the document's committee, date and type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape


@dataclass
class Section:
    heading: str  # as the layout writes it
    name: str  # the section a passage must carry ("Beslutning" for every decision variant)
    text: str


@dataclass
class Item:
    number: str
    title: str
    case: str
    sections: list[Section]
    closed: bool = False


@dataclass
class Page:
    name: str  # file name
    text: str  # the file's content
    committee: str
    date: str
    doc_type: str
    items: list[Item] = field(default_factory=list)


def minutes(committee: str, decided: str) -> list[Item]:
    """A committee's meeting: five items, one closed, sections in several systems' names."""
    return [
        Item("1", "Godkendelse af dagsorden", "25-000101", [
            Section("Beslutning", "Beslutning", "Dagsordenen blev godkendt uden bemærkninger."),
        ]),
        Item("2", "Trafiksikkerhedsplan 2025-2028", "25-001422", [
            Section("Resumé", "Resumé",
                    "Planen samler 14 tiltag for skoleveje og cykelstier i hele kommunen."),
            Section("Sagsfremstilling", "Sagsfremstilling",
                    "Forvaltningen har kortlagt 38 uheldssteder, og de farligste krydsninger "
                    "prioriteres først. Planen indstilles til Byrådet med henblik på vedtagelse."),
            Section("Administrationens indstilling", "Indstilling",
                    "Forvaltningen indstiller, at planen sendes i offentlig høring i otte uger."),
            Section(decided, "Beslutning",
                    "Indstillingen blev tiltrådt med den ændring, at høringen varer ti uger."),
        ]),
        Item("3", "Regulativ for vintervedligeholdelse", "25-000977", [
            Section("Sagsbeskrivelse", "Sagsbeskrivelse",
                    "Regulativet fastlægger, hvilke veje der saltes først ved glatføre."),
            Section("Økonomiske konsekvenser", "Økonomiske konsekvenser",
                    "Udgiften på 4,1 mio. kr. afholdes inden for vejområdets budget."),
            Section("Indstilling", "Indstilling",
                    "Forvaltningen indstiller, at regulativet vedtages for sæsonen 2025/26."),
            Section(decided, "Beslutning", "Regulativet blev vedtaget enstemmigt."),
        ]),
        Item("4", "Erstatningssag vedrørende fortov", "25-000555", [
            Section("Beslutning", "Beslutning", "Udvalget tog orienteringen til efterretning."),
        ], closed=True),
        Item("5", "Meddelelser", "25-000104", [
            Section("Sagens forløb", "Sagens forløb",
                    "Borgermødet om Møllevej blev afholdt den 3. marts med 60 deltagere."),
            Section("Beslutning", "Beslutning", f"{committee} tog meddelelserne til efterretning."),
        ]),
    ]  # fmt: skip


def agenda() -> list[Item]:
    """An agenda: items without decisions."""
    return [
        Item(i.number, i.title, i.case, [s for s in i.sections if s.name != "Beslutning"], i.closed)
        for i in minutes("Udvalget", "Beslutning")
        if any(s.name != "Beslutning" for s in i.sections)
    ]


def _title(item: Item) -> str:
    return f"Lukket: {item.title}" if item.closed else item.title


SITE_MENU = (
    '<header class="site-header"><a class="logo" href="/">Kommunen</a>'
    '<nav class="main-menu"><ul><li><a href="/byraadet">Byrådet</a></li>'
    '<li><a href="/oeu">Økonomiudvalget</a></li><li><a href="/tu">Teknisk Udvalg</a></li>'
    '<li><a href="/ssu">Social- og Sundhedsudvalget</a></li>'
    '<li><a href="/byraadet/referater">Byrådet – referater</a></li></ul></nav></header>'
)
FOOTER = '<footer class="site-footer"><p>Rådhuspladsen 1 · Byrådet og udvalgene</p></footer>'
COOKIES = '<div class="cookie-consent"><p>Vi bruger cookies.</p><button>OK</button></div>'


def _page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>{escape(title)}'
        f"</title><script>var x = 1;</script></head><body>{COOKIES}{body}</body></html>"
    )


def prepare_headings() -> Page:
    """FirstAgenda/Prepare-style page: "Punkt N: …" in `<h2>`, the case number in the item's
    header, a generic page title; the committee in `<h1>`, the date in the breadcrumb."""
    items = minutes("Teknisk Udvalg", "Beslutning i Teknisk Udvalg den 12. marts 2025")
    parts = []
    for item in items:
        sections = "".join(f"<h3>{s.heading}</h3><p>{s.text}</p>" for s in item.sections)
        parts.append(
            f'<section class="agenda-item"><header class="agenda-item-header">'
            f"<h2>Punkt {item.number}: {_title(item)}</h2>"
            f'<span class="case-number">Sagsnr.: {item.case}</span></header>'
            f'<div class="agenda-item-body">{sections}</div></section>'
        )
    body = (
        f'{SITE_MENU}<nav class="breadcrumb"><a href="/">Forside</a> › <a href="/politik">'
        "Politik</a> › Teknisk Udvalg › Referat 12-03-2025</nav>"
        f'<main><h1>Teknisk Udvalg</h1><p class="published">Offentliggjort 14-03-2025</p>'
        f"<p>Referat fra mødet onsdag den 12. marts 2025 kl. 15.00</p>{''.join(parts)}</main>"
        f"{FOOTER}"
    )
    html = _page("Politiske dagsordener og referater – Byråd og udvalg – Kommunen", body)
    return Page("tu_referat.html", html, "Teknisk Udvalg", "2025-03-12", "referat", items)


def edoc_form_table() -> Page:
    """eDoc/Acadre publishing: the page in one ASP.NET `<form>`, a meeting header, items in a
    layout table (number cell, title cell; then a cell with bold labels and text)."""
    items = minutes("Magistraten", "Magistratens beslutning den 3. februar 2025")
    rows = []
    for item in items:
        cells = [f"<p><b>Sagsnr.:</b> {item.case}</p>"]
        for s in item.sections:
            cells.append(f"<p><b>{s.heading}</b></p><p>{s.text}</p>")
        rows.append(
            f'<tr><td class="punktnr">{item.number}.</td><td class="punkttitel">'
            f"<b>{_title(item)}</b></td></tr><tr><td></td><td>{''.join(cells)}</td></tr>"
        )
    body = (
        '<form method="post" action="./Publicering.aspx" id="aspnetForm">'
        '<input type="hidden" name="__VIEWSTATE" value="abc">'
        '<div id="header" class="header"><a href="/">Forside</a> <a href="/udvalg">Byrådet</a> '
        '<a href="/udvalg">Økonomiudvalget</a></div>'
        '<div id="ctl00_MeetingHeader" class="moedeinfo"><span>Magistraten</span><br>'
        "<span>Beslutningsprotokol</span><br><span>Mødedato: 03.02.2025</span></div>"
        f'<table class="dagsorden" cellpadding="0">{"".join(rows)}</table>'
        f'<div id="footer">Udskrevet 05.02.2025</div></form>'
    )
    html = _page("Publicering", body)
    return Page("magistraten.htm", html, "Magistraten", "2025-02-03", "referat", items)


def sbsys_definition_lists() -> Page:
    """SBSYS-style publishing: meeting facts and item fields in `<dl>`, the item's title in
    a heading before its fields (its number is a field)."""
    items = agenda()
    parts = []
    for item in items:
        fields = "".join(f"<dt>{s.heading}</dt><dd><p>{s.text}</p></dd>" for s in item.sections)
        closed = "<dt>Status</dt><dd>Lukket punkt</dd>" if item.closed else ""
        parts.append(
            f'<div class="dagsordenpunkt"><h3>{item.title}</h3><dl><dt>Punkt</dt>'
            f"<dd>{item.number}</dd>{closed}<dt>Sags-id</dt><dd>{item.case}</dd>{fields}</dl></div>"
        )
    body = (
        f'{SITE_MENU}<main><h1>Dagsorden</h1><div class="meeting-info"><dl><dt>Udvalg</dt>'
        "<dd>Regionsrådet</dd><dt>Mødedato</dt><dd>4. februar 2025, kl. 14.00</dd><dt>Sted</dt>"
        f"<dd>Regionsgården</dd></dl></div>{''.join(parts)}</main>{FOOTER}"
    )
    html = _page("Mødeplatform", body)
    return Page("regionsraadet.html", html, "Regionsrådet", "2025-02-04", "dagsorden", items)


def cms_articles() -> Page:
    """A municipal CMS: one `<article>` per item (no `<main>`), "Sag nr. N – …" headings,
    bold labels before the text, the committee in the breadcrumb trail only (after the site's
    section for all bodies, "Byråd og udvalg")."""
    items = minutes("Kommunalbestyrelsen", "Beslutning i Kommunalbestyrelsen den 20. januar 2025")
    parts = []
    for item in items:
        sections = "".join(f"<p><strong>{s.heading}:</strong> {s.text}</p>" for s in item.sections)
        parts.append(
            f'<article class="punkt"><h2>Sag nr. {item.number} – {_title(item)}</h2>'
            f"<p>J.nr.: {item.case}</p>{sections}"
            "<p>Sagen har tidligere været behandlet i Økonomiudvalget og Økonomiudvalget "
            "anbefalede den.</p></article>"
        )
    body = (
        f'{SITE_MENU}<div class="breadcrumbs">Forside / Byråd og udvalg / Kommunalbestyrelsen'
        f" / Referat 20. januar 2025</div>{''.join(parts)}{FOOTER}"
    )
    html = _page("Referat 20. januar 2025", body)
    return Page("kb_referat.html", html, "Kommunalbestyrelsen", "2025-01-20", "referat", items)


def os2dagsorden_list() -> Page:
    """OS2dagsorden-style: a list of items, each a title link ("Punkt N Title") and titled
    sections (bullet points)."""
    items = minutes("Udvalget", "Udvalgets beslutning")
    lis = []
    for item in items:
        points = "".join(
            f'<div class="bullet-point"><div class="bullet-point-title">{s.heading}</div>'
            f'<div class="bullet-point-body"><p>{s.text}</p></div></div>'
            for s in item.sections
        )
        lis.append(
            f'<li class="item"><a class="item-link" href="#p{item.number}">Punkt {item.number} '
            f'{_title(item)}</a><div class="case">Sagsnr.: {item.case}</div>'
            f'<div class="bullet-points">{points}</div></li>'
        )
    body = (
        f'{SITE_MENU}<div id="content"><h1 class="title">Udvalget for Plan, Udvikling og '
        f'Kultur</h1><div class="field-meeting-date">Møde 09-04-2025 kl. 16:00</div>'
        f'<div class="meeting-status">Referat</div><ul class="item-list">{"".join(lis)}</ul>'
        f"</div>{FOOTER}"
    )
    html = _page("Referat | OS2dagsorden", body)
    committee = "Udvalget for Plan, Udvikling og Kultur"
    return Page("puk.html", html, committee, "2025-04-09", "referat", items)


def item_table() -> Page:
    """A decision record as one table, a row per item (Punkt | Titel | Sagsnr. | Beslutning)."""
    items = [
        Item(i.number, i.title, i.case, [s for s in i.sections if s.name == "Beslutning"], i.closed)
        for i in minutes("Økonomiudvalget", "Beslutning")
    ]
    rows = "".join(
        f"<tr><td>{i.number}</td><td>{_title(i)}</td><td>{i.case}</td>"
        f"<td>{i.sections[0].text}</td></tr>"
        for i in items
    )
    body = (
        f"{SITE_MENU}<main><h1>Økonomiudvalget</h1><p>Beslutningsprotokol for mødet den 17. "
        "marts 2025</p><table><thead><tr><th>Punkt</th><th>Titel</th><th>Sagsnr.</th>"
        f"<th>Beslutning</th></tr></thead><tbody>{rows}</tbody></table></main>{FOOTER}"
    )
    html = _page("Økonomiudvalget 17.03.2025", body)
    return Page("oeu_protokol.html", html, "Økonomiudvalget", "2025-03-17", "referat", items)


def accordions() -> Page:
    """Items that open and close: toggle buttons and `<details>`/`<summary>`."""
    items = agenda()
    parts = []
    for n, item in enumerate(items):
        sections = "".join(f"<h4>{s.heading}</h4><p>{s.text}</p>" for s in item.sections)
        inner = f"<p>Sagsnr.: {item.case}</p>{sections}"
        heading = f"{item.number}. {_title(item)}"
        if n % 2:
            parts.append(f"<details><summary>{heading}</summary>{inner}</details>")
        else:
            parts.append(
                f'<div class="accordion"><button class="accordion-button" type="button">'
                f'{heading}</button><div class="accordion-collapse">{inner}</div></div>'
            )
    body = f"{SITE_MENU}<main>{''.join(parts)}</main>{FOOTER}"
    html = _page("Dagsorden: Social- og Sundhedsudvalget, 6. maj 2025", body)
    committee = "Social- og Sundhedsudvalget"
    return Page("ssu_dagsorden.html", html, committee, "2025-05-06", "dagsorden", items)


def numbered_list() -> Page:
    """Items as the entries of an `<ol>`: the list numbers them, their headings do not."""
    items = agenda()
    lis = "".join(
        f'<li value="{i.number}"><h3>{_title(i)}</h3><p>Sagsnr.: {i.case}</p>'
        + "".join(f"<h4>{s.heading}</h4><p>{s.text}</p>" for s in i.sections)
        + "</li>"
        for i in items
    )
    body = f"{SITE_MENU}<main><h1>Dagsorden</h1><ol>{lis}</ol></main>{FOOTER}"
    html = _page("Børne- og Ungeudvalget – 2. juni 2025", body)
    committee = "Børne- og Ungeudvalget"
    return Page("buu.html", html, committee, "2025-06-02", "dagsorden", items)


def split_numbers() -> Page:
    """A number and a title in two elements of the heading, without a dot between them (and
    without a space, for some)."""
    items = minutes("Byrådet", "Beslutning")
    parts = "".join(
        f'<h2><span class="nr">{i.number}</span>{" " * (int(i.number) % 2)}'
        f'<span class="titel">{_title(i)}</span></h2><p>Sagsnr.: {i.case}</p>'
        + "".join(f"<h3>{s.heading}</h3><p>{s.text}</p>" for s in i.sections)
        for i in items
    )
    body = f"{SITE_MENU}<main><h1>Referat – Byrådet</h1>{parts}</main>{FOOTER}"
    html = _page("Byrådet 24-03-2025", body)
    return Page("byraad.html", html, "Byrådet", "2025-03-24", "referat", items)


def text_minutes() -> Page:
    """Plain-text minutes: "Punkt N: …", a number on a line of its own, "Sag nr. N …", label
    lines ("Beslutning:", "Administrationens indstilling:") and the council in the letterhead."""
    items = minutes("Kommunalbestyrelsen", "Beslutning i Kommunalbestyrelsen den 27. januar 2025")
    lines = [
        "KOMMUNALBESTYRELSEN",
        "Referat af ordinært møde",
        "",
        "Mødedato: 27. januar 2025, kl. 19.00",
        "Sted: Byrådssalen",
        "",
    ]
    for n, item in enumerate(items):
        heading = [
            f"Punkt {item.number}: {_title(item)}",
            f"Punkt {item.number}\n{_title(item)}",
            f"Sag nr. {item.number} {_title(item)}",
        ][n % 3]
        lines += [heading, f"Sag nr.: {item.case}", ""]
        for s in item.sections:
            lines += [f"{s.heading}:", s.text, ""]
    return Page(
        "kb_referat.txt",
        "\n".join(lines),
        "Kommunalbestyrelsen",
        "2025-01-27",
        "referat",
        items,
    )


HTML_LAYOUTS = [
    prepare_headings, edoc_form_table, sbsys_definition_lists, cms_articles, os2dagsorden_list,
    item_table, accordions, numbered_list, split_numbers,
]  # fmt: skip
LAYOUTS = [*HTML_LAYOUTS, text_minutes]
