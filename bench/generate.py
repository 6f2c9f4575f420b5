"""Generate news-length English documents for the benchmark, deterministically from a seed.

Each document is a headline, an optional byline, and paragraphs of two to four sentences,
about 700 words in all. Sentences come from templates written for this benchmark, filled
with people, places, organisations, industries and numbers. About a third of the documents
carry forced-labour evidence (passports taken, wages withheld, 16-hour days, threats, debts,
locked dormitories...); the rest are ordinary reporting on labour, migration, industry and
the economy, with an occasional near miss ("withholding tax", "unpaid leave").

Document i depends only on (seed, i), so the first N documents are the same whatever the
total asked for.

    python bench/generate.py --docs 5 --seed 7          # JSONL on stdout: {"id", "text", ...}
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass

TARGET_WORDS = 700
EVIDENCE_SHARE = 0.35

FIRST_NAMES = (
    "Amina",
    "Rahul",
    "Maria",
    "Oleksandr",
    "Nguyen",
    "Fatima",
    "Joseph",
    "Priya",
    "Kwame",
    "Sofia",
    "Tomas",
    "Aisha",
    "Dmitri",
    "Leila",
    "Carlos",
    "Mei",
    "Samuel",
    "Ana",
    "Hassan",
    "Ruth",
    "Bilal",
    "Grace",
    "Yusuf",
    "Elena",
    "Arjun",
    "Nadia",
    "Peter",
    "Lina",
    "Omar",
    "Chloe",
    "Ibrahim",
    "Rosa",
    "Tenzin",
    "Marta",
    "Kofi",
    "Sunita",
    "Andrei",
    "Hana",
    "Diego",
    "Farah",
)
SURNAMES = (
    "Rahman",
    "Okafor",
    "Fernandes",
    "Kowalski",
    "Tran",
    "Haddad",
    "Mensah",
    "Sharma",
    "Ivanova",
    "Santos",
    "Karimi",
    "Lindqvist",
    "Mwangi",
    "Castillo",
    "Chen",
    "Novak",
    "Abebe",
    "Park",
    "Gutierrez",
    "Nasser",
    "Bauer",
    "Adeyemi",
    "Moreau",
    "Petrov",
    "Qureshi",
    "Silva",
    "Tanaka",
    "Walsh",
    "Yilmaz",
    "Zhou",
)
PSEUDONYMS = ("Ravi", "Lan", "Sami", "Dara", "Kiri", "Beno", "Mira", "Tuan", "Asel", "Joni")
TITLES = ("Mr.", "Ms.", "Dr.", "Mrs.")

# (city, country)
PLACES = (
    ("Doha", "Qatar"),
    ("Dubai", "the United Arab Emirates"),
    ("Riyadh", "Saudi Arabia"),
    ("Kuala Lumpur", "Malaysia"),
    ("Bangkok", "Thailand"),
    ("Warsaw", "Poland"),
    ("Naples", "Italy"),
    ("Murcia", "Spain"),
    ("Leicester", "the United Kingdom"),
    ("Vladivostok", "Russia"),
    ("Kursk", "Russia"),
    ("Almaty", "Kazakhstan"),
    ("Taipei", "Taiwan"),
    ("Busan", "South Korea"),
    ("Osaka", "Japan"),
    ("Lagos", "Nigeria"),
    ("Nairobi", "Kenya"),
    ("Beirut", "Lebanon"),
    ("Sao Paulo", "Brazil"),
    ("Houston", "the United States"),
    ("Toronto", "Canada"),
    ("Dhaka", "Bangladesh"),
    ("Kathmandu", "Nepal"),
    ("Manila", "the Philippines"),
)
NATIONALITIES = (
    "Nepali",
    "Bangladeshi",
    "Filipino",
    "Indonesian",
    "Vietnamese",
    "Ukrainian",
    "Uzbek",
    "Ethiopian",
    "Kenyan",
    "Indian",
    "Pakistani",
    "Myanmar",
    "Cambodian",
    "North Korean",
    "Romanian",
    "Sri Lankan",
)
INDUSTRIES = (
    ("construction", "building sites"),
    ("garment", "sewing workshops"),
    ("fishing", "trawlers"),
    ("agriculture", "greenhouses"),
    ("electronics", "assembly lines"),
    ("domestic work", "private homes"),
    ("mining", "pits"),
    ("logistics", "warehouses"),
    ("meat processing", "slaughterhouses"),
    ("hospitality", "hotels"),
    ("shipbuilding", "dry docks"),
    ("palm oil", "plantations"),
)
COMPANIES = (
    "Harbourline Logistics",
    "Crestmoor Textiles",
    "Valdane Construction Group",
    "Orinoco Foods",
    "Tessaract Electronics",
    "Bluefin Marine Holdings",
    "Greystone Mining Ltd.",
    "Sunfield Agro",
    "Northgate Hotels",
    "Ardent Shipyards",
    "Palmera Plantations Bhd.",
    "Kestrel Freight Co.",
)
AGENCIES = (
    "Silverline Manpower",
    "Global Bridge Recruitment",
    "Apex Overseas Employment",
    "Horizon Labour Solutions",
    "Trustway Placement Agency",
)
BODIES = (
    "the International Labour Organization",
    "the United Nations",
    "the World Bank",
    "the labour ministry",
    "the interior ministry",
    "the central bank",
    "the national statistics office",
    "the European Commission",
    "the trade ministry",
    "a regional chamber of commerce",
)
NGOS = (
    "Migrant Workers Aid",
    "the Open Hands Foundation",
    "Labour Watch Asia",
    "the Fair Recruitment Network",
    "Safe Passage International",
    "the Domestic Workers Collective",
)
ROLES = (
    "an economist",
    "an analyst",
    "a researcher",
    "a union organiser",
    "a lawyer",
    "a spokesperson",
    "an inspector",
)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTH_ABBR = ("Jan.", "Feb.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
PRODUCTS = (
    "steel",
    "rice",
    "copper",
    "cotton",
    "semiconductors",
    "frozen fish",
    "palm oil",
    "cement",
    "timber",
)
CURRENCIES = (("$", ""), ("", " US dollars"), ("€", ""), ("", " ringgit"), ("", " riyals"), ("£", ""))
NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve")
HOUR_WORDS = ("fourteen", "fifteen", "sixteen", "seventeen", "eighteen")


class Cast:
    """The people, places and organisations of one document, with slot fillers drawn from them."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.city, self.country = rng.choice(PLACES)
        self.home_city, self.home_country = rng.choice([p for p in PLACES if p[1] != self.country])
        self.nationality = rng.choice(NATIONALITIES)
        self.industry, self.workplace = rng.choice(INDUSTRIES)
        self.company = rng.choice(COMPANIES)
        self.agency = rng.choice(AGENCIES)
        self.ngo = rng.choice(NGOS)
        self.worker = rng.choice(PSEUDONYMS)
        self.official = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
        self.expert = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
        self.reporter = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
        self.pron, self.poss = rng.choice((("he", "his"), ("she", "her")))
        self.fillers: dict[str, Callable[[], str]] = {
            "city": lambda: self.city,
            "country": lambda: self.country,
            "Country": lambda: self.country[:1].upper() + self.country[1:],
            "home_city": lambda: self.home_city,
            "home_country": lambda: self.home_country,
            "nationality": lambda: self.nationality,
            "industry": lambda: self.industry,
            "workplace": lambda: self.workplace,
            "company": lambda: self.company,
            "agency": lambda: self.agency,
            "ngo": lambda: self.ngo,
            "body": lambda: rng.choice(BODIES),
            "worker": lambda: self.worker,
            "official": lambda: self.official,
            "official_last": lambda: self.official.split()[-1],
            "expert": lambda: self.expert,
            "expert_last": lambda: self.expert.split()[-1],
            "title": lambda: rng.choice(TITLES),
            "role": lambda: rng.choice(ROLES),
            "person": lambda: f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
            "pron": lambda: self.pron,
            "Pron": lambda: self.pron.capitalize(),
            "poss": lambda: self.poss,
            "month": lambda: rng.choice(MONTHS),
            "month_abbr": lambda: rng.choice(MONTH_ABBR),
            "weekday": lambda: rng.choice(WEEKDAYS),
            "day": lambda: str(rng.randint(1, 28)),
            "year": lambda: str(rng.randint(2009, 2024)),
            "product": lambda: rng.choice(PRODUCTS),
            "pct": lambda: f"{rng.randint(1, 19)}.{rng.randint(0, 9)}",
            "small": lambda: rng.choice(NUMBER_WORDS),
            "count": lambda: f"{rng.randint(2, 95) * 10:,}",
            "big": lambda: f"{rng.randint(2, 60) * 1000:,}",
            "hours": lambda: str(rng.randint(13, 19)),
            "hours_word": lambda: rng.choice(HOUR_WORDS),
            "money": self._money,
            "fee": self._fee,
            "millions": self._millions,
            "article": lambda: str(rng.randint(3, 140)),
        }

    def _money(self) -> str:
        pre, post = self.rng.choice(CURRENCIES)
        return f"{pre}{self.rng.randint(2, 90) * 10:,}{post}"

    def _millions(self) -> str:
        pre, post = self.rng.choice(CURRENCIES)
        return f"{pre}{self.rng.randint(2, 900)} million{post}"

    def _fee(self) -> str:
        pre, post = self.rng.choice(CURRENCIES)
        return f"{pre}{self.rng.randint(8, 60) * 100:,}{post}"

    def fill(self, template: str) -> str:
        """Replace every {slot} in the template; each occurrence is drawn afresh."""
        return _SLOT.sub(lambda m: self.fillers[m.group(1)](), template)


