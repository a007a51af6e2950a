// Impact analysis on small order books whose aggregates are checked by hand:
// change kinds, exact sums per currency, dimensions, a scenario that moves one
// threshold, and bad rows (skipped and counted, or fatal with strict).

#include "impact/impact.h"

#include <gtest/gtest.h>

#include <sstream>

#include "core/error.h"
#include "impact/internal.h"
#include "test_util.h"

using namespace exportctl;
using nlohmann::json;

namespace {

const std::string kHeader =
    "order_id,item,quantity,unit_price,currency,destination,end_user,hq,ship_date,export_from\n";

struct World {
  exportctl::testing::TempDir data_dir;
  std::shared_ptr<const engine::Snapshot> snapshot = [this] {
    engine::Config c;
    c.rules_dir = exportctl::testing::rules_dir();
    c.catalog_dir = exportctl::testing::data_dir() + "/chips";
    c.data_dir = data_dir.path().string();
    c.screening = engine::Config::Screening::OnFirstUse;
    return engine::Snapshot::load(c);
  }();
};

World& world() {
  static World w;
  return w;
}

struct Outcome {
  json summary;
  std::vector<std::string> rows;  // changes.csv lines without the header
};

Outcome analyse(const std::string& book, const std::string& before, const std::string& after,
                const std::vector<std::string>& scenarios = {}, bool strict = false) {
  const auto base = world().snapshot;
  const auto later = scenarios.empty() ? base : engine::Snapshot::with_scenarios(base, scenarios);
  impact::Options o;
  o.before = *Date::parse(before);
  o.after = *Date::parse(after);
  o.strict = strict;
  std::istringstream in(kHeader + book);
  std::ostringstream changes;
  Outcome r;
  r.summary = impact::analyse(base, later, in, "orders.csv", changes, o);
  std::istringstream lines(changes.str());
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, impact::kChangesHeader);
  while (std::getline(lines, line)) r.rows.push_back(line);
  return r;
}

std::string scenario(const std::string& name) {
  return exportctl::testing::source_root() + "/examples/scenarios/" + name;
}

// The change column of each changes.csv row, by order id.
std::map<std::string, std::string> changes_by_order(const Outcome& r) {
  std::map<std::string, std::string> out;
  for (const auto& row : r.rows) {
    const auto comma = row.find(',');
    out[row.substr(0, comma)] = row.substr(comma + 1, row.find(',', comma + 1) - comma - 1);
  }
  return out;
}

}  // namespace

TEST(ImpactChange, KindsFollowTheDefinitions) {
  using impact::Change;
  using rules::Policy;
  const impact::Side none{true, false, Policy::None, true};
  const impact::Side denial{true, true, Policy::PresumptionOfDenial, true};
  const impact::Side case_by_case{true, true, Policy::CaseByCase, true};
  const impact::Side unknown_policy{true, true, Policy::Unconfirmed, false};
  const impact::Side undetermined{false, false, Policy::None, false};
  EXPECT_EQ(impact::change_between(none, denial), Change::NewlyRequired);
  EXPECT_EQ(impact::change_between(denial, none), Change::Freed);
  EXPECT_EQ(impact::change_between(case_by_case, denial), Change::Tightened);
  EXPECT_EQ(impact::change_between(denial, case_by_case), Change::Eased);
  EXPECT_EQ(impact::change_between(none, none), Change::Unchanged);
  EXPECT_EQ(impact::change_between(denial, denial), Change::Unchanged);
  EXPECT_EQ(impact::change_between(undetermined, denial), Change::Undetermined);
  EXPECT_EQ(impact::change_between(none, undetermined), Change::Undetermined);
  // Required on both sides, the policy known on one only: the change cannot be named.
  EXPECT_EQ(impact::change_between(case_by_case, unknown_policy), Change::Undetermined);
  EXPECT_EQ(impact::change_between(unknown_policy, unknown_policy), Change::Unchanged);
  // A license newly required with an unknown policy is still newly required.
  EXPECT_EQ(impact::change_between(none, unknown_policy), Change::NewlyRequired);
}

