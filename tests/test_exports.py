"""Case systems' publication exports (eDoc, SBSYS, Acadre) read as structured meetings.

Synthetic exports written here reproduce each system's layout; the real samples in
../shared/corpus/os2dagsorden-samples are read too when present.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import CorruptFile, FileRejected, IndexOnly, UnsupportedFormat
from ingest.loaders import load_file
from ingest.loaders.exports import read_export
from ingest.loaders.exports.sections import section_name
from ingest.passages import prepare_document

SAMPLES = "os2dagsorden-samples"

EDOC = """<?xml version="1.0"?>
<Meeting>
  <Committee>Teknik- og Miljøudvalget</Committee>
  <MeetingDate>04-12-2012 13:00:00</MeetingDate>
  <MeetingState>Referat endeligt godkendt</MeetingState>
  <MeetingAgendaTypes>
    <MeetingAgendaType>
      <AgendaType>Åben dagsorden</AgendaType>
      <PDFDocument>900.PDF</PDFDocument>
      <UrlShowCompleteAgendaType>http://edoc/eDocView.asp?__Action=1&amp;id=4110&amp;type=minute</UrlShowCompleteAgendaType>
      <MeetingAgendaItems>
        <MeetingAgendaItem>
          <AgendaItemNumber>2</AgendaItemNumber>
          <PDFDocument>902.PDF</PDFDocument>
          <Document documentid="77">
            <Title>Vejbelysning 2013</Title>
            <Attachments>
              <Attachment attachmentid="5">
                <Title>Lygtepæle og prioritering</Title>
                <PDFDocument>555.PDF</PDFDocument>
                <PublishingType>SKAL PUBLICERES</PublishingType>
              </Attachment>
            </Attachments>
          </Document>
          <FullText>&#xC;

2.&#9;Vejbelysning 2013

Sagsnr.: 2012-28504
Dok.nr.: 2012-203438

Sammendrag
Belysningen langs Ringvejen skal udskiftes til LED i 2013.

Sagsfremstilling
Udskiftningen sparer 40 procent af strømmen.

Centralisering af driften
Driften samles i Center for Veje, som står for alle lygtepæle fra 2013.

Beslutningen træffes af
Teknik- og Miljøudvalget

Indstilling
Forvaltningen indstiller, at planen godkendes.

Teknik- og Miljøudvalgets beslutning den 04.12.2012 Punkt 2
Indstillingen godkendt

Følgende deltog ikke i behandlingen af punktet:
</FullText>
        </MeetingAgendaItem>
      </MeetingAgendaItems>
    </MeetingAgendaType>
    <MeetingAgendaType>
      <AgendaType>Lukket dagsorden</AgendaType>
      <MeetingAgendaItems>
        <MeetingAgendaItem>
          <AgendaItemNumber>3</AgendaItemNumber>
          <Document documentid="78"><Title>Salg af grund</Title></Document>
          <FullText>3.&#9;Salg af grund

Sagsnr.: 2012-1

Sagsfremstilling
Køberen byder 2 mio. kr.
</FullText>
        </MeetingAgendaItem>
      </MeetingAgendaItems>
    </MeetingAgendaType>
  </MeetingAgendaTypes>