_SLOT = re.compile(r"\{(\w+)\}")

HEADLINES_EVIDENCE = (
    "{nationality} workers say they were trapped on {country}'s {workplace}",
    "Passports taken, pay withheld: inside a {industry} supply chain",
    "'We worked {hours_word} hours and were paid nothing': migrants describe life in {city}",
    "Investigation finds debt and threats behind {company}'s cheap labour",
    "Locked dormitories and unpaid months for {industry} workers in {city}",
    "Recruits from {home_country} describe beatings and confiscated phones",
)
HEADLINES_ORDINARY = (
    "{company} to add {big} jobs as {industry} orders recover",
    "{Country} unemployment falls to {pct} percent",
    "Remittances from {city} climb as more {nationality} workers head abroad",
    "Central bank holds rates as inflation eases in {country}",
    "{industry} exports rise for a third straight quarter",
    "New visa rules for seasonal workers take effect in {month}",
    "Union and employers agree pay deal for {industry} sector",
)

EVIDENCE = (
    "When the group landed in {city}, a supervisor collected their passports "
    "and locked them in the site office.",
    "{worker} said the agency kept {poss} passport for the whole of {poss} three-year contract.",
    "Managers confiscated the workers' identity cards on arrival and never gave them back.",
    "Their wages were withheld for {small} months, "
    "and they were told the money would be paid when they went home.",
    "For most of the year the workers received nothing, "
    "and the company said the arrears would come at the end of the contract.",
    "\u201cWe have not been paid since {month},\u201d {worker} said.",
    "Shifts began at six in the morning and ended at ten at night, seven days a week.",
    "The men worked {hours} hours a day, with one day off a month if they were lucky.",
    "{worker} described working {hours_word}-hour days on the {workplace} with barely a break for food.",
    "They were allowed two rest days a year, according to three former workers.",
    "The dormitory gate was locked every night and guards watched the only exit.",
    "Workers were not allowed to leave the compound without a minder.",
    "They could go into town only in groups of five, escorted by a supervisor.",
    "Recruiters charged each worker {fee} in fees, a debt that took years to pay off.",
    "{worker} borrowed {fee} from a broker to pay for the job and could not leave until the loan was repaid.",
    "The agency added charges for food, transport and housing, so the debt kept growing.",
    "Supervisors threatened to report anyone who complained to the immigration police.",
    "A foreman warned them that their families back home would suffer if they ran away.",
    "{Pron} said the manager threatened to send {poss} brother to prison if {pron} spoke to journalists.",
    "One woman said she was beaten by the foreman after asking for a day's rest.",
    "Guards hit workers with sticks when the quota was not met, two former employees said.",
    "Their phones were confiscated on the first day, and they were not allowed to call their families.",
    "The camp sat hours from the nearest town, with no internet and no way to reach anyone.",
    "Twenty men slept in a single shipping container with no running water.",
    "There was no safety harness on the scaffold, and a worker fell from the fourth floor last {month}.",
    "Food ran short for weeks, and the workers were given one bowl of rice a day.",
    "They had been promised jobs in a hotel in {city} but were sent to a fishing boat instead.",
    "The contract they signed at home promised {money} a month, far more than they were ever paid.",
    "Because they had no valid visas, the workers were afraid to go to the police.",
    "Many were recruited from the poorest villages of {home_country} and spoke none of the local language.",
    "Mr. {official_last} of {ngo} said the workers had allegedly been forced to sign blank papers.",
    "The crew said the captain kept their pay and beat those who asked for it.",
    "\u201cWe had no choice,\u201d {worker} said. "
    "\u201cIf we stopped working, they said we would never see our money.\u201d",
)

