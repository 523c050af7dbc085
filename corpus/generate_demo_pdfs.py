"""Generate the bundled demo NTE-style PDFs in ``corpus/demo/reports/``.

Run from anywhere::

    python corpus/generate_demo_pdfs.py

The output is deterministic: fixed creation date, fixed metadata, core font
(Helvetica) and latin-1 text only, so re-running yields the same bytes.

The layout imitates a chapter of the USTR "National Trade Estimate Report on
Foreign Trade Barriers": a running header at the top of every page, a centred
page number ("-247-") at the bottom, the country name in capitals opening each
chapter, ALL-CAPS section headings, Title Case subsection headings and justified
body text. Soft hyphens (written ``~`` below) let the line breaker hyphenate long
words at line ends; the script checks that at least one word was hyphenated and at
least one paragraph runs across a page break in every PDF.

The prose is original; the facts are public or illustrative (see corpus/README.md).
"""
from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

from fpdf import FPDF

OUT_DIR = Path(__file__).resolve().parent / "demo" / "reports"

SOFT_HYPHEN = "\u00ad"
FONT = "Helvetica"
BODY_SIZE = 12
LEADING = 16
MARGIN = 80  # points; US Letter is 612 x 792
HEADER_Y = 34
FOOTER_Y = 752
CREATED = datetime(2025, 3, 31, 12, 0, 0, tzinfo=timezone.utc)


def header_text(year: int) -> str:
    return f"{year} NATIONAL TRADE ESTIMATE REPORT ON FOREIGN TRADE BARRIERS"