</Meeting>
"""

SBSYS = """\ufeff<?xml version="1.0" encoding="utf-8"?>
<Publication>
  <PublicationTypeAsEnum><![CDATA[Draft]]></PublicationTypeAsEnum>
  <Agendas>
    <Agenda ID="553">
      <Meeting ID="9"><Concluded></Concluded><When><![CDATA[25-09-2012 15:30:00]]></When></Meeting>
      <Name><![CDATA[Ekstraordinært forretningsudvalgsmøde]]></Name>
      <Committee ID="1"><Name><![CDATA[FORRETNINGSUDVALGET]]></Name></Committee>
      <Items>
        <Item ID="2380">
          <Caption><![CDATA[Styrelsesvedtægt – stående udvalg]]></Caption>
          <Case ID="4">
            <NumberAndTitle><![CDATA[12-004711 - Styrelsesvedtægt]]></NumberAndTitle>
          </Case>
          <IsPublic><![CDATA[True]]></IsPublic>
          <Number><![CDATA[1]]></Number>
          <Fields>
            <ItemField ID="1"><Caption><![CDATA[PUNKTET BEHANDLET TIDLIGERE]]></Caption>
              <FieldTypeAsEnum><![CDATA[Multiline]]></FieldTypeAsEnum><Index>1</Index>
              <Content><![CDATA[Forretningsudvalget den 18. september 2012, sag nr. 10]]>
              </Content></ItemField>
            <ItemField ID="2"><Caption><![CDATA[ADMINISTRATIONENS INDSTILLING]]></Caption>
              <FieldTypeAsEnum><![CDATA[Html]]></FieldTypeAsEnum><Index>2</Index>
              <Content><![CDATA[<p><strong>at </strong>forslaget godkendes.</p>]]>
              </Content></ItemField>
            <ItemField ID="3"><Caption><![CDATA[SAGSFREMSTILLING]]></Caption>
              <FieldTypeAsEnum><![CDATA[Html]]></FieldTypeAsEnum><Index>3</Index>
              <Content><![CDATA[<p>Regionsr&aring;det nedsætter tre stående udvalg.</p>]]>
              </Content></ItemField>
            <ItemField ID="4"><Caption><![CDATA[FORRETNINGSUDVALGETS BESLUTNING]]></Caption>
              <FieldTypeAsEnum><![CDATA[Html]]></FieldTypeAsEnum><Index>4</Index>
              <Content><![CDATA[<p><strong>18. september 2012:</strong> Sagen udsat.</p>]]>
              </Content></ItemField>
            <ItemField ID="5"><Caption><![CDATA[REGIONSRÅDETS BESLUTNING]]></Caption>
              <FieldTypeAsEnum><![CDATA[Html]]></FieldTypeAsEnum><Index>5</Index>
              <Content><![CDATA[<p>Tomt indhold</p>]]></Content></ItemField>
          </Fields>
          <Enclosures>
            <Enclosure ID="7">
              <FileName><![CDATA[P:\\Dagsorden\\Bilag\\1_1 - Brev.pdf]]></FileName>
              <Name><![CDATA[Brev fra ministeriet]]></Name>
              <InstantiationFileName><![CDATA[1.pdf]]></InstantiationFileName>
              <InstantiationFilePathRelative><![CDATA[Enclosures\\1.pdf]]></InstantiationFilePathRelative>
            </Enclosure>
          </Enclosures>
        </Item>
        <Item ID="2381">
          <Caption><![CDATA[Personalesag]]></Caption>
          <IsPublic><![CDATA[False]]></IsPublic>
          <Number><![CDATA[2]]></Number>
        </Item>
      </Items>
    </Agenda>
  </Agendas>
