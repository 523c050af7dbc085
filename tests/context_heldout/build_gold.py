#!/usr/bin/env python3
"""Hand annotations for the context held-out set.

Writes docs/*.txt and gold.jsonl. Each annotation lists the span text; the
script finds it in the document, searching forward from the previous claim,
so annotations must be in text order. It checks doc_text[start:end] == text.
Uses nothing from the extractor.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

DOCS = {}
GOLD = {}


def C(text, kind, value, unit, qualifier, subject, condition=None, period=None,
      low=None, high=None):
    return dict(text=text, kind=kind, value=value, unit=unit, qualifier=qualifier,
                subject=subject, condition=condition, period=period, low=low, high=high)


def D(text, value, subject):
    """date claim"""
    return C(text, "date", value, None, "exact", subject)


def P(text, low, high, subject, fiscal=False):
    """period claim"""
    value = low if low == high else f"{low}/{high}"
    return C(text, "period", value, "fiscal_year" if fiscal else None, "range",
             subject, low=low, high=high)


def PCT(text, value, subject, q="exact", condition=None, period=None, unit="percent"):
    return C(text, "percent", value, unit, q, subject, condition, period)


def PP(text, value, subject, q="exact", condition=None, period=None):
    return PCT(text, value, subject, q, condition, period, unit="percentage_points")


def PR(text, low, high, subject, condition=None, period=None, unit="percent"):
    return C(text, "percent", None, unit, "range", subject, condition, period, low, high)


def M(text, value, unit, subject, q="exact", condition=None, period=None):
    return C(text, "money", value, unit, q, subject, condition, period)


def MR(text, low, high, unit, subject, condition=None, period=None):
    return C(text, "money", None, unit, "range", subject, condition, period, low, high)


# ---------------------------------------------------------------------------
DOCS["nte_korea"] = """KOREA

TRADE SUMMARY

U.S. goods exports to Korea were $65.5 billion in 2024, up 0.9 percent from 2023. U.S. goods imports from Korea totaled $131.5 billion, an increase of 13.2 percent over the prior year. The U.S. goods trade deficit with Korea was $66.0 billion in 2024.

GOVERNMENT PROCUREMENT

Korea is a Party to the WTO Agreement on Government Procurement (GPA). Under the KORUS FTA, Korea opened procurement by central government entities to U.S. suppliers for goods and services contracts valued at KRW 100 million or more. The threshold for construction services is KRW 7.4 billion. U.S. companies report that Korea's Public Procurement Service awarded roughly 12 percent of its 2023 contract value to foreign-owned firms.

Small and medium-sized enterprises benefit from set-asides: agencies must reserve at least 50 percent of purchases of designated products for domestic SMEs when the estimated contract price is below KRW 230 million.

Defense Offsets

Korea's Defense Acquisition Program Administration (DAPA) requires offsets on foreign defense purchases when the contract value exceeds $10 million. In 2024, the standard offset obligation was 50 percent of the contract value, compared with a range of 30 to 50 percent in 2018. For contracts above $50 million, DAPA may demand offsets of up to 70 percent. Industry estimates that offset obligations worth about $4.3 billion were outstanding at the end of 2023. DAPA announced in March 2025 that it would phase out offset requirements for purchases financed through the U.S. Foreign Military Sales program by 2027.
"""
GOLD["nte_korea"] = [
    M("$65.5 billion", 65500000000, "USD", "KOR", period="2024"),
    D("2024", "2024", "KOR"),
    PCT("0.9 percent", 0.9, "KOR", period="2024"),
    D("2023", "2023", "KOR"),
    M("$131.5 billion", 131500000000, "USD", "KOR"),
    PCT("13.2 percent", 13.2, "KOR"),
    M("$66.0 billion", 66000000000, "USD", "KOR", period="2024"),
    D("2024", "2024", "KOR"),
    M("KRW 100 million", 100000000, "KRW", "KOR", q="at_least"),
    M("KRW 7.4 billion", 7400000000, "KRW", "KOR"),
    PCT("12 percent", 12, "KOR", q="approx", period="2023"),
    D("2023", "2023", "KOR"),
    PCT("50 percent", 50, "KOR", q="at_least",
        condition="when the estimated contract price is below KRW 230 million"),
    M("KRW 230 million", 230000000, "KRW", "KOR", q="less_than"),
    M("$10 million", 10000000, "USD", "KOR", q="more_than"),
    D("2024", "2024", "KOR"),
    PCT("50 percent", 50, "KOR", period="2024"),
    PR("30 to 50 percent", 30, 50, "KOR", period="2018"),
    D("2018", "2018", "KOR"),
    M("$50 million", 50000000, "USD", "KOR", q="more_than"),
    PCT("70 percent", 70, "KOR", q="at_most", condition="For contracts above $50 million"),
    M("$4.3 billion", 4300000000, "USD", "KOR", q="approx", period="2023"),
    D("2023", "2023", "KOR"),
    D("March 2025", "2025-03", "KOR"),
    D("2027", "2027", "KOR"),
]

# ---------------------------------------------------------------------------
DOCS["nte_india"] = """INDIA

