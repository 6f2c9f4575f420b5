"""The gazetteer files: loading, alias resolution, countries, and errors on malformed entries."""

from __future__ import annotations

import json
import shutil
import time
from importlib import resources
from pathlib import Path

import pytest
import yaml

from labourlens.errors import InvalidKnowledge
from labourlens.pipeline.entities import Gazetteer
from labourlens.pipeline.gazetteer import make_key, normalise_gap

GAZ_DIR = Path(str(resources.files("labourlens") / "knowledge" / "gazetteers"))


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return Gazetteer.load()


def test_load_is_shared_once() -> None:
    assert Gazetteer.load() is Gazetteer.load()


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("North Korean", "KP"),
        ("North Koreans", "KP"),
        ("DPRK", "KP"),
        ("Democratic People's Republic of Korea", "KP"),
        ("Russian Far East", "RU"),
        ("Kursk", "RU"),
        ("Kursk region", "RU"),
        ("Siberia", "RU"),
        ("Xinjiang", "CN"),
        ("Uighur", "CN"),
        ("Rohingya", "MM"),
        ("Burma", "MM"),
        ("Ivory Coast", "CI"),
        ("Côte d'Ivoire", "CI"),
        ("Sabah", "MY"),
        ("Donbas", "UA"),
        ("Crimea", "UA"),
        ("Nepalese", "NP"),
        ("Filipina", "PH"),
        ("Emirati", "AE"),
        ("UAE", "AE"),
        ("Republic of Korea", "KR"),
        ("Shwe Kokko", "MM"),
        ("Vladivostok", "RU"),
        ("Tynda", "RU"),
        ("KP", "KP"),
    ],
)
def test_country_of(gz: Gazetteer, name: str, country: str) -> None:
    assert gz.country_of(name) == country


@pytest.mark.parametrize("name", ["Punjab", "Central Asian", "Kurdish", "Atlantis", "the Gulf", "it", "Jin"])
def test_country_of_unknown_or_ambiguous(gz: Gazetteer, name: str) -> None:
    assert gz.country_of(name) is None


@pytest.mark.parametrize(
    ("name", "type_", "canonical"),
    [
        ("DPRK", "place", "North Korea"),
        ("North Korea", "place", "North Korea"),
        ("Russian Federation", "place", "Russia"),
        ("Kiev", "place", "Kyiv"),
        ("Makkah", "place", "Mecca"),
        ("North Koreans", "nationality", "North Korean"),
        ("Nepalese", "nationality", "Nepali"),
        ("Uighurs", "nationality", "Uyghur"),
        ("UN", "organization", "United Nations"),
        ("ILO", "organization", "ILO"),
        ("International Labour Organization", "organization", "ILO"),
        ("CBP", "organization", "US Customs and Border Protection"),
        ("garment factories", "sector", "garment"),
        ("IT centres", "sector", "IT"),
        ("security officer", "role", "guard"),
        ("foremen", "role", "supervisor"),
    ],
)
def test_canonical(gz: Gazetteer, name: str, type_: str, canonical: str) -> None:
    assert gz.canonical(name, type_) == canonical


def test_canonical_wrong_type_is_none(gz: Gazetteer) -> None:
    assert gz.canonical("DPRK", "nationality") is None
    assert gz.canonical("Jin", "person") is None


def test_keys_normalise_separators() -> None:
    assert make_key("Ulan-Ude")[0] == make_key("Ulan‑Ude")[0] == "ulan-ude"  # type: ignore[index]
    assert make_key("People’s Republic")[0] == make_key("People's Republic")[0]  # type: ignore[index]
    assert make_key("Cocos (Keeling) Islands") is None
    assert normalise_gap("\n\n") is None
    assert normalise_gap(". ") == ". "
    assert normalise_gap(", ") is None


def test_no_stoplisted_city_ships() -> None:
    stop = set(yaml.safe_load((GAZ_DIR / "city_stoplist.yaml").read_text(encoding="utf-8"))["words"])
    for word in ("Reading", "Mobile", "Nice", "Split", "Male", "Batman", "Hope", "Mercedes"):
        assert word in stop
    with (GAZ_DIR / "cities.jsonl").open(encoding="utf-8") as handle:
        names = {json.loads(line)["name"] for line in handle}
    assert not names & stop
    assert {"Kursk", "Pyongyang", "Dhaka", "Kathmandu", "Moscow"} <= names


def test_files_stay_small() -> None:
    for path in GAZ_DIR.iterdir():
        assert path.stat().st_size < 3_000_000, path.name


def test_fresh_load_is_fast() -> None:
    started = time.perf_counter()
    Gazetteer.load(GAZ_DIR)
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, f"loading the gazetteers took {elapsed:.3f} s"


# ---------------------------------------------------------------------------------------------
# malformed files


@pytest.fixture()
def gaz_copy(tmp_path: Path) -> Path:
    target = tmp_path / "gazetteers"
    shutil.copytree(GAZ_DIR, target)
    return target


def _append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def _line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_copy_loads(gaz_copy: Path) -> None:
    gz = Gazetteer.load(gaz_copy)
    assert gz.country_of("DPRK") == "KP"


def test_bad_json_line_names_file_and_line(gaz_copy: Path) -> None:
    path = gaz_copy / "places.jsonl"
    _append(path, '{"name": "Nowhere", "country": "XX", ')
    with pytest.raises(InvalidKnowledge, match=rf"places\.jsonl:{_line_count(path)}: not valid JSON"):
        Gazetteer.load(gaz_copy)


def test_bad_country_code(gaz_copy: Path) -> None:
    path = gaz_copy / "nationalities.jsonl"
    _append(path, '{"name": "Atlantean", "country": "atl", "aliases": []}')
    with pytest.raises(InvalidKnowledge, match=r"nationalities\.jsonl:\d+: 'country' must be an ISO"):
        Gazetteer.load(gaz_copy)


def test_missing_name(gaz_copy: Path) -> None:
    _append(gaz_copy / "organizations.jsonl", '{"kind": "ngo", "aliases": ["X"]}')
    with pytest.raises(InvalidKnowledge, match=r"organizations\.jsonl:\d+: 'name'"):
        Gazetteer.load(gaz_copy)


def test_unmatchable_alias(gaz_copy: Path) -> None:
    _append(gaz_copy / "countries.jsonl", '{"name": "Testland", "iso2": "TQ", "aliases": ["Test (land)"]}')
    with pytest.raises(
        InvalidKnowledge, match=r"countries\.jsonl:\d+: alias 'Test \(land\)' cannot be matched"
    ):
        Gazetteer.load(gaz_copy)


def test_yaml_boolean_word_is_caught(gaz_copy: Path) -> None:
    path = gaz_copy / "persons.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["non_names"].append(True)
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(InvalidKnowledge, match=r"persons\.yaml: 'non_names' holds True"):
        Gazetteer.load(gaz_copy)


def test_wrong_format_tag(gaz_copy: Path) -> None:
    path = gaz_copy / "sectors.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("sectors/1", "sectors/9"), encoding="utf-8")
    with pytest.raises(InvalidKnowledge, match=r"sectors\.yaml: format"):
        Gazetteer.load(gaz_copy)


def test_missing_file(gaz_copy: Path) -> None:
    (gaz_copy / "roles.yaml").unlink()
    with pytest.raises(InvalidKnowledge, match=r"roles\.yaml: cannot read"):
        Gazetteer.load(gaz_copy)