ORDINARY = (
    "The central bank left its main interest rate unchanged at {pct} percent on {weekday}.",
    "Exports of {product} rose by {pct} percent in the year to {month}, according to the trade ministry.",
    "{company} said it would open a new plant near {city} next year, creating about {count} jobs.",
    "Unemployment in {country} fell to {pct} percent, its lowest level since {year}.",
    "{official}, the labour minister, told reporters that the new visa rules would take effect in {month}.",
    "\u201cWe expect demand to recover by the end of the year,\u201d said {expert}, {role} at {body}.",
    "Nearly {big} {nationality} workers left for jobs abroad last year, up from the year before.",
    "Remittances now make up about {pct} percent of {home_country}'s economy.",
    "The {industry} sector employs roughly {big} people in {country}, many of them on short contracts.",
    "Wages in the sector rose by {pct} percent last year, slightly ahead of inflation.",
    "Dr. {expert_last} said the figures pointed to a tight labour market in the coastal provinces.",
    "Shares in {company} rose {pct} percent after the company reported higher quarterly profits.",
    "The government plans to spend {millions} on new roads and ports over the next decade.",
    "Employers say they cannot find enough local workers for the {industry} industry.",
    "A bilateral agreement signed in {year} sets out how workers from {home_country} are recruited.",
    "The U.S. Department of Labor publishes an annual list of goods made with child or forced labour.",
    "Officials said inspectors visited {count} workplaces in the first half of the year.",
    "The union, which represents about {big} members, welcomed the agreement.",
    "Under the deal, overtime will be paid at one and a half times the normal rate.",
    "Workers will receive a 13th month of salary in {month_abbr} under the new contract.",
    "The company said all its employees are paid on time and keep their own documents.",
    "Inspectors found no evidence of unpaid wages at the {city} factory, the ministry said.",
    "The finance ministry raised the withholding tax on dividends to {pct} percent.",
    "{person} took three months of unpaid leave to look after {poss} father.",
    "Flights to {city} were delayed for several hours because of a storm on {weekday}.",
    "Analysts at {body} expect growth of about {pct} percent this year, e.g. from stronger exports.",
    "The report, published on {month_abbr} {day}, covers {count} companies in {small} countries.",
    "Rents in {city} have risen sharply as new arrivals compete for housing.",
    "The minister said the country would need {big} more workers by {year} to build the new stadiums.",
    "Some economists argue that higher wages would attract more local workers to the {industry} trade.",
    "Migration officials in {home_city} said most departures were to the Gulf and Southeast Asia.",
    "{title} {official_last} said the ministry would publish the new rules "
    "in No. {article} of the official gazette.",
    "The trade fair in {city} drew about {count} exhibitors, organisers said.",
    "Port traffic in {city} rose for the fifth month in a row, helped by shipments of {product}.",
    "The labour court ruled that the dismissal of {small} drivers had been unlawful.",
    "Consumer prices rose {pct} percent in {month} from a year earlier.",
)