TRADE SUMMARY

U.S. goods trade with India totaled an estimated $129.2 billion in 2024. U.S. goods exports to India were $41.8 billion, up 3.4 percent from 2023, and imports from India were $87.4 billion.

IMPORT POLICIES

Tariffs

India's average Most-Favored-Nation (MFN) applied tariff rate was 17.0 percent in 2023, among the highest of any major economy. India's average bound tariff rate is 50.8 percent. India's average applied rate on agricultural products is 39 percent, and bound rates on some edible oils are 300 percent. In the budget for FY2024-25, India cut the basic customs duty on mobile phones and chargers from 20 percent to 15 percent.

India also applies an Agriculture Infrastructure and Development Cess of up to 100 percent on certain imports, in addition to basic customs duty.

GOVERNMENT PROCUREMENT

India is not a Party to the GPA. Under the Public Procurement (Preference to Make in India) Order, a "Class-I local supplier" must demonstrate local content of 50 percent or more, and a "Class-II local supplier" must show more than 20 percent. For procurements with an estimated value below Rs 200 crore, ministries may not invite global tenders without special approval. Micro and small enterprises receive a purchase preference when their quoted price is within 15 percent of the lowest bid.

Defense Offsets

India's Defence Acquisition Procedure 2020 requires offsets of 30 percent of the estimated cost of acquisition for capital purchases of Rs 2,000 crore or more. India's defence capital outlay was budgeted at INR 1.72 trillion for FY2024-25, compared with INR 1.62 trillion in FY2023-24. Between 2005 and 2018, foreign vendors signed 57 offset contracts worth approximately $12 billion.
"""
GOLD["nte_india"] = [
    M("$129.2 billion", 129200000000, "USD", "IND", q="approx", period="2024"),
    D("2024", "2024", "IND"),
    M("$41.8 billion", 41800000000, "USD", "IND"),
    PCT("3.4 percent", 3.4, "IND"),
    D("2023", "2023", "IND"),
    M("$87.4 billion", 87400000000, "USD", "IND"),
    PCT("17.0 percent", 17.0, "IND", period="2023"),
    D("2023", "2023", "IND"),
    PCT("50.8 percent", 50.8, "IND"),
    PCT("39 percent", 39, "IND"),
    PCT("300 percent", 300, "IND"),
    P("FY2024-25", "2024", "2025", "IND", fiscal=True),
    PCT("20 percent", 20, "IND"),
    PCT("15 percent", 15, "IND", period="2024/2025"),
    PCT("100 percent", 100, "IND", q="at_most"),
    PCT("50 percent", 50, "IND", q="at_least"),
    PCT("20 percent", 20, "IND", q="more_than"),
    M("Rs 200 crore", 2000000000, "INR", "IND", q="less_than"),
    PCT("15 percent", 15, "IND", q="at_most"),
    PCT("30 percent", 30, "IND",
        condition="for capital purchases of Rs 2,000 crore or more"),
    M("Rs 2,000 crore", 20000000000, "INR", "IND", q="at_least"),
    M("INR 1.72 trillion", 1720000000000, "INR", "IND", period="2024/2025"),
    P("FY2024-25", "2024", "2025", "IND", fiscal=True),
    M("INR 1.62 trillion", 1620000000000, "INR", "IND", period="2023/2024"),
    P("FY2023-24", "2023", "2024", "IND", fiscal=True),
    P("2005 and 2018", "2005", "2018", "IND"),
    M("$12 billion", 12000000000, "USD", "IND", q="approx", period="2005/2018"),
]

# ---------------------------------------------------------------------------
DOCS["nte_turkey"] = """TURKEY

