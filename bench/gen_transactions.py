#!/usr/bin/env python3
"""Writes a reproducible transactions CSV for `exportctl check --file` benchmarks.

usage: bench/gen_transactions.py ROWS OUT.csv [--parties]
Rows draw chips from the bundled catalog (those with known figures), destinations
from a mix of D:1/D:4/D:5, A:6 and other countries, dates from 2022-10 to 2026-11,
and, with --parties, a party name on one row in ten (some listed, most not).
"""
import csv, datetime, random, sys

rows = int(sys.argv[1]); out = sys.argv[2]; parties = "--parties" in sys.argv
rng = random.Random(20261129)
with open("data/chips/accelerators.csv", newline="") as f:
    chips = [r["id"] for r in csv.DictReader(f)
             if r["computed_tpp"] and not r["derived_bucket_oct2023_rules"].startswith("undetermined")]
countries = ["CN", "HK", "MO", "AE", "SA", "IL", "SG", "DE", "FR", "JP", "IN", "VN", "RU", "KH", "NI", "MY", "GB", "BR", "TW"]
names = ["Huawei Technologies Co., Ltd.", "Acme Trading GmbH", "Sophgo", "Globex Corporation", "SMIC", "Initech LLC"]
start = datetime.date(2022, 10, 1); span = (datetime.date(2026, 11, 29) - start).days
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "chip", "to", "date", "hq", "party"])
    for i in range(rows):
        to = rng.choice(countries)
        hq = rng.choice(["", "", "", "CN", "US"])
        party = rng.choice(names) if parties and rng.random() < 0.1 else ""
        w.writerow([i + 1, rng.choice(chips), to, (start + datetime.timedelta(days=rng.randrange(span))).isoformat(), hq, party])