BYLINES = ("By {person}", "By {person} in {city}", "{person}, {role} in {city}")


@dataclass(frozen=True, slots=True)
class BenchDoc:
    """One generated document: its id, text, word count and whether it carries evidence."""

    id: str
    text: str
    words: int
    evidence: bool


def generate_one(index: int, seed: int = 0, target_words: int = TARGET_WORDS) -> BenchDoc:
    """Generate document `index` of the stream for `seed` (depends only on the two)."""
    rng = random.Random(f"labourlens-bench:{seed}:{index}")
    cast = Cast(rng)
    evidence = rng.random() < EVIDENCE_SHARE
    headline = cast.fill(rng.choice(HEADLINES_EVIDENCE if evidence else HEADLINES_ORDINARY))
    parts = [headline]
    if rng.random() < 0.6:
        parts.append(cast.fill(rng.choice(BYLINES)))
    words = sum(len(p.split()) for p in parts)
    evidence_pool = list(EVIDENCE)
    rng.shuffle(evidence_pool)
    ordinary_pool: list[str] = []
    first = True
    target = int(target_words * rng.uniform(0.92, 1.08))
    while words < target:
        sentences = []
        for _ in range(rng.randint(2, 4)):
            if evidence and evidence_pool and rng.random() < 0.4:
                template = evidence_pool.pop()
            else:
                if not ordinary_pool:
                    ordinary_pool = list(ORDINARY)
                    rng.shuffle(ordinary_pool)
                template = ordinary_pool.pop()
            sentences.append(cast.fill(template))
        paragraph = " ".join(sentences)
        if first:
            paragraph = f"{cast.city.upper()}, {rng.choice(MONTHS)} {rng.randint(1, 28)} \u2014 {paragraph}"
            first = False
        parts.append(paragraph)
        words += len(paragraph.split())
    text = "\n\n".join(parts) + "\n"
    return BenchDoc(id=f"bench-{seed}-{index:05d}", text=text, words=len(text.split()), evidence=evidence)


def generate(n: int, seed: int = 0, target_words: int = TARGET_WORDS) -> list[BenchDoc]:
    """The first n documents of the stream for `seed`."""
    return [generate_one(i, seed, target_words) for i in range(n)]


def main(argv: list[str] | None = None) -> int:
    """Write generated documents as JSONL ({"id", "text", "words", "evidence"}) to stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--docs", type=int, default=10, help="how many documents (default 10)")
    parser.add_argument("--seed", type=int, default=0, help="the stream's seed (default 0)")
    parser.add_argument("--words", type=int, default=TARGET_WORDS, help="target words per document")
    args = parser.parse_args(argv)
    for doc in generate(args.docs, args.seed, args.words):
        record = {"id": doc.id, "text": doc.text, "words": doc.words, "evidence": doc.evidence}
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