TRADE SUMMARY

U.S. goods exports to Turkey were $16.0 billion in 2024, and U.S. imports from Turkey were $17.6 billion. The U.S. goods trade deficit with Turkey was $1.6 billion, a 76.3 percent decrease from 2023.

IMPORT POLICIES

Tariffs

Turkey's simple average MFN applied tariff was 16.5 percent in 2023. Since its customs union with the European Union entered into force on December 31, 1995, Turkey has applied the EU's common external tariff to most industrial goods, but it levies "additional customs duties" on a wide range of imports from countries that have no free trade agreement with Turkey. In 2024, these additional duties ranged from 10 percent to 40 percent, and Turkey raised the additional duty on passenger vehicles from China to 40 percent in June 2024. Imports of certain agricultural products face duties of up to 130 percent if they enter outside the tariff-rate quota.

GOVERNMENT PROCUREMENT

Turkey's Public Procurement Law No. 4734 grants domestic bidders a price advantage of up to 15 percent. The price advantage rises to 30 percent when the product has a local content share of at least 51 percent. The open tender threshold for goods purchases by central government entities was TRY 12.6 million for 2025.

Defense Offsets

Turkey's Presidency of Defense Industries (SSB) applies industrial participation and offset requirements to foreign defense contracts worth more than $5 million. The offset obligation is generally set at a minimum of 50 percent of the contract value, and SSB has sought obligations of 70 percent for large aircraft and air-defense programs. During 2019-2023, Turkey's arms imports fell by 48 percent compared with 2014-2018, according to one widely cited estimate, as local production expanded.
"""
GOLD["nte_turkey"] = [
    M("$16.0 billion", 16000000000, "USD", "TUR", period="2024"),
    D("2024", "2024", "TUR"),
    M("$17.6 billion", 17600000000, "USD", "TUR", period="2024"),
    M("$1.6 billion", 1600000000, "USD", "TUR"),
    PCT("76.3 percent", 76.3, "TUR"),
    D("2023", "2023", "TUR"),
    PCT("16.5 percent", 16.5, "TUR", period="2023"),
    D("2023", "2023", "TUR"),
    D("December 31, 1995", "1995-12-31", "TUR"),
    D("2024", "2024", "TUR"),
    PR("10 percent to 40 percent", 10, 40, "TUR", period="2024"),
    PCT("40 percent", 40, "TUR", period="2024-06"),
    D("June 2024", "2024-06", "TUR"),
    PCT("130 percent", 130, "TUR", q="at_most",
        condition="if they enter outside the tariff-rate quota"),
    PCT("15 percent", 15, "TUR", q="at_most"),
    PCT("30 percent", 30, "TUR",
        condition="when the product has a local content share of at least 51 percent"),
    PCT("51 percent", 51, "TUR", q="at_least"),
    M("TRY 12.6 million", 12600000, "TRY", "TUR", period="2025"),
    D("2025", "2025", "TUR"),
    M("$5 million", 5000000, "USD", "TUR", q="more_than"),
    PCT("50 percent", 50, "TUR", q="at_least"),
    PCT("70 percent", 70, "TUR", condition="for large aircraft and air-defense programs"),
    P("2019-2023", "2019", "2023", "TUR"),
    PCT("48 percent", 48, "TUR", period="2019/2023"),
    P("2014-2018", "2014", "2018", "TUR"),
]

# ---------------------------------------------------------------------------
DOCS["nte_european_union"] = """EUROPEAN UNION

IMPORT POLICIES

Tariffs

The EU's simple average MFN applied tariff was 5.0 percent in 2023, and 10.8 percent for agricultural products. The EU imposes a 10 percent duty on passenger cars, compared with a U.S. rate of 2.5 percent. In October 2024, the EU imposed additional countervailing duties of between 7.8 percent and 35.3 percent on battery electric vehicles from China.

