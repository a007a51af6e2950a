#!/usr/bin/env python3
"""Writes a reproducible SYNTHETIC order book for `exportctl impact` benchmarks.

usage: bench/gen_orders.py ORDERS OUT.csv [--customers N] [--all-chips]

Orders draw chips from the bundled catalog (by default those whose figures are
known; --all-chips adds the ones with gaps, which answer undetermined),
end users from a pool of synthetic customer names ("Synthetic Customer 00042";
no real company is named), each with a home country from a mix of D:1/D:4/D:5,
A:6 and other countries where nine in ten of its orders ship (the rest ship to
any country of the mix) and a headquarters (its own country, or China for one
in five), ship dates in 2025-2027, and quantities and illustrative prices (not
market prices). The output is the same for the same arguments.
"""
import argparse, csv, random

p = argparse.ArgumentParser()
p.add_argument("orders", type=int)
p.add_argument("out")
p.add_argument("--customers", type=int, default=5000)
p.add_argument("--all-chips", action="store_true")
a = p.parse_args()
rng = random.Random(20261202)
with open("data/chips/accelerators.csv", newline="") as f:
    chips = [r["id"] for r in csv.DictReader(f)
             if a.all_chips or (r["computed_tpp"] and not r["derived_bucket_oct2023_rules"].startswith("undetermined"))]
countries = ["CN", "HK", "MO", "AE", "SA", "IL", "SG", "DE", "FR", "JP", "IN", "VN", "MY", "GB", "BR", "TW", "KR"]
customers = [(f"Synthetic Customer {i:05d}", rng.choice(countries), rng.choice(("", "", "", "", "CN")))
             for i in range(a.customers)]
prices = {c: rng.choice([1800, 6000, 9500, 12000, 15000, 25000, 30000, 40000]) for c in chips}
# Pre-drawn pools keep the generator fast enough for ten million rows.
days = [f"{y}-{m:02d}-{d:02d}" for y in (2025, 2026, 2027) for m in range(1, 13) for d in (1, 8, 15, 22)]
quantities = [1, 2, 4, 8, 16, 32, 64, 128, 256]
with open(a.out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["order_id", "item", "quantity", "unit_price", "currency", "destination", "end_user", "hq",
                "ship_date", "export_from"])
    choice, random = rng.choice, rng.random
    for i in range(a.orders):
        chip = choice(chips)
        name, home, hq = choice(customers)
        to = home if random() < 0.9 else choice(countries)
        w.writerow([f"SO-{i + 1:08d}", chip, choice(quantities), f"{prices[chip]}.00", "USD", to, name, hq,
                    choice(days), "US"])