TEST(ImpactAmount, ParsesExactlyAndRefusesWhatIsNotAPlainAmount) {
  impact::Amount a = 0;
  ASSERT_TRUE(impact::parse_amount("1234.5", a));
  EXPECT_EQ(impact::format_amount(a), "1234.50");
  ASSERT_TRUE(impact::parse_amount("0.0001", a));
  EXPECT_EQ(impact::format_amount(a), "0.0001");
  ASSERT_TRUE(impact::parse_amount("12000", a));
  EXPECT_EQ(impact::format_amount(a * 3), "36000.00");
  for (const char* bad : {"", "-1", "1e3", "1,000", "1.", ".5", "1.23456", "12a", " 1", "+1"})
    EXPECT_FALSE(impact::parse_amount(bad, a)) << bad;
}

// The April 2025 requirement on the H20, by hand: 2 orders newly required
// (two currencies, never added together), 3 unchanged (no license; license on
// both sides with the same policy), the MI308 undetermined (no TPP figure).
TEST(Impact, HandCheckableBookAggregatesExactly) {
  const Outcome r = analyse(
      "A1,nvidia-h20,10,100.50,USD,CN,Cust A,,2025-04-20,US\n"
      "A2,nvidia-h20,2,1000,EUR,CN,Cust B,,2025-07-01,US\n"
      "A3,nvidia-l20,5,10,USD,CN,Cust A,,2025-04-21,US\n"
      "A4,nvidia-h100-sxm5-80gb,1,25000,USD,JP,Cust C,,2025-05-02,US\n"
      "A5,nvidia-h800-sxm5-80gb,3,20000,USD,CN,Cust B,,2025-06-30,US\n"
      "A6,amd-mi308x,4,5000,USD,CN,Cust A,,2025-04-25,US\n",
      "2025-04-08", "2025-04-15");
  const json& s = r.summary;
  EXPECT_EQ(s["orders"], 6);
  EXPECT_EQ(s["skipped_rows"], 0);
  const json& c = s["by_change"];
  EXPECT_EQ(c["newly_required"]["orders"], 2);
  EXPECT_EQ(c["newly_required"]["units"], 12);
  EXPECT_DOUBLE_EQ(c["newly_required"]["revenue"]["USD"].get<double>(), 1005.0);
  EXPECT_DOUBLE_EQ(c["newly_required"]["revenue"]["EUR"].get<double>(), 2000.0);
  EXPECT_EQ(c["unchanged"]["orders"], 3);
  EXPECT_EQ(c["unchanged"]["units"], 9);
  EXPECT_DOUBLE_EQ(c["unchanged"]["revenue"]["USD"].get<double>(), 50.0 + 25000.0 + 60000.0);
  EXPECT_EQ(c["undetermined"]["orders"], 1);
  EXPECT_DOUBLE_EQ(c["undetermined"]["revenue"]["USD"].get<double>(), 20000.0);
  for (const char* kind : {"freed", "tightened", "eased"}) EXPECT_EQ(c[kind]["orders"], 0) << kind;
  EXPECT_EQ(s["undetermined_missing"]["before"]["tpp"], 1);
  EXPECT_EQ(s["exposure"]["orders"], 2);

  EXPECT_EQ(s["by_vendor"]["NVIDIA"]["newly_required"]["orders"], 2);
  EXPECT_EQ(s["by_vendor"]["AMD"]["undetermined"]["orders"], 1);
  EXPECT_EQ(s["by_chip"]["nvidia-h20"]["newly_required"]["units"], 12);
  EXPECT_EQ(s["by_destination"]["CN"]["unchanged"]["orders"], 2);
  EXPECT_EQ(s["by_destination"]["JP"]["unchanged"]["orders"], 1);
  EXPECT_EQ(s["by_quarter"]["2025-Q2"]["newly_required"]["orders"], 1);
  EXPECT_EQ(s["by_quarter"]["2025-Q3"]["newly_required"]["orders"], 1);
  EXPECT_EQ(s["by_customer"]["Cust A"]["undetermined"]["orders"], 1);
  EXPECT_EQ(s["customers"], 3);
  // Ranked by exposure in the book's main currency (USD): Cust A (1005 USD), then Cust B (EUR only).
  ASSERT_EQ(s["top_customers"].size(), 2u);
  EXPECT_EQ(s["top_customers"][0]["customer"], "Cust A");
  EXPECT_EQ(s["top_customers"][1]["customer"], "Cust B");
  EXPECT_EQ(s["ranking_currency"], "USD");

  ASSERT_EQ(r.rows.size(), 6u);  // input order
  EXPECT_EQ(
      r.rows[0],
      "A1,newly_required,false,true,,unconfirmed,1005.00,USD,R2025-04-09-H20,nvidia-h20,CN,Cust A,2025-Q2,,");
  EXPECT_EQ(r.rows[4].substr(0, r.rows[4].find(",USD")),
            "A5,unchanged,true,true,presumption-of-denial,presumption-of-denial,60000.00");
  EXPECT_NE(r.rows[5].find("before: tpp"), std::string::npos) << r.rows[5];
}