GOVERNMENT PROCUREMENT

EU procurement directives apply to contracts above set thresholds, which for 2024-2025 are EUR 143,000 for supplies and services purchased by central government authorities and EUR 5.538 million for works contracts. Sub-central authorities apply a higher supplies threshold of EUR 221,000.

Member State practices vary. In Poland, the national procurement office reported that contracts worth PLN 318 billion were awarded in 2023, and foreign contractors won about 3 percent of them by value. Romania's share of cross-border awards was even lower, at 1.5 percent. In Italy, roughly 40 percent of tenders attracted only a single bid in 2022, compared with an EU average of 29 percent.

Defense Offsets

Directive 2009/81/EC on defense procurement discourages offsets, yet several Member States continue to seek industrial returns. Poland requires an offset agreement when a foreign defense contract exceeds PLN 5 million and is concluded without competition. Poland signed offset agreements worth PLN 6.3 billion in 2014, much of it linked to air defense. Portugal abolished its offset regime in 2016, while Czechia still expects industrial cooperation equal to at least 30 percent of the contract value for purchases over CZK 300 million. Belgium's policy targets economic returns of 100 percent for major programs, although it no longer labels them offsets.
"""
GOLD["nte_european_union"] = [
    PCT("5.0 percent", 5.0, "EU", period="2023"),
    D("2023", "2023", "EU"),
    PCT("10.8 percent", 10.8, "EU", condition="for agricultural products", period="2023"),
    PCT("10 percent", 10, "EU"),
    PCT("2.5 percent", 2.5, "USA"),
    D("October 2024", "2024-10", "EU"),
    PR("7.8 percent and 35.3 percent", 7.8, 35.3, "EU", period="2024-10"),
    P("2024-2025", "2024", "2025", "EU"),
    M("EUR 143,000", 143000, "EUR", "EU",
      condition="for supplies and services purchased by central government authorities",
      period="2024/2025"),
    M("EUR 5.538 million", 5538000, "EUR", "EU", condition="for works contracts",
      period="2024/2025"),
    M("EUR 221,000", 221000, "EUR", "EU"),
    M("PLN 318 billion", 318000000000, "PLN", "POL", period="2023"),
    D("2023", "2023", "POL"),
    PCT("3 percent", 3, "POL", q="approx", period="2023"),
    PCT("1.5 percent", 1.5, "ROU"),
    PCT("40 percent", 40, "ITA", q="approx", period="2022"),
    D("2022", "2022", "ITA"),
    PCT("29 percent", 29, "EU", period="2022"),
    M("PLN 5 million", 5000000, "PLN", "POL", q="more_than"),
    M("PLN 6.3 billion", 6300000000, "PLN", "POL", period="2014"),
    D("2014", "2014", "POL"),
    D("2016", "2016", "PRT"),
    PCT("30 percent", 30, "CZE", q="at_least", condition="for purchases over CZK 300 million"),
    M("CZK 300 million", 300000000, "CZK", "CZE", q="more_than"),
    PCT("100 percent", 100, "BEL", condition="for major programs"),
]

# ---------------------------------------------------------------------------
DOCS["news_offsets_survey"] = """Offsets remain a fixture of global arms deals despite criticism

Governments that buy foreign weapons still ask sellers to reinvest part of the price locally, a new industry survey finds. Many countries require offsets of 100% or more of the contract value, and a few, such as Canada, ask for returns of 100 percent for every major purchase through their Industrial and Technological Benefits policy.

Saudi Arabia wants half of its military spending to be localized by 2030, up from roughly 2 percent in 2016. The United Arab Emirates sets its target at 60 percent of contract value for deals above $10 million, while Qatar has no formal offset policy.

In Asia, India's threshold for offsets was raised to Rs 2,000 crore in 2016 from Rs 300 crore, and its standard offset remains 30 percent. South Korea, by contrast, lowered its threshold to $10 million. Malaysia asks for offsets worth at least 100 percent of the contract value when a purchase exceeds RM50 million.