class NTEPdf(FPDF):
    def __init__(self, year: int, first_page_number: int):
        super().__init__(orientation="P", unit="pt", format="letter")
        self.report_year = year
        self.first_page_number = first_page_number
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        self.set_creation_date(CREATED)
        self.set_title(f"{year} National Trade Estimate Report on Foreign Trade Barriers (demo excerpt)")
        self.set_author("Office of the United States Trade Representative (demo)")
        self.set_subject("Demo corpus for tradeclaims -- not an official USTR document")
        self.set_creator("tradeclaims corpus/generate_demo_pdfs.py")
        self.set_producer("tradeclaims demo")
        self.set_lang("en-US")
        # state used by the checks
        self.hyphenated = 0
        self.split_paragraphs = 0

    # running header and page-number footer, set apart from the body by position
    def header(self):
        self.set_font(FONT, "", 8)
        self.set_xy(MARGIN, HEADER_Y)
        self.cell(self.epw, 10, header_text(self.report_year), align="C")
        self.set_line_width(0.4)
        self.line(MARGIN, HEADER_Y + 14, self.w - MARGIN, HEADER_Y + 14)
        self.set_xy(MARGIN, MARGIN)

    def footer(self):
        self.set_font(FONT, "", 10)
        self.set_xy(MARGIN, FOOTER_Y)
        number = self.first_page_number + self.page_no() - 1
        self.cell(self.epw, 12, f"-{number}-", align="C")

    # building blocks
    def _room(self, height: float) -> None:
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def chapter(self, name: str) -> None:
        if self.page_no() == 0 or self.get_y() > MARGIN + 1:
            self.add_page()
        self.set_font(FONT, "B", 14)
        self.cell(self.epw, 18, name, align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(14)

    def section(self, name: str) -> None:
        self._room(LEADING * 5)
        self.ln(6)
        self.set_font(FONT, "B", 12)
        self.cell(self.epw, LEADING, name, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(6)

    def subsection(self, name: str) -> None:
        self._room(LEADING * 4)
        self.set_font(FONT, "BU", 12)
        self.cell(self.epw, LEADING, name, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def paragraph(self, text: str) -> None:
        text = " ".join(text.split()).replace("~", SOFT_HYPHEN)
        self._room(LEADING * 2)
        self.set_font(FONT, "", BODY_SIZE)
        page_before = self.page_no()
        lines = self.multi_cell(
            self.epw, LEADING, text, align="J", new_x="LMARGIN", new_y="NEXT",
            dry_run=True, output="LINES",
        )
        self.hyphenated += sum(1 for line in lines[:-1] if line.endswith("-"))
        self.multi_cell(self.epw, LEADING, text, align="J", new_x="LMARGIN", new_y="NEXT")
        if self.page_no() != page_before:
            self.split_paragraphs += 1
        self.ln(8)


def build(path: Path, year: int, first_page_number: int, blocks: list[tuple[str, str]]) -> NTEPdf:
    pdf = NTEPdf(year, first_page_number)
    for kind, value in blocks:
        getattr(pdf, kind)(value)
    for kind, value in blocks:
        for ch in value.replace("~", ""):
            if ord(ch) > 0xFF:
                raise ValueError(f"{path.name}: non latin-1 character {ch!r} in {value[:40]!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return pdf


# --------------------------------------------------------------------------- #
# Content. Facts are public (or illustrative, see README); the wording is ours.
# --------------------------------------------------------------------------- #

KOREA_2025 = [
    ("chapter", "REPUBLIC OF KOREA"),
    ("section", "TRADE AGREEMENTS"),
    ("subsection", "The United States-Korea Free Trade Agreement"),
    ("paragraph", """
The United States-Korea Free Trade Agreement (KORUS) entered into force on March
15, 2012. Within five years of that date, nearly 95 percent of two-way trade in
consumer and industrial goods had become duty free. The two governments review
imple~men~ta~tion through the KORUS Joint Committee and a set of specialized
committees and working groups, which met most recently in 2024.
"""),
    ("paragraph", """
Goods trade between the United States and Korea totaled approximately $197.1
billion in 2024. U.S. goods exports to Korea were $65.5 billion, while U.S. imports
from Korea reached $131.5 billion, so the U.S. goods trade deficit with Korea stood
at $66.0 billion, an increase of 29.9 percent over 2023.
"""),
    ("section", "IMPORT POLICIES"),
    ("subsection", "Tariffs"),
    ("paragraph", """
Korea's simple average most-favored-nation (MFN) applied tariff was 13.4 percent in
2023. The average for agricultural products is considerably higher, at more than 50
percent, and applied duties on a number of fresh fruits and vegetables range from
30 percent to 45 percent. Under KORUS, the 40 percent tariff that Korea applied to
U.S. beef when the agreement took effect is being reduced in equal annual steps and
is scheduled to reach zero on January 1, 2026. Rice was excluded from the tariff
commit~ments of the agreement.
"""),
    ("subsection", "Customs Barriers"),
    ("paragraph", """
U.S. exporters continue to report that verifications of origin conducted by the
Korea Customs Service under Article 6.17 of KORUS can be burden~some, particularly
for small firms that ship under the agreement only occasionally. Requests for
docu~men~ta~tion sometimes reach back several years and cover information that
companies consider confidential. The United States has asked Korea to apply the
verification provisions consistently with the text of Chapter Six and to limit
requests to the records actually needed to establish origin.
"""),
    ("section", "GOVERNMENT PROCUREMENT"),
    ("paragraph", """
Korea is a Party to the WTO Agreement on Government Procurement (GPA), and KORUS
Chapter Seventeen extends market access for covered procurement beyond Korea's GPA
commitments. Nevertheless, U.S. suppliers continue to raise concerns about the
trans~par~en~cy of tender requirements and about preferences for locally developed
technology in public procurement.
"""),
    ("subsection", "Defense Offsets"),
    ("paragraph", """
Korea's Defense Acquisition Program Administration (DAPA) requires an offset
agreement for any purchase of foreign defense equipment or services whose contract
value exceeds $10 million. Korea first put an offset program in place in 1982,
using it to obtain technology, train its engineers and establish domestic production
of components for systems bought abroad. The policy has been a central tool in the
growth of Korea's defense industry, which now exports platforms such as the KF-21
fighter and the K9 howitzer and also performs upgrade work on the F-16V.
"""),
    ("paragraph", """
Under the current guidelines, the required offset equals 30 percent of the contract
value when a contract is awarded without competition and 50 percent when it is
awarded through a competitive process. These levels are below the requirements of
many European countries, some of which have demanded offsets of close to 100
percent of contract value. Published research also indicates that the value of the
offset agreements Korea concluded fell from nearly $8 billion in 2011-2015 to around
$800 million in 2016-2020.
"""),
    ("paragraph", """
U.S. defense firms nonetheless report that offset obligations raise their costs and
that DAPA's evaluation criteria give weight to technology transfer and local
pro~duc~tion in ways that can disadvantage U.S. bidders. Guidelines issued under the
Defense Acquisition Program Act (Law No. 12345, as amended) give DAPA broad
discretion in setting offset content. Korea's localization program for components
used in the KF-21 and other domestically developed systems is budgeted at KRW 1.3
trillion (about $1 billion) over five years, and U.S. suppliers are concerned that
it will further narrow opportunities for imported parts.
"""),
    ("paragraph", """
In 2022, the leaders of the United States and Korea agreed to begin negotiations on a
Reciprocal Defense Procurement Agreement (RDP Agreement), which would give each
country's suppliers treatment no less favorable than domestic suppliers in the other's
defense procurement. Talks were initiated in 2022 and continued in 2024. The United
States will continue to press Korea to reduce its reliance on offsets and to conclude
an RDP Agreement that provides reciprocal access for U.S. defense companies.
"""),
    ("section", "INTELLECTUAL PROPERTY PROTECTION"),
    ("paragraph", """
Korea generally provides strong protection and enforcement of intellectual property
rights. U.S. stakeholders, however, remain concerned about online piracy of music,
film and software and estimate that it costs rights holders between $1 billion and
$2 billion a year. Stakeholders also ask Korea to strengthen protections against the
misappro~pri~a~tion of trade secrets by former employees and business partners.
"""),
    ("section", "SERVICES BARRIERS"),
    ("subsection", "Telecommunications"),
    ("paragraph", """
Korea caps foreign ownership of facilities-based telecommunications carriers at 49
percent. Under KORUS, Korea permits up to 100 percent indirect foreign ownership of
most such carriers through a Korean-established subsidiary, with the exception of the
two largest operators.
"""),
    ("subsection", "Online Services"),
    ("paragraph", """
The United States continues to monitor legislative proposals that would require
content providers to pay network usage fees to Korean internet service providers.
U.S. companies also note that Korea restricts the export of high-precision map data,
which places foreign providers of navigation and location services at a
disad~van~tage relative to Korean competitors that host their data locally.
"""),
]

# The 2024 edition of the Korea chapter: the 2025 text as it stood a year earlier, so that
# `edition_changes` has every kind of change to show (see corpus/README.md). Each pair is
# (2025 wording, 2024 wording); every 2025 wording must occur exactly once.
KOREA_2024_EDITS = [
    # trade values one year older: revised
    ("approximately $197.1\nbillion in 2024", "approximately $186.1\nbillion in 2023"),
    ("were $65.5 billion", "were $65.1 billion"),
    ("reached $131.5 billion", "reached $116.2 billion"),
    ("stood\nat $66.0 billion, an increase of 29.9 percent over 2023", "stood\nat $51.1 billion, an increase of 17.2 percent over 2022"),
    # the same tariff average for an older reference year: revised (a new period)
    ("13.4 percent in\n2023", "13.4 percent in\n2022"),
    # the competitive offset rate was lower: revised, an offset alert
    ("and 50 percent when it is\nawarded through a competitive process",
     "and 40 percent when it is\nawarded through a competitive process"),
    # the localization budget is new in 2025: added (offset alerts)
    ("""Korea's localization program for components
used in the KF-21 and other domestically developed systems is budgeted at KRW 1.3
trillion (about $1 billion) over five years, and U.S. suppliers are concerned that
it will further narrow opportunities for imported parts.""",
     """Offset credit multipliers for
technology transfer can reach up to 300 percent of the value of the transferred
technology, which foreign bidders say makes the rules hard to predict."""),
    ("continued in 2024.", "continued in 2023."),
    ("met most recently in 2024.", "met most recently in 2023."),
]


def edition(blocks: list[tuple[str, str]], edits: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``blocks`` with each (new, old) wording replaced by the old one; every wording must occur once."""
    text = "\x00".join(f"{kind}\x01{value}" for kind, value in blocks)
    for new, old in edits:
        if text.count(new) != 1:
            raise ValueError(f"edition edit {new[:40]!r} occurs {text.count(new)} times, not once")
        text = text.replace(new, old)
    return [tuple(block.split("\x01", 1)) for block in text.split("\x00")]


KOREA_2024 = edition(KOREA_2025, KOREA_2024_EDITS)

INDIA_2025 = [
    ("chapter", "INDIA"),
    ("section", "TRADE AGREEMENTS"),
    ("paragraph", """
In February 2025, the leaders of the United States and India set a goal of raising
bilateral trade to $500 billion by 2030 and announced plans to negotiate the first
tranche of a mutually bene~fi~cial bilateral trade agreement. India is not a party to
any free trade agreement with the United States.
"""),
    ("paragraph", """
U.S. goods trade with India totaled an estimated $129.2 billion in 2024. U.S. goods
exports to India were $41.8 billion, up 3.4 percent from 2023, and U.S. imports from
India were $87.4 billion, up 4.5 percent. The U.S. goods trade deficit with India was
$45.7 billion in 2024, a 5.4 percent increase over the previous year.
"""),
    ("section", "IMPORT POLICIES"),
    ("subsection", "Tariffs"),
    ("paragraph", """
India's tariffs remain among the highest of any major economy. Its simple average
MFN applied tariff was 17.0 percent in 2023, with an average of 39.0 percent on
agri~cul~tural products and 13.5 percent on non-agricultural products. India's
average bound tariff is 50.8 percent, and the wide gap between bound and applied
rates allows India to raise duties at any time without notice, which creates
uncer~tain~ty for U.S. exporters.
"""),
    ("paragraph", """
Applied duties on many agricultural goods, including nuts, apples and processed
foods, range from 30 percent to 100 percent, and tariffs on some alcoholic beverages
reach up to 150 percent. In February 2025, India lowered the basic customs duty on
bourbon whiskey from 150 percent to 100 percent, but other charges continue to apply
on top of that rate.
"""),
    ("subsection", "Customs Barriers"),
    ("paragraph", """
Importers report that valuation disputes under the Customs Act, 1962 are frequent and
that customs officials often reject declared trans~ac~tion values. Procedures for
obtaining advance rulings are slow, and clearance times at some ports exceed those
in com~par~able economies.
"""),
    ("section", "GOVERNMENT PROCUREMENT"),
    ("paragraph", """
India is not a Party to the GPA but has been an observer to the WTO Committee on
Government Procurement since 2010. Under the Public Procurement (Preference to Make
in India) Order 2017, a supplier qualifies as a Class-I local supplier when local
content is at least 50 percent, and as a Class-II local supplier when local content
is between 20 percent and 50 percent. Since May 2020, government entities may not
issue global tender enquiries for pro~cure~ments valued at up to Rs. 200 crore.
"""),
    ("subsection", "Defense Offsets"),
    ("paragraph", """
India first introduced defense offsets in 2005 under its Defence Procurement
Procedure, initially for contracts above Rs. 300 crore. Under the Defence
Acquisition Procedure 2020, foreign vendors must discharge offsets equal to 30
percent of the estimated cost of acqui~si~tion for defense contracts of Rs. 2,000
crore or more. Offsets are not required for government-to-govern~ment agreements
or single-vendor contracts. In a 2019 audit, India's national auditor found that only
about 48 percent of the offset claims submitted by vendors had been accepted.
India's defense exports reached a record of about Rs. 23,622 crore in the fiscal year
ending March 31, 2025, and the government presents offsets as one route to further
growth.
"""),
    ("section", "INTELLECTUAL PROPERTY PROTECTION"),
    ("paragraph", """
India remained on the Priority Watch List in the 2025 Special 301 Report.
Longstanding concerns include the patentability criteria in Section 3(d) of the Patents
Act, 1970, the threat of com~pul~sory licensing, and weak protection against the
unfair commercial use of test data submitted to obtain marketing approval for
pharma~ceu~tical and agricultural chemical products.
"""),
    ("section", "SERVICES BARRIERS"),
    ("subsection", "Insurance"),
    ("paragraph", """
The Union Budget for fiscal year 2025-26 proposed to raise the limit on foreign direct
invest~ment in insurance companies from 74 percent to 100 percent for insurers that
invest their entire premium income in India.
"""),
    ("subsection", "Digital Services Taxes"),
    ("paragraph", """
India abolished its 2 percent equalisation levy on e-commerce supply of services
with effect from August 1, 2024, and removed the 6 percent equalisation levy on
online adver~tis~ing services from April 1, 2025. The United States will monitor
whether similar measures are reintroduced.
"""),
]

EU_2025 = [
    ("chapter", "EUROPEAN UNION"),
    ("section", "TRADE AGREEMENTS"),
    ("paragraph", """
The European Union (EU) is a customs union of 27 member states that applies a common
external tariff and a common trade policy. U.S. goods trade with the EU totaled an
estimated $975.9 billion in 2024. U.S. goods exports to the EU were $370.2 billion and
U.S. imports from the EU were $605.8 billion, leaving a U.S. goods trade deficit of
$235.6 billion, up 12.9 percent from 2023.
"""),
    ("section", "IMPORT POLICIES"),
    ("subsection", "Tariffs"),
    ("paragraph", """
The EU's simple average MFN applied tariff is about 5 percent, but its average tariff
on agricultural products is more than 10 percent. The EU applies a 10 percent duty on
passenger vehicles and a 22 percent duty on most trucks, compared with U.S. rates of
2.5 percent and 25 percent respec~tive~ly. Tariffs on certain fish and seafood products
range from 2 percent to 26 percent.
"""),
    ("subsection", "Customs Barriers"),
    ("paragraph", """
On 17 May 2023, the European Com~mis~sion proposed a reform of the EU customs union
that would create an EU Customs Authority and a central customs data hub. The
proposal would also remove the exemption from customs duties for consignments valued
at EUR 150 or less. U.S. exporters have asked that the new arrange~ments be
imple~mented in a way that does not add to clearance times.
"""),
    ("section", "GOVERNMENT PROCUREMENT"),
    ("paragraph", """
EU public procurement is governed by Directive 2014/24/EU on public procurement,
Directive 2014/25/EU on procurement by entities in the water, energy, trans~port and
postal sectors, and Directive 2009/81/EC on defense and security procurement. For
2024-2025, the thresholds above which these rules apply are EUR 143,000 for supplies
and services contracts of central government author~i~ties, EUR 221,000 for those of
sub-central authorities and EUR 5,538,000 for works contracts.
"""),
    ("subsection", "Defense Procurement"),
    ("paragraph", """
The White Paper for European Defence, published on 19 March 2025, together with the
ReArm Europe plan, envisages mobi~liz~ing up to EUR 800 billion in defense spending.
The Security Action for Europe (SAFE) instrument provides up to EUR 150 billion in
loans to member states, but it generally requires that at least 65 percent of the cost
of components of an eligible product originate in the EU, the European Economic Area
or Ukraine. The proposed European Defence Industry Programme would provide EUR 1.5
billion for 2025-2027, and the European Defence Fund has a budget of about EUR 8
billion for 2021-2027. U.S. industry is concerned that these programs will
system~at~ically favor European suppliers.
"""),
    ("subsection", "Defense Offsets"),
    ("paragraph", """
Directive 2009/81/EC does not permit offsets as such, and the Commission's 2016
guidance states that offset requirements can be justified only under narrow
national security exceptions. Several member states nonetheless continue to seek
industrial partici~pa~tion com~mit~ments from foreign suppliers, and historically
European offset demands have often approached 100 percent of contract value.
"""),
    ("section", "INTELLECTUAL PROPERTY PROTECTION"),
    ("paragraph", """
The EU has registered more than 3,500 geo~graph~i~cal indications (GIs), and its trade
agreements with third countries increasingly protect GIs in ways that restrict the use
of common food names by U.S. producers.
"""),
    ("section", "SERVICES BARRIERS"),
    ("subsection", "Digital Services Taxes"),
    ("paragraph", """
Several member states apply digital services taxes. France has applied a 3 percent
tax on revenues from certain digital services since 2019 to companies with world~wide
revenues of at least EUR 750 million and French revenues of at least EUR 25 million.
Italy and Spain apply similar 3 percent taxes, and Austria applies a 5 percent tax on
online advertising revenues.
"""),
]

POLAND_2024 = [
    ("chapter", "POLAND"),
    ("section", "TRADE AGREEMENTS"),
    ("paragraph", """
Poland has been a member of the European Union since May 1, 2004, and trade measures
applied by the EU apply to Poland; see also the chapter on the European Union. Poland
is one of the fastest-growing markets for U.S. goods in Central Europe, and U.S. goods
exports to Poland were more than $13 billion in 2023.
"""),
    ("section", "IMPORT POLICIES"),
    ("subsection", "Tariffs"),
    ("paragraph", """
As an EU member state, Poland applies the EU common external tariff, whose simple
average MFN applied rate is about 5 percent. Import duties on certain agricultural
products are considerably higher and range from 20 percent to 40 percent on some
processed foods.
"""),
    ("subsection", "Agricultural Biotechnology"),
    ("paragraph", """
Poland's feed law would prohibit the use of genetically engineered feed, most of
which is soybean meal imported from the Americas. The ban has been postponed several
times, most recently to January 1, 2030. U.S. exporters of soybean meal, which
supplies a large share of the protein in Polish poultry feed, continue to face
uncer~tain~ty about whether the prohibition will eventually take effect.
"""),
    ("subsection", "Customs Barriers"),
    ("paragraph", """
U.S. companies report that customs clearance at Polish border crossings is generally
efficient, but that classification decisions for certain electronic and dual-use goods
can differ from those issued by other member states. Binding tariff information issued
in another member state is valid in Poland, yet exporters say they sometimes face
requests for additional documents at the point of entry.
"""),
    ("section", "GOVERNMENT PROCUREMENT"),
    ("paragraph", """
Poland's Public Procurement Law of 11 September 2019 implements the EU procurement
directives, including Directive 2014/24/EU. U.S. suppliers report that tender
spec~i~fi~ca~tions in some sectors favor incumbent domestic firms.
"""),
    ("subsection", "Defense Offsets"),
    ("paragraph", """
Poland regulates offsets through the Act of 26 June 2014 on certain agreements
concluded in connection with contracts essential for national security (the Offset
Act). Offset agreements are concluded by the State Treasury, represented by the
Minister of National Defence, and may be required where they are necessary to protect
the essential security interests of the state. Poland planned to spend about 4.1
percent of its gross domestic product on defense in 2024, one of the highest shares
among NATO members, and its large procurement program makes its offset practice
increas~ingly significant for U.S. firms.
"""),
    ("paragraph", """
Offset agreements linked to the first phase of the Wisla air and missile defense
program, purchased in a contract worth about $4.75 billion signed on March 28, 2018,
were valued at roughly PLN 1.9 billion (about $500 million). By contrast, the purchase
of 32 F-35A aircraft for $4.6 billion, signed on January 31, 2020, did not include
offset agreements. In 2022, Poland signed framework agreements with Korean suppliers
for K2 tanks, K9 howitzers and FA-50 aircraft, and the first executive contracts were
worth more than $13 billion. Poland's offset practice between 2014 and 2023 shows a
shift toward technology transfer to state-owned enterprises of the Polish Armaments
Group.
"""),
    ("section", "INTELLECTUAL PROPERTY PROTECTION"),
    ("paragraph", """
U.S. rights holders report continuing problems with online piracy in Poland,
including unlicensed streaming services and the sale of counterfeit goods at some
open-air markets near the western border.
"""),
    ("section", "SERVICES BARRIERS"),
    ("subsection", "Audiovisual Services"),
    ("paragraph", """
Poland requires video-on-demand services to ensure that European works make up at
least 30 percent of their catalogues, and it requires them to contribute 1.5 percent
of their revenues to the Polish Film Institute. U.S. providers consider these
require~ments a barrier to the provision of their services.
"""),
    ("subsection", "Retail Sales Tax"),
    ("paragraph", """
Since January 1, 2021, Poland has levied a tax on retail sales at progressive rates
of 0.8 percent on monthly revenue between PLN 17 million and PLN 170 million and 1.4
percent on monthly revenue above PLN 170 million. Because the highest rate falls
mainly on large retailers, several of which are foreign-owned, U.S. stakeholders view
the tax as discriminatory in effect. The European Commission challenged the tax as
incompatible with EU state aid rules, but the Court of Justice of the European Union
upheld it in a ruling of 16 March 2021.
"""),
    ("section", "INVESTMENT BARRIERS"),
    ("paragraph", """
Poland screens foreign investment under the Act of 24 July 2015 on the control of
certain investments. Amendments that took effect in July 2020 require investors from
outside the European Economic Area to notify the Office of Competition and Consumer
Protection before acquiring at least 20 percent of the votes in a Polish company
active in a sensitive sector whose revenue in Poland exceeded EUR 10 million in
either of the two preceding financial years. The review may take up to 150 days,
and U.S. investors report that the broad list of covered sectors adds time and cost
to routine trans~ac~tions.
"""),
    ("section", "OTHER BARRIERS"),
    ("subsection", "Pharmaceutical Pricing and Reimbursement"),
    ("paragraph", """
U.S. pharmaceutical companies continue to raise concerns about the transparency of
Poland's reimbursement decisions under the Reimbursement Act of 12 May 2011. The
public payer's spending on reimbursed medicines is limited by statute to 17 percent
of the total budget for guaranteed health services, and companies report that new
innovative medicines often wait more than two years for a reimbursement decision.
Industry estimates that only about 30 percent of new medicines approved in the EU
between 2019 and 2022 were reimbursed in Poland by the end of that period, compared
with an EU average of more than 40 percent.
"""),
    ("paragraph", """
The Ministry of Health updates the reimbursement lists every two months. Companies
whose products are listed must often accept payback mechanisms and risk-sharing
arrangements, and the criteria applied in price negotiations are not published in
detail. The United States will continue to urge Poland to provide a transparent and
predictable process, with meaningful opportunities for stakeholders to comment on
proposed changes and to appeal decisions that affect the availability of their
products to Polish patients.
"""),
]

DOCUMENTS = [
    ("nte-2025-korea.pdf", 2025, 247, KOREA_2025),
    ("nte-2025-india-eu.pdf", 2025, 187, INDIA_2025 + EU_2025),
    ("nte-2024-poland.pdf", 2024, 361, POLAND_2024),
    ("nte-2024-korea.pdf", 2024, 251, KOREA_2024),
]


def main() -> int:
    problems = []
    for name, year, first_page, blocks in DOCUMENTS:
        path = OUT_DIR / name
        pdf = build(path, year, first_page, blocks)
        print(f"{path.relative_to(OUT_DIR.parent.parent.parent)}: {pdf.page_no()} pages, "
              f"{pdf.hyphenated} hyphenated line ends, {pdf.split_paragraphs} paragraphs split across pages")
        if pdf.hyphenated < 1:
            problems.append(f"{name}: no hyphenated line end")
        if pdf.split_paragraphs < 1:
            problems.append(f"{name}: no paragraph runs across a page break")
        if not 3 <= pdf.page_no() <= 6:
            problems.append(f"{name}: {pdf.page_no()} pages (want 3-6)")
    for problem in problems:
        print("WARNING:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