// Swapping the dates turns newly required into freed and tightened into eased.
TEST(Impact, TightenedAndEasedAreMirrorImages) {
  const std::string book =
      "B1,nvidia-h200-sxm-141gb,1,30000,USD,CN,Cust,,2026-03-20,US\n"  // denial (2025) vs case-by-case (2026)
      "B2,nvidia-h800-sxm5-80gb,1,20000,USD,CN,Cust,,2023-06-20,US\n";  // none (2023-06) vs denial
  const Outcome forward = analyse(book, "2023-06-15", "2025-06-15");
  EXPECT_EQ(changes_by_order(forward)["B2"], "newly_required");
  const Outcome later = analyse(book, "2026-03-15", "2025-06-15");
  EXPECT_EQ(changes_by_order(later)["B1"], "tightened");
  const Outcome back = analyse(book, "2025-06-15", "2026-03-15");
  EXPECT_EQ(changes_by_order(back)["B1"], "eased");
  const Outcome freed = analyse(book, "2025-06-15", "2023-06-15");
  EXPECT_EQ(changes_by_order(freed)["B2"], "freed");
}

// The TPP line moved from 4800 to 3000 from 2027-01-01: exactly the orders of
// chips with 3000 <= TPP < 4800 that Note 2 excluded change (RTX 4090 D: TPP
// 4706.88); the L20 (1913.6), the A30 (2644, 3A090.b either way) and the H100
// to Japan do not. The RTX 5090 D (TPP 4750) has no memory bandwidth figure,
// so its answer before the change (the H20-class test) is undetermined either way.
TEST(Impact, ScenarioMovingOneThresholdChangesExactlyTheOrdersItShould) {
  const std::string book =
      "C1,nvidia-rtx-4090d,100,1800,USD,CN,Cust,,2027-02-01,US\n"
      "C2,nvidia-rtx-5090d,50,2000,USD,CN,Cust,,2027-02-01,US\n"
      "C3,nvidia-l20,10,6000,USD,CN,Cust,,2027-02-01,US\n"
      "C4,nvidia-a30,10,5000,USD,CN,Cust,,2027-02-01,US\n"
      "C5,nvidia-h100-sxm5-80gb,10,30000,USD,JP,Cust,,2027-02-01,US\n";
  const Outcome base = analyse(book, "2026-06-01", "2027-06-01");
  for (const auto& [order, change] : changes_by_order(base))
    EXPECT_EQ(change, order == "C2" ? "undetermined" : "unchanged") << order;
  const Outcome what_if = analyse(book, "2026-06-01", "2027-06-01", {scenario("tpp-3000.yaml")});
  const auto changes = changes_by_order(what_if);
  EXPECT_EQ(changes.at("C1"), "newly_required");
  EXPECT_EQ(changes.at("C2"), "undetermined");
  EXPECT_EQ(changes.at("C3"), "unchanged");
  EXPECT_EQ(changes.at("C4"), "unchanged");
  EXPECT_EQ(changes.at("C5"), "unchanged");
  EXPECT_EQ(what_if.summary["by_change"]["newly_required"]["units"], 100);
  EXPECT_DOUBLE_EQ(what_if.summary["by_change"]["newly_required"]["revenue"]["USD"].get<double>(),
                   100 * 1800.0);
  EXPECT_EQ(what_if.summary["undetermined_missing"]["before"]["mem_bw"], 1);
  ASSERT_EQ(what_if.summary["scenarios"].size(), 1u);
  EXPECT_EQ(what_if.summary["scenarios"][0]["id"], "WHATIF-TPP-3000");
  EXPECT_NE(what_if.rows[0].find("WHATIF-TPP-3000"), std::string::npos) << what_if.rows[0];
  // Before the scenario's date nothing changes.
  const Outcome early = analyse(book, "2026-06-01", "2026-12-31", {scenario("tpp-3000.yaml")});
  for (const auto& [order, change] : changes_by_order(early))
    EXPECT_EQ(change, order == "C2" ? "undetermined" : "unchanged") << order;
}