The survey estimates that the global value of outstanding offset obligations reached $45 billion in 2023, roughly 8% more than a year earlier. Typical offset obligations are 50 to 100 percent of the contract value, the authors write, but penalties for non-fulfilment are usually capped at 5 percent or 10 percent.
"""
GOLD["news_offsets_survey"] = [
    PCT("100%", 100, None, q="at_least"),
    PCT("100 percent", 100, "CAN", condition="for every major purchase"),
    PCT("half", 50, "SAU", period="2030"),
    D("2030", "2030", "SAU"),
    PCT("2 percent", 2, "SAU", q="approx", period="2016"),
    D("2016", "2016", "SAU"),
    PCT("60 percent", 60, "ARE", condition="for deals above $10 million"),
    M("$10 million", 10000000, "USD", "ARE", q="more_than"),
    M("Rs 2,000 crore", 20000000000, "INR", "IND", period="2016"),
    D("2016", "2016", "IND"),
    M("Rs 300 crore", 3000000000, "INR", "IND"),
    PCT("30 percent", 30, "IND"),
    M("$10 million", 10000000, "USD", "KOR"),
    PCT("100 percent", 100, "MYS", q="at_least",
        condition="when a purchase exceeds RM50 million"),
    M("RM50 million", 50000000, "MYR", "MYS", q="more_than"),
    M("$45 billion", 45000000000, "USD", None, period="2023"),
    D("2023", "2023", None),
    PCT("8%", 8, None, q="approx", period="2023"),
    PR("50 to 100 percent", 50, 100, None),
    PCT("5 percent", 5, None, q="at_most"),
    PCT("10 percent", 10, None, q="at_most"),
]

# ---------------------------------------------------------------------------
DOCS["news_arms_imports"] = """India tops arms importer ranking again as Ukraine imports surge

India was the world's largest arms importer in 2019–2023, accounting for 9.8% of global imports, according to figures released by a Stockholm research institute on March 11, 2024. Its imports rose by 4.7% compared with 2014–18.

Ukraine became the fourth-largest importer over the same five-year period, with a share of 4.9%, after receiving large volumes of military aid since February 2022. Saudi Arabia's share was 8.4 percent, down from 11 percent in 2016-2020, and Qatar's imports nearly quadrupled.

Between 2011 and 2015, India's share had been even higher, at 14 percent, while China then took 4.7 percent. European states increased their arms imports by 94 percent between the periods 2014-2018 and 2019-2023.

The United States accounted for 42% of global arms exports in 2019-23, up from 34% in the previous five years. France overtook Russia to become the second-largest exporter, with an 11% share, while Russian exports fell by 53%.

The report put the total value of the global arms trade at an estimated $127 billion in 2021, the latest year for which financial data were available.
"""
GOLD["news_arms_imports"] = [
    P("2019–2023", "2019", "2023", "IND"),
    PCT("9.8%", 9.8, "IND", period="2019/2023"),
    D("March 11, 2024", "2024-03-11", None),
    PCT("4.7%", 4.7, "IND"),
    P("2014–18", "2014", "2018", "IND"),
    PCT("4.9%", 4.9, "UKR"),
    D("February 2022", "2022-02", "UKR"),
    PCT("8.4 percent", 8.4, "SAU"),
    PCT("11 percent", 11, "SAU", period="2016/2020"),
    P("2016-2020", "2016", "2020", "SAU"),
    P("2011 and 2015", "2011", "2015", "IND"),
    PCT("14 percent", 14, "IND", period="2011/2015"),
    PCT("4.7 percent", 4.7, "CHN", period="2011/2015"),
    PCT("94 percent", 94, None, period="2019/2023"),
    P("2014-2018", "2014", "2018", None),
    P("2019-2023", "2019", "2023", None),
    PCT("42%", 42, "USA", period="2019/2023"),
    P("2019-23", "2019", "2023", "USA"),
    PCT("34%", 34, "USA"),
    PCT("11%", 11, "FRA"),
    PCT("53%", 53, "RUS"),
    M("$127 billion", 127000000000, "USD", None, q="approx", period="2021"),
    D("2021", "2021", None),
]

# ---------------------------------------------------------------------------
DOCS["news_tariff_gaps"] = """Tariff gaps widen as Washington presses partners

Average tariffs still vary widely among the world's major economies. Brazil's simple average applied tariff stands at 11.2 percent, roughly four times Japan's 2.5 percent, while South Korea averages 13.4 percent because of high agricultural duties. Argentina's average of 13.2 percent is close to Brazil's, but its import duty on cars is 35 percent, the maximum allowed under the Mercosur common external tariff.

