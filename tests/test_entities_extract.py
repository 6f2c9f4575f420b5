"""The entities stage on hand-written sentences: every type, aliases, cues, stoplists and offsets."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from labourlens.model import Entity, Sentence
from labourlens.pipeline.entities import EntityExtractor, Gazetteer


@pytest.fixture(scope="module")
def ex() -> EntityExtractor:
    return EntityExtractor(Gazetteer.load())


def whole(text: str) -> list[Sentence]:
    return [Sentence(0, len(text), 0, text)]


def split(text: str) -> list[Sentence]:
    return [Sentence(m.start(), m.end(), 0, m.group()) for m in re.finditer(r"[^.!?\n]+[.!?]?", text)]


def run(ex: EntityExtractor, text: str) -> list[Entity]:
    ents = ex(text, whole(text))
    for e in ents:  # every mention is exact and inside the text
        assert e.mentions == sorted(set(e.mentions))
        for start, end in e.mentions:
            assert 0 <= start < end <= len(text)
            assert text[start:end] == text[start:end].strip()
    return ents


def get(ents: list[Entity], type_: str, name: str) -> Entity:
    found = [e for e in ents if e.type == type_ and e.name == name]
    assert len(found) == 1, f"{type_}:{name} not found once in {[(e.type, e.name) for e in ents]}"
    return found[0]


def names(ents: list[Entity], type_: str) -> set[str]:
    return {e.name for e in ents if e.type == type_}


def surfaces(text: str, entity: Entity) -> list[str]:
    return [text[s:e] for s, e in entity.mentions]


# ---------------------------------------------------------------------------------------------
# places and nationalities


def test_aliases_merge_into_one_place(ex: EntityExtractor) -> None:
    text = (
        "The DPRK sends crews abroad. North Korea denies it, and officials of the "
        "Democratic People's Republic of Korea stayed silent."
    )
    ents = run(ex, text)
    nk = get(ents, "place", "North Korea")
    assert nk.country == "KP"
    assert surfaces(text, nk) == ["DPRK", "North Korea", "Democratic People's Republic of Korea"]
    assert [e.name for e in ents if e.type == "place"] == ["North Korea"]


def test_longest_match_demonym_beats_place(ex: EntityExtractor) -> None:
    text = "North Korean workers and South Korean officials met North Koreans in Seoul."
    ents = run(ex, text)
    assert names(ents, "place") == {"Seoul"}
    nk = get(ents, "nationality", "North Korean")
    assert nk.country == "KP"
    assert surfaces(text, nk) == ["North Korean", "North Koreans"]
    assert get(ents, "nationality", "South Korean").country == "KR"


@pytest.mark.parametrize(
    ("phrase", "name", "country", "occupier"),
    [
        ("Donbas", "Donbas", "UA", "RU"),
        ("Donetsk", "Donetsk", "UA", "RU"),
        ("Luhansk region", "Luhansk", "UA", "RU"),
        ("Crimea", "Crimea", "UA", "RU"),
        ("Abkhazia", "Abkhazia", "GE", "RU"),
        ("the West Bank", "West Bank", "PS", "IL"),
    ],
)
def test_occupied_regions(ex: EntityExtractor, phrase: str, name: str, country: str, occupier: str) -> None:
    text = f"Workers were sent to {phrase} last spring."
    place = get(run(ex, text), "place", name)
    assert place.country == country
    assert place.extra["occupied_by"] == occupier


@pytest.mark.parametrize(
    ("phrase", "name", "country", "kind"),
    [
        ("the Russian Far East", "Russian Far East", "RU", "region"),
        ("Kursk", "Kursk", "RU", "city"),
        ("the Kursk region", "Kursk Oblast", "RU", "region"),
        ("Sabah", "Sabah", "MY", "region"),
        ("Xinjiang", "Xinjiang", "CN", "region"),
        ("Khabarovsk", "Khabarovsk", "RU", "city"),
        ("Myawaddy", "Myawaddy", "MM", "city"),
        ("Sihanoukville", "Sihanoukville", "KH", "city"),
        ("Ho Chi Minh City", "Ho Chi Minh City", "VN", "city"),
        ("Saigon", "Ho Chi Minh City", "VN", "city"),
        ("Côte d'Ivoire", "Côte d'Ivoire", "CI", "country"),
        ("Burma", "Myanmar", "MM", "country"),
    ],
)
def test_regions_and_cities(ex: EntityExtractor, phrase: str, name: str, country: str, kind: str) -> None:
    place = get(run(ex, f"She worked in {phrase} for a year."), "place", name)
    assert place.country == country
    assert place.extra["place_type"] == kind


def test_ambiguous_region_has_no_country(ex: EntityExtractor) -> None:
    place = get(run(ex, "He came from Punjab."), "place", "Punjab")
    assert place.country is None
    assert place.extra["ambiguous"] == ["IN", "PK"]


@pytest.mark.parametrize(
    ("phrase", "name", "country", "flag"),
    [
        ("Nepalese", "Nepali", "NP", None),
        ("Filipina", "Filipino", "PH", None),
        ("Bangladeshi", "Bangladeshi", "BD", None),
        ("Uighur", "Uyghur", "CN", "ethnic"),
        ("Rohingya", "Rohingya", "MM", "ethnic"),
        ("Central Asian", "Central Asian", None, "regional"),
    ],
)
def test_nationalities(
    ex: EntityExtractor, phrase: str, name: str, country: str | None, flag: str | None
) -> None:
    nat = get(run(ex, f"A {phrase} cook was hired."), "nationality", name)
    assert nat.country == country
    if flag:
        assert nat.extra[flag] is True


def test_places_need_capitals_and_common_words_are_not_cities(ex: EntityExtractor) -> None:
    text = (
        "Reading the contract, she saw a nice clause. Nice words changed nothing. "
        "Split shifts were common, and a mobile phone was banned. russia was written in lower case."
    )
    assert names(run(ex, text), "place") == set()


# ---------------------------------------------------------------------------------------------
# organisations


def test_known_organisations_and_acronyms(ex: EntityExtractor) -> None:
    text = (
        "The UN Security Council and the UN Panel of Experts cited the ILO, Walk Free and "
        "Human Rights Watch. The United Nations said CBP had acted; the U.N. agreed. "
        "Reuters and AFP reported it."
    )
    ents = run(ex, text)
    orgs = names(ents, "organization")
    assert {
        "UN Security Council",
        "UN Panel of Experts",
        "ILO",
        "Walk Free",
        "Human Rights Watch",
        "United Nations",
        "US Customs and Border Protection",
        "Reuters",
        "AFP",
    } <= orgs
    assert surfaces(text, get(ents, "organization", "United Nations")) == ["United Nations", "U.N."]


def test_acronym_case_matters(ex: EntityExtractor) -> None:
    text = "The un-named man said the UN would act. Us and US are not the same."
    ents = run(ex, text)
    assert surfaces(text, get(ents, "organization", "United Nations")) == ["UN"]
    assert surfaces(text, get(ents, "place", "United States")) == ["US"]


def test_pattern_organisations(ex: EntityExtractor) -> None:
    text = (
        "Sinbo Trading Co. Ltd hired the crews, and the Ministry of Labour and Social Protection "
        "approved it. Several Group leaders were silent."
    )
    ents = run(ex, text)
    assert names(ents, "organization") == {
        "Sinbo Trading Co. Ltd",
        "Ministry of Labour and Social Protection",
    }


@pytest.mark.parametrize(
    ("text", "orgs"),
    [
        ("Bank of China Ltd lent the money.", {"Bank of China Ltd"}),
        ("The KFC Group and Foo LLC Holdings denied it.", {"KFC Group", "Foo LLC Holdings"}),
        ("Sinbo and Acme Trading Co. hired them.", {"Acme Trading Co."}),
        ("Graduates of Kim Il Sung University were sent abroad.", {"Kim Il Sung University"}),
        ("The Group said so. Company officials agreed.", set()),
    ],
)
def test_company_suffix_boundaries(ex: EntityExtractor, text: str, orgs: set[str]) -> None:
    ents = run(ex, text)
    assert names(ents, "organization") == orgs
    assert names(ents, "person") == set()


def test_acronym_defined_in_parentheses(ex: EntityExtractor) -> None:
    text = (
        "The Korea Rungrado General Trading Corporation (KRGTC) placed workers abroad. "
        "Later KRGTC moved them. The Special Economic Zone (SEZ) and the IT sector grew."
    )
    ents = run(ex, text)
    org = get(ents, "organization", "Korea Rungrado General Trading Corporation")
    assert surfaces(text, org) == ["Korea Rungrado General Trading Corporation", "KRGTC", "KRGTC"]
    assert names(ents, "organization") == {"Korea Rungrado General Trading Corporation"}


def test_new_acronym_org(ex: EntityExtractor) -> None:
    text = "The Mekong Migrant Workers Alliance (MMWA) met. MMWA asked for help."
    org = get(run(ex, text), "organization", "Mekong Migrant Workers Alliance")
    assert org.extra["acronym"] == "MMWA"
    assert len(org.mentions) == 3


def test_it_is_not_an_organisation(ex: EntityExtractor) -> None:
    text = "IT was his trade. It is not an organisation (IT)."
    assert names(run(ex, text), "organization") == set()


# ---------------------------------------------------------------------------------------------
# persons


def test_pseudonyms_found_through_cues_and_tagged_everywhere(ex: EntityExtractor) -> None:
    text = (
        "One of the fishermen, Arun, said the boat never docked. Arun was nineteen. "
        "Mira recalled the heat in the factory. A Cambodian deckhand, Sokha, wept. "
        "Burmese Thura once slipped on the deck. Later Arun's cousin called home."
    )
    ents = run(ex, text)
    assert names(ents, "person") == {"Arun", "Mira", "Sokha", "Thura"}
    arun = get(ents, "person", "Arun")
    assert surfaces(text, arun) == ["Arun", "Arun", "Arun"]
    assert arun.role == "worker"
    assert get(ents, "person", "Mira").role == "worker"  # speaks of work in a factory
    assert get(ents, "person", "Sokha").role == "worker"


def test_titles_ages_and_naming_cues(ex: EntityExtractor) -> None:
    text = (
        "Minister Okonjo denied the claims. A recruiter named Dario Vance took the fees. "
        "Lena, 34, cleaned offices. Her boss, Gregor, held the keys. Dr Amsel said little."
    )
    ents = run(ex, text)
    assert names(ents, "person") == {"Okonjo", "Dario Vance", "Lena", "Gregor", "Amsel"}
    assert get(ents, "person", "Okonjo").role == "official"
    assert get(ents, "person", "Dario Vance").role == "perpetrator"
    assert get(ents, "person", "Gregor").role == "employer"
    assert get(ents, "person", "Amsel").role is None


def test_full_name_then_surname(ex: EntityExtractor) -> None:
    text = '"We never rested," said Farida Sultana. Sultana had paid a broker. Sultana said so twice.'
    person = get(run(ex, text), "person", "Farida Sultana")
    assert surfaces(text, person) == ["Farida Sultana", "Sultana", "Sultana"]
    assert person.role in ("witness", "worker")


def test_title_takes_a_name_back_from_a_city(ex: EntityExtractor) -> None:
    text = "Mr Santos said the camp was full. Later, Santos added that nobody left."
    ents = run(ex, text)
    assert names(ents, "place") == set()
    assert len(get(ents, "person", "Santos").mentions) == 2


@pytest.mark.parametrize(
    ("text", "orgs"),
    [
        ("When they landed in Riyadh, a supervisor collected the passports.", set()),
        (
            "Mr. Osei of the Domestic Workers Collective said the fees were illegal.",
            {"Domestic Workers Collective"},
        ),
        ("Crestmoor Textiles said it would open a plant. Harbourline Logistics declined.", None),
    ],
)
def test_capitalised_phrases_that_are_not_persons(
    ex: EntityExtractor, text: str, orgs: set[str] | None
) -> None:
    ents = run(ex, text)
    assert names(ents, "person") <= {"Osei"}
    if orgs is not None:
        assert orgs <= names(ents, "organization")
    else:
        assert {"Crestmoor Textiles", "Harbourline Logistics"} <= names(ents, "organization")


def test_city_metonymy_is_not_a_person(ex: EntityExtractor) -> None:
    text = "Moscow said the workers were volunteers. Pyongyang told its envoys nothing."
    ents = run(ex, text)
    assert names(ents, "person") == set()
    assert names(ents, "place") == {"Moscow", "Pyongyang"}


@pytest.mark.parametrize(
    "text",
    [
        "Most said they were tired. Last came the guards. Then told them to leave.",
        "Several told reporters they were afraid. Only said nothing. Read also: a story.",
        "Workers said they slept in tents. Officials said the site was safe. Police said no.",
        "Overtime was common. Witnesses said so. Experts say it is forced labour.",
        "Hope said nothing, though many workers hope to leave.",
        "Today's shift ended late. Monday was a rest day. Christmas passed.",
        "Workers Describe Life In The Camps As Jin Says Conditions Worsen",
        "Interviewees said fees were high. Management said wages were paid. Respondents told us more.",
    ],
)
def test_stoplist_words_are_not_persons(ex: EntityExtractor, text: str) -> None:
    assert names(run(ex, text), "person") == set()


def test_headline_name_is_tagged_once_found_elsewhere(ex: EntityExtractor) -> None:
    text = "Jin Tells Of Long Shifts In Siberia\nJin said the work never stopped."
    person = get(run(ex, text), "person", "Jin")
    assert len(person.mentions) == 2


# ---------------------------------------------------------------------------------------------
# sectors and roles


def test_it_versus_it(ex: EntityExtractor) -> None:
    text = (
        "It was hard. Some worked in IT centres; it centres nothing. Others wrote software for IT companies."
    )
    sector = get(run(ex, text), "sector", "IT")
    assert surfaces(text, sector) == ["IT centres", "IT companies"]


def test_sectors(ex: EntityExtractor) -> None:
    text = (
        "Men worked on construction sites and fishing vessels, women in garment factories, "
        "as maids, or at online scam centres; others were miners or worked on palm oil plantations."
    )
    ents = run(ex, text)
    assert names(ents, "sector") == {
        "construction",
        "fishing",
        "garment",
        "domestic work",
        "scam compounds",
        "mining",
        "agriculture",
    }
    assert surfaces(text, get(ents, "sector", "garment")) == ["garment factories"]
    assert surfaces(text, get(ents, "sector", "agriculture")) == ["palm oil", "plantations"]


def test_roles(ex: EntityExtractor) -> None:
    text = (
        "A security officer watched the workers. The foreman and the recruiter left; "
        "an official and two guards stayed. The employer paid the broker."
    )
    ents = run(ex, text)
    assert names(ents, "role") == {"guard", "worker", "supervisor", "recruiter", "official", "employer"}
    assert surfaces(text, get(ents, "role", "guard")) == ["security officer", "guards"]
    assert surfaces(text, get(ents, "role", "recruiter")) == ["recruiter", "broker"]


def test_roles_and_sectors_never_inside_names(ex: EntityExtractor) -> None:
    text = "Acme Construction Ltd paid the International Organization for Migration."
    ents = run(ex, text)
    assert names(ents, "organization") == {"Acme Construction Ltd", "IOM"}
    assert names(ents, "sector") == set()


# ---------------------------------------------------------------------------------------------
# the result as a whole


def test_one_entity_per_type_and_name_in_first_mention_order(ex: EntityExtractor) -> None:
    text = "Russia hired Nepali builders. Nepali workers went to Russia and to the Russian Federation."
    ents = run(ex, text)
    assert [(e.type, e.name) for e in ents[:3]] == [
        ("place", "Russia"),
        ("nationality", "Nepali"),
        ("sector", "construction"),
    ]
    assert len(get(ents, "place", "Russia").mentions) == 3
    starts = [e.mentions[0][0] for e in ents]
    assert starts == sorted(starts)


def test_sentences_do_not_change_what_is_found(ex: EntityExtractor) -> None:
    text = "One of the workers, Jin, said he was in Kursk. Jin worked for the BBC. Chan said no."
    one = [(e.type, e.name, e.mentions) for e in ex(text, whole(text))]
    many = [(e.type, e.name, e.mentions) for e in ex(text, split(text))]
    none = [(e.type, e.name, e.mentions) for e in ex(text, [])]
    assert one == many == none


def test_empty_and_wordless_text(ex: EntityExtractor) -> None:
    assert ex("", []) == []
    assert ex(" \n ... !! ", whole(" \n ... !! ")) == []


FRAGMENTS = [
    "Jin said",
    "North Korea",
    "North Koreans",
    "DPRK",
    "the UN",
    "IT centres",
    "it",
    "Kursk",
    "garment factories",
    "construction sites",
    "Côte d'Ivoire",
    "Most",
    "Read also:",
    "the Ministry of Labour",
    "(KRGTC)",
    "Acme Trading Co. Ltd",
    "O'Brien's",
    "Ulan-Ude",
    "—",
    "\n\n",
    "said Tae.",
    "a worker named Ali",
    "İstanbul",
    "ß",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=25), st.sampled_from([" ", ", ", ". "]))
def test_offsets_always_exact_and_deterministic(parts: list[str], sep: str) -> None:
    extractor = EntityExtractor(Gazetteer.load())
    text = sep.join(parts)
    first = extractor(text, whole(text))
    second = extractor(text, whole(text))
    assert [(e.type, e.name, e.mentions) for e in first] == [(e.type, e.name, e.mentions) for e in second]
    seen: set[tuple[str, str]] = set()
    for e in first:
        assert (e.type, e.name) not in seen
        seen.add((e.type, e.name))
        for start, end in e.mentions:
            mention = text[start:end]
            assert mention and mention == mention.strip()
            assert start == 0 or not (text[start - 1].isalnum() and mention[0].isalnum())
            assert end == len(text) or not (text[end].isalnum() and mention[-1].isalnum())