TEST(Impact, LiftAndCountryGroupScenarios) {
  const std::string book =
      "D1,nvidia-h20,10,12000,USD,CN,Cust,,2027-02-01,US\n"
      "D2,nvidia-h100-sxm5-80gb,10,30000,USD,MY,Cust,,2027-02-01,US\n";
  const auto lifted =
      changes_by_order(analyse(book, "2026-06-01", "2027-02-01", {scenario("lift-h20-letter.yaml")}));
  EXPECT_EQ(lifted.at("D1"), "freed");
  EXPECT_EQ(lifted.at("D2"), "unchanged");
  const auto malaysia =
      changes_by_order(analyse(book, "2026-06-01", "2027-02-01", {scenario("malaysia-d5.yaml")}));
  EXPECT_EQ(malaysia.at("D1"), "unchanged");
  EXPECT_EQ(malaysia.at("D2"), "newly_required");
}

TEST(Impact, BadRowsAreSkippedCountedAndNamed) {
  const std::string book =
      "E1,nvidia-h20,10,100,USD,CN,Cust,,2025-04-20,US\n"
      "E2,nvidia-h20,ten,100,USD,CN,Cust,,2025-04-20,US\n"       // line 3: quantity
      "E3,no-such-chip,1,100,USD,CN,Cust,,2025-04-20,US\n"       // line 4: item
      "E4,nvidia-h20,1,100,USD,CN,Cust,,2025-04-20\n"            // line 5: field count
      "E5,nvidia-h20,1,100.123456,USD,CN,Cust,,2025-04-20,US\n"  // line 6: unit_price
      "E6,nvidia-h20,1,100,usd,CN,Cust,,2025-04-20,US\n"         // line 7: currency
      "E7,nvidia-h20,1,100,USD,Atlantis,Cust,,2025-04-20,US\n"   // line 8: destination
      "E8,nvidia-h20,1,100,USD,CN,Cust,,2025-13-01,US\n"         // line 9: ship_date
      "E9,nvidia-h20,2,100,USD,CN,Cust,,2025-04-21,US\n";
  const Outcome r = analyse(book, "2025-04-08", "2025-04-15");
  EXPECT_EQ(r.summary["orders"], 2);
  EXPECT_EQ(r.summary["skipped_rows"], 7);
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].substr(0, 3), "E1,");
  EXPECT_EQ(r.rows[1].substr(0, 3), "E9,");
  const json& bad = r.summary["bad_rows"];
  ASSERT_EQ(bad.size(), 7u);
  const std::vector<std::pair<int, std::string>> expected = {
      {3, "column 'quantity'"},   {4, "column 'item'"},     {5, "row has"},
      {6, "column 'unit_price'"}, {7, "column 'currency'"}, {8, "column 'destination'"},
      {9, "column 'ship_date'"}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(bad[i]["line"], expected[i].first) << bad[i];
    EXPECT_NE(bad[i]["error"].get<std::string>().find(expected[i].second), std::string::npos) << bad[i];
  }
  try {
    analyse(book, "2025-04-08", "2025-04-15", {}, true);
    FAIL() << "strict mode accepted a bad row";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "orders.csv:3");
    EXPECT_NE(e.message().find("column 'quantity'"), std::string::npos) << e.what();
  }
}