Developing economies generally bind their tariffs well above applied levels. Across many developing countries, the gap between bound and applied rates exceeds 20 percentage points, giving governments room to raise duties without breaching WTO commitments. Indonesia, for instance, has bound most of its tariffs at 40 per cent but applies an average of about 8 per cent.

Vietnam cut its most-favoured-nation tariff on U.S. ethanol to 5 percent from 10 percent in 2025, and reduced the rate on frozen chicken legs to 15 percent. The Philippines lowered rice tariffs from 35 percent to 15 percent in July 2024.

Thailand, meanwhile, charges a 60 percent tariff on imported wine and an 80 percent tariff on passenger cars. A U.S. exporter of cars to Thailand therefore faces a rate 77.5 percentage points higher than a Thai exporter faces in the United States, where the car tariff is 2.5 percent.
"""
GOLD["news_tariff_gaps"] = [
    PCT("11.2 percent", 11.2, "BRA"),
    PCT("2.5 percent", 2.5, "JPN"),
    PCT("13.4 percent", 13.4, "KOR"),
    PCT("13.2 percent", 13.2, "ARG"),
    PCT("35 percent", 35, "ARG"),
    PP("20 percentage points", 20, None, q="more_than"),
    PCT("40 per cent", 40, "IDN"),
    PCT("8 per cent", 8, "IDN", q="approx"),
    PCT("5 percent", 5, "VNM", period="2025"),
    PCT("10 percent", 10, "VNM"),
    D("2025", "2025", "VNM"),
    PCT("15 percent", 15, "VNM", period="2025"),
    PCT("35 percent", 35, "PHL"),
    PCT("15 percent", 15, "PHL", period="2024-07"),
    D("July 2024", "2024-07", "PHL"),
    PCT("60 percent", 60, "THA"),
    PCT("80 percent", 80, "THA"),
    PP("77.5 percentage points", 77.5, "THA"),
    PCT("2.5 percent", 2.5, "USA"),
]

# ---------------------------------------------------------------------------
DOCS["nte_saudi_arabia"] = """SAUDI ARABIA

TRADE SUMMARY

U.S. goods exports to Saudi Arabia were $13.2 billion in 2024, up 3.0 percent from the previous year. U.S. goods imports from Saudi Arabia were $12.9 billion.

GOVERNMENT PROCUREMENT

Saudi Arabia is not a Party to the GPA and has observer status. The Government Tenders and Procurement Law, which took effect in December 2019, gives local products a price preference of 10 percent over foreign products. Small and medium-sized local enterprises receive an additional preference of up to 10 percent, and government entities must purchase from the Local Content and Government Procurement Authority's mandatory list when the value of the purchase exceeds SAR 100,000. Bidders on contracts valued at SAR 1 billion or more must score at least 40 percent on local content criteria, weighted with price at a ratio of 60 to 40.

Defense Offsets

Saudi Arabia's General Authority for Military Industries (GAMI) aims to localize more than 50 percent of government military spending by 2030, compared with 19.35 percent at the end of 2023. Foreign defense suppliers are generally expected to invest an amount equal to 35 percent of contract value in the Kingdom for contracts exceeding SAR 400 million. Saudi defense spending was budgeted at SAR 269 billion for 2024, or about $72 billion.
"""
GOLD["nte_saudi_arabia"] = [
    M("$13.2 billion", 13200000000, "USD", "SAU", period="2024"),
    D("2024", "2024", "SAU"),
    PCT("3.0 percent", 3.0, "SAU", period="2024"),
    M("$12.9 billion", 12900000000, "USD", "SAU"),
    D("December 2019", "2019-12", "SAU"),
    PCT("10 percent", 10, "SAU"),
    PCT("10 percent", 10, "SAU", q="at_most"),
    M("SAR 100,000", 100000, "SAR", "SAU", q="more_than"),
    M("SAR 1 billion", 1000000000, "SAR", "SAU", q="at_least"),
    PCT("40 percent", 40, "SAU", q="at_least",
        condition="on contracts valued at SAR 1 billion or more"),
    PCT("50 percent", 50, "SAU", q="more_than", period="2030"),
    D("2030", "2030", "SAU"),
    PCT("19.35 percent", 19.35, "SAU", period="2023"),
    D("2023", "2023", "SAU"),
    PCT("35 percent", 35, "SAU", condition="for contracts exceeding SAR 400 million"),
    M("SAR 400 million", 400000000, "SAR", "SAU", q="more_than"),
    M("SAR 269 billion", 269000000000, "SAR", "SAU", period="2024"),
    D("2024", "2024", "SAU"),
    M("$72 billion", 72000000000, "USD", "SAU", q="approx", period="2024"),
]

# ---------------------------------------------------------------------------
DOCS["news_gpa_thresholds"] = """What the procurement thresholds mean for exporters