</Publication>
"""


def acadre(decision_date: str = "20-06-2013") -> str:
    def field(name: str, value: str) -> str:
        return f'<field name="{name}">{value}</field>'

    bullets = "".join(
        f'<table name="bullet"><fields>{field("bulletname", name)}'
        f"{field('bulletcontent', content)}{field('bulletsortorder', str(n))}</fields></table>"
        for n, (name, content) in enumerate(
            [
                ("Resumé", "&lt;p&gt;Kulturkommune 2017 planlægges.&lt;/p&gt;"),
                ("Indstilling", "&lt;p&gt;Direktøren indstiller, at arbejdet begynder.&lt;/p&gt;"),
                ("Beslutning i Udvalget for kultur (UK) den 10-04-2013",
                 "&lt;p&gt;Udsat.&lt;/p&gt;"),
                (f"Beslutning i Udvalget for kultur (UK) den {decision_date}",
                 "&lt;p&gt;Punktet blev drøftet.&lt;/p&gt;"),
                ("Lovgrundlag", ""),
            ],
            start=1,
        )
    )  # fmt: skip
    return (
        '<?xml version="1.0"?><root><table name="agenda"><fields>'
        f"{field('sysid', '1863')}{field('name', 'Referat')}</fields>"
        f'<table name="committee"><fields>{field("name", "Udvalget for kultur (UK)")}'
        "</fields></table>"
        f'<table name="meeting"><fields>{field("name", "Ekstraordinært UK")}'
        f"{field('date', '2013-06-20 10:30')}</fields></table>"
        f'<table name="agendaitemparents"><fields>{field("sort", "715")}</fields>'
        f'<table name="agendaitem"><fields>{field("sysid", "15684")}'
        f"{field('name', 'Kulturkommune 2017')}{field('caseno', '12/27845')}"
        f"{field('accessname', 'Åben')}</fields>{bullets}"
        f'<table name="enclosure"><fields>{field("name", "Politik for Kultur")}'
        f"{field('filename', '2531342E2.DOC')}{field('accessname', 'Åben')}</fields></table>"
        "</table></table>"
        f'<table name="agendaitemparents"><fields>{field("sort", "716")}</fields>'
        f'<table name="agendaitem"><fields>{field("sysid", "15685")}'
        f"{field('name', 'Personalesag')}{field('accessname', 'Lukket')}</fields></table>"
        "</table>"
        "</table><agendaData><startAgendaItemNo>715</startAgendaItemNo></agendaData></root>"
    )


ACADRE_INDEX = (
    '<root><table name="committee"><fields><field name="Udvalget for kultur (UK)"></field>'
    '</fields></table><table name="meeting"><fields><field name="Ekstraordinært UK"></field>'
    '<field date="2013-06-20 10:30"></field></fields></table><table name="agenda"><fields>'
    '<field name="Referat"></field><field sysid="1863"></field></fields></table>'
    '<table name="producedAgenda"><fields><field xmlfilename="3687981.xml"></field>'
    '<field docfilename="3687982.docx"></field></fields></table></root>'
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def passages(path: Path):
    return [p for doc in load_file(path) for p in prepare_document(doc, path.name, "h").passages]


def test_edoc_items_sections_case_numbers_and_closed_items(tmp_path):
    (meeting,) = read_export(EDOC.encode(), "x")
    assert (meeting.committee, meeting.meeting_date, meeting.doc_type) == (
        "Teknik- og Miljøudvalget", "2012-12-04", "referat"
    )  # fmt: skip
    assert meeting.meeting_id == "4110" and meeting.renditions == ("900.PDF",)
    open_item, closed_item = meeting.items
    assert (open_item.number, open_item.title, open_item.case_number) == (
        "2", "Vejbelysning 2013", "2012-28504"
    )  # fmt: skip
    assert [s.name for s in open_item.sections] == [
        "Sammendrag", "Sagsfremstilling", "Sagen afgøres af", "Indstilling", "Beslutning"
    ]  # fmt: skip
    assert open_item.renditions == ("902.PDF",)
    assert open_item.attachments[0].names == ("555.PDF", "Lygtepæle og prioritering")
    assert closed_item.closed and closed_item.case_number == "2012-1"

    found = passages(write(tmp_path, "eDocAgendaPublishing.xml", EDOC))
    assert all(p.metadata.item_number in ("2", "3") for p in found)
    text = "\n".join(p.text for p in found)
    assert "Sagsnr." not in text and "Vejbelysning 2013\n" not in text  # metadata, not content
    assert "Følgende deltog ikke" not in text  # an empty field label
    assert "Centralisering af driften" in text  # a sub-heading stays in its section's text
    decision = next(p for p in found if "Beslutning" in p.metadata.section)
    # the meeting's own decision: who and when are in its metadata, not repeated as text
    assert "beslutning den 04.12.2012" not in decision.text
    assert "Indstillingen godkendt" in decision.text
    assert {p.metadata.access for p in found if p.metadata.item_number == "3"} == {"closed"}
    assert {p.metadata.committee for p in found} == {"Teknik- og Miljøudvalget"}


def test_sbsys_fields_earlier_decisions_and_enclosures(tmp_path):
    (meeting,) = read_export(SBSYS.encode(), "x")
    assert (meeting.committee, meeting.meeting_date, meeting.doc_type) == (
        "Forretningsudvalget", "2012-09-25", "dagsorden"
    )  # fmt: skip
    item, closed = meeting.items
    assert item.case_number == "12-004711"
    # "FORRETNINGSUDVALGETS BESLUTNING" of 18 September is an earlier meeting's decision;
    # the empty Regionsråd decision ("Tomt indhold") is left out
    assert [s.name for s in item.sections] == [
        "Punktet behandlet tidligere", "Indstilling", "Sagsfremstilling",
        "Forretningsudvalgets beslutning",
    ]  # fmt: skip
    assert item.sections[1].heading == "Administrationens indstilling"
    assert "Enclosures\\1.pdf" in item.attachments[0].names
    assert "1_1 - Brev.pdf" in item.attachments[0].names  # the original name, without path
    assert closed.closed and closed.title == "Personalesag"

    found = passages(write(tmp_path, "Publication553.xml", SBSYS))
    assert {p.metadata.case_number for p in found} == {"12-004711", ""}, "never guessed"
    assert {p.metadata.access for p in found if p.metadata.item_number == "2"} == {"closed"}
    assert any("Personalesag" in p.text for p in found), "a closed item keeps its title"


def test_acadre_items_are_numbered_on_from_the_year_and_access_is_read():
    (meeting,) = read_export(acadre().encode(), "x")
    assert (meeting.committee, meeting.meeting_date, meeting.doc_type, meeting.name) == (
        "Udvalget for kultur (UK)", "2013-06-20", "referat", "Ekstraordinært UK"
    )  # fmt: skip
    item, closed = meeting.items
    assert (item.number, item.case_number, closed.number, closed.closed) == (
        "715", "12/27845", "716", True
    )  # fmt: skip
    names = [s.name for s in item.sections]
    # the meeting's own decision is "Beslutning"; the one of 10 April keeps its caption
    assert names == [
        "Resumé", "Indstilling", "Beslutning i Udvalget for kultur (UK) den 10-04-2013",
        "Beslutning",
    ]  # fmt: skip
    assert item.attachments[0].names == ("2531342E2.DOC", "Politik for Kultur")


def test_acadre_index_names_the_meeting_and_its_files(tmp_path):
    (index,) = read_export(ACADRE_INDEX.encode(), "x")
    assert index.is_index
    assert (index.committee, index.meeting_date, index.name, index.doc_type) == (
        "Udvalget for kultur (UK)", "2013-06-20", "Ekstraordinært UK", "referat"
    )  # fmt: skip
    assert index.index_of == ("3687981.xml",) and index.renditions == ("3687982.docx",)
    with pytest.raises(IndexOnly) as info:
        load_file(write(tmp_path, "XML_1863.xml", ACADRE_INDEX))
    assert info.value.code == "index"


@pytest.mark.parametrize(
    ("caption", "text", "expected"),
    [
        ("Beslutning", "", "Beslutning"),
        ("ØKONOMIUDVALGETS BESLUTNING", "", "Beslutning"),
        ("Økonomiudvalgets beslutning den 04.12.2012 Punkt 2", "", "Beslutning"),
        ("Økonomiudvalgets beslutning den 10.04.2012", "",
         "Økonomiudvalgets beslutning den 10.04.2012"),  # an earlier meeting's
        ("Byrådets beslutning", "", "Byrådets beslutning"),  # another body's
        ("Beslutning i Økonomiudvalget den 04-12-2012", "", "Beslutning"),
        ("Beslutning i Økonomiudvalget den 10-04-2012", "",
         "Beslutning i Økonomiudvalget den 10-04-2012"),  # an earlier meeting's
        ("Økonomiudvalgets beslutning", "18. september 2012: Udsat.",
         "Økonomiudvalgets beslutning"),  # dated in its text: an earlier meeting's
        ("Beslutningen træffes af", "", "Sagen afgøres af"),  # who decides, not a decision
        ("ADMINISTRATIONENS INDSTILLING", "", "Indstilling"),
        ("SAGSFREMSTILLING", "", "Sagsfremstilling"),
        ("Økonomiske konsekvenser", "", "Økonomiske konsekvenser"),
    ],
)  # fmt: skip
def test_section_names(caption, text, expected):
    assert section_name(caption, "Økonomiudvalget", "2012-12-04", text) == expected


def test_other_xml_is_rejected_plainly_and_bad_xml_as_corrupt(tmp_path):
    with pytest.raises(UnsupportedFormat) as info:
        load_file(write(tmp_path, "sitemap.xml", "<urlset><url>x</url></urlset>"))
    assert "ikke en kendt mødeeksport" in info.value.user_message
    with pytest.raises(CorruptFile):
        load_file(write(tmp_path, "broken.xml", "<Meeting><Committee>"))


def test_entities_are_never_expanded_or_fetched(tmp_path):
    hostile = (
        '<?xml version="1.0"?><!DOCTYPE Meeting [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<Meeting><Committee>&b;&x;</Committee><MeetingAgendaTypes/></Meeting>"
    )
    try:
        meetings = read_export(hostile.encode(), "x")
    except FileRejected:
        return  # refusing it is as good
    assert "root:" not in meetings[0].committee and "aaaa" not in meetings[0].committee


@pytest.mark.corpus
def test_real_exports(shared_corpus):
    base = shared_corpus / SAMPLES
    if not base.is_dir():
        pytest.skip(f"{SAMPLES} is not in ../shared/corpus")
    edoc = load_file(base / "ballerup_edoc_2012-12-04" / "eDocAgendaPublishing.xml")
    assert [d.metadata["item_number"] for d in edoc] == [str(n) for n in range(1, 9)]
    assert {d.metadata["committee"] for d in edoc} == {"Sundheds- og Forebyggelsesudvalget"}
    decisions = [b for d in edoc for b in d.blocks if b.section == "Beslutning"]
    assert len({id(d) for d in edoc}) == 8 and decisions
    sbsys = load_file(base / "regionh_sbsys_Publication553" / "Publication553.xml")
    assert len(sbsys) == 4 and {d.metadata["doc_type"] for d in sbsys} == {"dagsorden"}
    ballerup = load_file(base / "ballerup_sbsys_Publication32" / "Publication32.xml")
    assert {d.metadata["committee"] for d in ballerup} == {"KMB IT-udvalget"}
    (item,) = load_file(base / "syddjurs_acadre_1863" / "3687981.XML")
    assert (item.metadata["item_number"], item.metadata["case_number"]) == ("715", "12/27845")
    assert [b.section for b in item.blocks].count("Beslutning") >= 2  # its heading and text
    with pytest.raises(IndexOnly):
        load_file(base / "syddjurs_acadre_1863" / "XML_1863.xml")


def test_plain_field_text_headings_are_short_lines_over_longer_text_never_list_marks():
    from ingest.loaders.exports.model import text_blocks

    blocks = text_blocks(
        "Centralisering af driften\nDriften samles i Center for Veje fra 2013.\n\n"
        "A)\nDe foreslåede arbejder godkendes.\n\nIndstillingen godkendt"
    )
    assert [(b.kind, b.text) for b in blocks] == [
        ("heading", "Centralisering af driften"),
        ("paragraph", "Driften samles i Center for Veje fra 2013."),
        ("paragraph", "A)\nDe foreslåede arbejder godkendes."),
        ("paragraph", "Indstillingen godkendt"),
    ]