TEST(Impact, NotAnOrderBookIsAnErrorEvenWhenSkipping) {
  impact::Options o;
  o.before = *Date::parse("2025-04-08");
  o.after = *Date::parse("2025-04-15");
  std::istringstream in("chip,to,date\nnvidia-h20,CN,2025-04-20\n");
  std::ostringstream changes;
  EXPECT_THROW(impact::analyse(world().snapshot, world().snapshot, in, "orders.csv", changes, o), InputError);
}

TEST(Impact, ReportIsSelfContained) {
  const Outcome r =
      analyse("A1,nvidia-h20,10,100,USD,CN,Cust </script><b>,,2025-04-20,US\n", "2025-04-08", "2025-04-15");
  const std::string html = impact::render_html(r.summary);
  EXPECT_NE(html.find("Chart.js v4"), std::string::npos);  // the library is inlined
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_EQ(html.find("href=\"http"), std::string::npos);
  EXPECT_EQ(html.find("<script src"), std::string::npos);
  // A customer name cannot end the script element or inject markup.
  EXPECT_EQ(html.find("Cust </script>"), std::string::npos);
  EXPECT_NE(html.find("Cust &lt;/script&gt;&lt;b&gt;"), std::string::npos);
}

// spec:PATH items: a spec file read once, relative to the order file's folder
// (here an absolute path); a missing file is a bad row naming the column.
TEST(Impact, SpecItemsAreReadFromTheirFiles) {
  exportctl::testing::TempDir dir;
  const auto spec = dir.write("acme-x1.json",
                              R"({"name": "acme-x1", "kind": "ic", "datacenter": true,
                                  "dense_tops": {"fp8": 400, "bf16": 200},
                                  "logic_dies": [{"area_mm2": 400, "nonplanar": true}],
                                  "memory_bandwidth_gbps": 3000, "io_bandwidth_gbps": 700, "hbm": true,
                                  "vendor": "Acme", "designer_country": "US"})");
  const std::string book = "S1,spec:" + spec.string() + ",2,100,USD,CN,Cust,,2025-04-20,US\n" +
                           "S2,spec:" + spec.string() + ",3,100,USD,JP,Cust,,2025-04-20,US\n" +
                           "S3,spec:" + (dir.path() / "missing.json").string() +
                           ",1,100,USD,CN,Cust,,2025-04-20,US\n";
  const Outcome r = analyse(book, "2023-06-15", "2023-12-15");
  // TPP 3200 (fp8 400 x 8 bits), PD 8: below the 2022 rule's TPP 4800, 3A090.a.2 from 2023-11-17.
  EXPECT_EQ(changes_by_order(r)["S1"], "newly_required");
  EXPECT_EQ(changes_by_order(r)["S2"], "unchanged");
  EXPECT_EQ(r.summary["by_vendor"]["Acme"]["newly_required"]["orders"], 1);
  ASSERT_EQ(r.summary["bad_rows"].size(), 1u);
  EXPECT_EQ(r.summary["bad_rows"][0]["line"], 4);
  EXPECT_NE(r.summary["bad_rows"][0]["error"].get<std::string>().find("column 'item': spec file"),
            std::string::npos)
      << r.summary["bad_rows"][0];
}