Under the WTO Government Procurement Agreement, central government entities must open tenders for goods and services worth SDR 130,000 or more to suppliers from other parties, while the threshold for construction is SDR 5 million. For sub-central entities, most parties apply a goods threshold of SDR 200,000.

Converted into national currencies, the numbers look different. Japan's threshold for central government goods purchases for April 2024 to March 2026 is ¥19 million. Korea's is KRW 230 million. The United States lists a central government goods threshold of $174,000 for 2024 and 2025, while Canada's is C$353,300 for contracts covered by the agreement.

The European Commission says contracts above the thresholds account for about 20 percent of the EU's total public spending on works, goods and services, which exceeded €2 trillion in 2022. In the United Kingdom, the Procurement Act 2023 took effect on February 24, 2025. The goods threshold for central government is now £139,688 including VAT.

Developing countries negotiating accession often ask for transitional thresholds up to three times higher, and for offsets of up to 20 percent during a phase-in period of up to five years.
"""
GOLD["news_gpa_thresholds"] = [
    M("SDR 130,000", 130000, "XDR", "WTO", q="at_least"),
    M("SDR 5 million", 5000000, "XDR", "WTO"),
    M("SDR 200,000", 200000, "XDR", "WTO", condition="For sub-central entities"),
    P("April 2024 to March 2026", "2024-04", "2026-03", "JPN"),
    M("¥19 million", 19000000, "JPY", "JPN", period="2024-04/2026-03"),
    M("KRW 230 million", 230000000, "KRW", "KOR"),
    M("$174,000", 174000, "USD", "USA", period="2024/2025"),
    P("2024 and 2025", "2024", "2025", "USA"),
    M("C$353,300", 353300, "CAD", "CAN", condition="for contracts covered by the agreement"),
    PCT("20 percent", 20, "EU", q="approx"),
    M("€2 trillion", 2000000000000, "EUR", "EU", q="more_than", period="2022"),
    D("2022", "2022", "EU"),
    D("February 24, 2025", "2025-02-24", "GBR"),
    M("£139,688", 139688, "GBP", "GBR"),
    PCT("20 percent", 20, None, q="at_most",
        condition="during a phase-in period of up to five years"),
]

# ---------------------------------------------------------------------------
DOCS["news_poland_k2"] = """Poland signs K2 tank deal as Seoul pushes defence exports

Poland's defence ministry signed a contract worth $6.5 billion for 180 K2 tanks from Hyundai Rotem, the largest single South Korean arms export to date. The deal, signed in Warsaw on August 1, 2025, includes a local production phase, and Polish industry is expected to build 61 of the tanks. The contract carries an offset commitment of about PLN 2.7 billion, which applies only if the local assembly line reaches full output.

South Korea's defence exports reached $17.3 billion in 2022 before falling to $13 billion in 2023. Seoul hopes to lift its share of the global arms market to 5 percent by 2027, from roughly 2.4 percent in 2018–2022.

Poland plans to spend 4.7 percent of gross domestic product on defence in 2025, the highest ratio in NATO, and 4.8 percent in 2026. The country's armament modernisation fund received PLN 31 billion in the 2024 budget. Unlike Poland, Germany reached the alliance's 2 percent target only in 2024, when it spent €90.6 billion.

In Washington, the Pentagon requested $849.8 billion for fiscal year 2025, of which about $167.5 billion was for procurement. Congress added $8 billion in FY2024 for ammunition production capacity if suppliers agreed to multiyear contracts.
"""
GOLD["news_poland_k2"] = [
    M("$6.5 billion", 6500000000, "USD", "POL"),
    D("August 1, 2025", "2025-08-01", "POL"),
    M("PLN 2.7 billion", 2700000000, "PLN", "POL", q="approx",
      condition="if the local assembly line reaches full output"),
    M("$17.3 billion", 17300000000, "USD", "KOR", period="2022"),
    D("2022", "2022", "KOR"),
    M("$13 billion", 13000000000, "USD", "KOR", period="2023"),
    D("2023", "2023", "KOR"),
    PCT("5 percent", 5, "KOR", period="2027"),
    D("2027", "2027", "KOR"),
    PCT("2.4 percent", 2.4, "KOR", q="approx", period="2018/2022"),
    P("2018–2022", "2018", "2022", "KOR"),
    PCT("4.7 percent", 4.7, "POL", period="2025"),
    D("2025", "2025", "POL"),
    PCT("4.8 percent", 4.8, "POL", period="2026"),
    D("2026", "2026", "POL"),
    M("PLN 31 billion", 31000000000, "PLN", "POL", period="2024"),
    D("2024", "2024", "POL"),
    PCT("2 percent", 2, "DEU", period="2024"),
    D("2024", "2024", "DEU"),
    M("€90.6 billion", 90600000000, "EUR", "DEU", period="2024"),
    M("$849.8 billion", 849800000000, "USD", "USA", period="2025"),
    P("fiscal year 2025", "2025", "2025", "USA", fiscal=True),
    M("$167.5 billion", 167500000000, "USD", "USA", q="approx", period="2025"),
    M("$8 billion", 8000000000, "USD", "USA", period="2024",
      condition="if suppliers agreed to multiyear contracts"),
    P("FY2024", "2024", "2024", "USA", fiscal=True),
]


# ---------------------------------------------------------------------------
def build(show=False):
    os.makedirs(os.path.join(HERE, "docs"), exist_ok=True)
    rows = []
    errors = 0
    for name, text in DOCS.items():
        path = os.path.join(HERE, "docs", name + ".txt")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        with open(path, encoding="utf-8", newline="") as f:
            doc_text = f.read()
        assert doc_text == text
        pos = 0
        spans = []
        for c in GOLD[name]:
            i = doc_text.find(c["text"], pos)
            if i < 0:
                print(f"NOT FOUND {name}: {c['text']!r} after {pos}")
                errors += 1
                continue
            # span must not be glued to other word/number characters
            before = doc_text[i - 1] if i > 0 else " "
            after = doc_text[i + len(c["text"])] if i + len(c["text"]) < len(doc_text) else " "
            if before.isalnum() or (after.isalnum() and not c["text"][-1].isalpha()):
                print(f"GLUED {name}: {c['text']!r} at {i}")
                errors += 1
            if c["condition"] and c["condition"] not in doc_text:
                print(f"CONDITION NOT IN TEXT {name}: {c['condition']!r}")
                errors += 1
            start, end = i, i + len(c["text"])
            assert doc_text[start:end] == c["text"]
            spans.append((start, end))
            row = {"doc": f"docs/{name}.txt", "text": c["text"], "start": start, "end": end,
                   "kind": c["kind"], "value": c["value"], "unit": c["unit"],
                   "subject": c["subject"], "condition": c["condition"],
                   "period": c["period"], "qualifier": c["qualifier"],
                   "low": c["low"], "high": c["high"]}
            rows.append(row)
            pos = end
        # numbers in the text not covered by any claim (should all be distractors)
        if show:
            for m in re.finditer(r"[0-9][0-9,.]*", doc_text):
                if not any(s <= m.start() < e for s, e in spans):
                    ctx = doc_text[max(0, m.start() - 25):m.end() + 25].replace("\n", " ")
                    print(f"  uncovered {name}: {m.group()!r}  ...{ctx}...")
    with open(os.path.join(HERE, "gold.jsonl"), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(DOCS)} docs, {len(rows)} claims, {errors} errors")
    return errors


if __name__ == "__main__":
    sys.exit(1 if build(show="--show" in sys.argv) else 0)
