// License scenarios (tests/data/license_scenarios.yaml) and engine properties.

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "engine/engine.h"
#include "test_util.h"

using namespace exportctl;

namespace {

// The bundled rules and catalog, screening against the bundled lists (an
// empty data folder), composed by the engine as every front end composes them.
struct World {
  exportctl::testing::TempDir data_dir;
  std::shared_ptr<const engine::Snapshot> snapshot = engine::Snapshot::load([this] {
    engine::Config c;
    c.rules_dir = exportctl::testing::rules_dir();
    c.catalog_dir = exportctl::testing::data_dir() + "/chips";
    c.data_dir = data_dir.path().string();
    return c;
  }());
  const rules::RuleSet& rules = snapshot->rules();
  const catalog::Catalog& catalog = snapshot->catalog();
  const license::Engine& engine = snapshot->license();
};

World& world() {
  static World w;
  return w;
}

std::vector<std::string> strings(const YAML::Node& n) {
  std::vector<std::string> out;
  for (const auto& x : n) out.push_back(x.as<std::string>());
  return out;
}

}  // namespace

TEST(LicenseScenarios, EveryBoundary) {
  auto& w = world();
  const YAML::Node doc = YAML::LoadFile(std::string(EXPORTCTL_TEST_DATA) + "/license_scenarios.yaml");
  std::map<std::string, classify::ItemSpec> specs;
  for (const auto& kv : doc["specs"]) {
    YAML::Emitter e;
    e << kv.second;
    specs.emplace(kv.first.as<std::string>(),
                  classify::parse_spec(e.c_str(), "spec", true, w.rules.metrics()));
  }
  int n = 0;
  for (const auto& s : doc["scenarios"]) {
    license::Transaction t;
    std::string label;
    if (s["chip"]) {
      const auto* chip = w.catalog.find(s["chip"].as<std::string>());
      ASSERT_NE(chip, nullptr) << s["chip"];
      t.item = &chip->spec;
      label = chip->id;
    } else {
      t.item = &specs.at(s["spec"].as<std::string>());
      label = s["spec"].as<std::string>();
    }
    t.to = s["to"].as<std::string>();
    if (s["hq"]) t.hq = s["hq"].as<std::string>();
    if (s["export_from"]) t.export_from = s["export_from"].as<std::string>();
    if (s["end_use"]) t.end_use = s["end_use"].as<std::string>();
    if (s["parties"]) t.parties = strings(s["parties"]);
    if (s["owners"])
      for (const auto& o : strings(s["owners"])) t.owners.push_back(engine::parse_owner(o, "owners"));
    if (s["apply_ai_diffusion"]) t.apply_ai_diffusion = s["apply_ai_diffusion"].as<bool>();
    t.date = *Date::parse(s["date"].as<std::string>());
    SCOPED_TRACE(label + " -> " + t.to + " (hq " + t.hq + ", from " + t.export_from + ") on " + t.date.str());
    license::validate(t, w.rules);
    const auto d = w.engine.check(t, true);
    if (s["determined"]) {
      EXPECT_EQ(d.determined, s["determined"].as<bool>());
      if (!d.determined) {
        ++n;
        continue;
      }
    }
    ASSERT_TRUE(d.determined);
    if (s["required"]) {
      EXPECT_EQ(d.license_required, s["required"].as<bool>());
    }
    if (s["policy"]) {
      const std::string expected = s["policy"].IsNull() ? "null" : s["policy"].as<std::string>();
      const std::string actual = d.policy == license::Policy::None || d.policy == license::Policy::Unconfirmed
                                     ? "null"
                                     : std::string(license::to_string(d.policy));
      EXPECT_EQ(actual, expected);
    }
    if (s["exceptions"]) {
      EXPECT_EQ(d.exceptions, strings(s["exceptions"]));
    }
    if (s["flags"]) {
      EXPECT_EQ(d.flags, strings(s["flags"]));
    }
    if (s["requirements"]) {
      EXPECT_EQ(d.requirements, strings(s["requirements"]));
    }
    // A "no" explains itself: each requirement in force that did not apply
    // says why, with its rule (and so its citation).
    if (!d.license_required) {
      int explained = 0;
      for (const auto& r : d.reasons)
        if (r.type == "not-applicable" && r.rule != nullptr && !r.sentence.empty()) ++explained;
      EXPECT_GE(explained, 1) << "a no-license answer without reasons";
    }
    if (s["why"]) {
      EXPECT_NE(d.why.find(s["why"].as<std::string>()), std::string::npos) << d.why;
    }
    // Every requirement that applies is explained with a rule and citation.
    for (const auto& req : d.requirements) {
      bool explained = false;
      for (const auto& r : d.reasons)
        explained = explained || (r.type == "requirement" && r.requirement == req && r.rule != nullptr);
      EXPECT_TRUE(explained) << req;
    }
    ++n;
  }
  EXPECT_GE(n, 60);
}

TEST(License, DecisionJsonHasTheDocumentedFields) {
  auto& w = world();
  license::Transaction t;
  t.item = &w.catalog.find("nvidia-h20")->spec;
  t.to = "CN";
  t.date = *Date::parse("2025-04-20");
  const auto d = w.engine.check(t, true);
  const auto j = license::to_json(d, t, w.rules);
  EXPECT_EQ(j["license_required"], true);
  EXPECT_TRUE(j["policy"].is_null());
  EXPECT_EQ(j["exceptions"], nlohmann::json::array());
  EXPECT_EQ(j["flags"], nlohmann::json({"is-informed"}));
  EXPECT_EQ(j["classification"]["eccn"], "not-3A090");
  EXPECT_EQ(j["rules_as_of"], "2026-11-29");
  bool cites_april = false;
  for (const auto& r : j["reasons"]) {
    EXPECT_TRUE(r.contains("sentence"));
    if (r.value("rule", "") == "R2025-04-09-H20" && r["type"] == "requirement") {
      cites_april = true;
      // the H20 by name (8-K wording, PQ) and H20-class figures (press reports of Intel's notice, S)
      EXPECT_TRUE(r["evidence"] == "PQ" || r["evidence"] == "S") << r["evidence"];
      EXPECT_NE(r["citation"]["text"].get<std::string>().find("8-K"), std::string::npos);
    }
  }
  EXPECT_TRUE(cites_april);
}

TEST(License, UndeterminedWhenTheItemLacksAFigureThatMatters) {
  auto& w = world();
  license::Transaction t;
  t.item = &w.catalog.find("google-tpu-v4")->spec;  // TPP 4400, no die area
  t.to = "CN";
  t.date = *Date::parse("2024-06-01");
  const auto d = w.engine.check(t, false);
  EXPECT_FALSE(d.determined);
  EXPECT_EQ(d.missing_inputs, std::vector<std::string>{"pd"});
  t.to = "DE";  // no destination requirement can apply, whatever the ECCN
  EXPECT_TRUE(w.engine.check(t, false).determined);
}

TEST(License, BadInputIsRejected) {
  auto& w = world();
  license::Transaction t;
  t.item = &w.catalog.find("nvidia-h20")->spec;
  t.date = *Date::parse("2025-04-20");
  t.to = "XX";
  EXPECT_THROW(license::validate(t, w.rules), InputError);
  t.to = "cn";
  EXPECT_THROW(license::validate(t, w.rules), InputError);
  t.to = "CN";
  t.end_use = "weapons";
  EXPECT_THROW(license::validate(t, w.rules), InputError);
  t.end_use = "none";
  t.hq = "ZZ";
  EXPECT_THROW(license::validate(t, w.rules), InputError);
}

TEST(License, TraceAndNoTraceAgree) {
  auto& w = world();
  const char* destinations[] = {"CN", "MO", "AE", "IL", "SG", "DE", "RU", "KH", "NI", "US", "IN"};
  const char* dates[] = {"2022-11-01", "2023-06-01", "2023-12-01", "2024-05-01",
                         "2025-01-01", "2025-05-01", "2026-03-01"};
  for (const auto& chip : w.catalog.chips())
    for (const char* to : destinations)
      for (const char* date : dates) {
        license::Transaction t;
        t.item = &chip.spec;
        t.to = to;
        t.hq = std::string(to) == "SG" ? "CN" : "";
        t.export_from = std::string(to) == "US" ? "TW" : "US";
        t.date = *Date::parse(date);
        const auto a = w.engine.check(t, false);
        const auto b = w.engine.check(t, true);
        ASSERT_EQ(a.determined, b.determined) << chip.id << to << date;
        EXPECT_EQ(a.license_required, b.license_required);
        EXPECT_EQ(a.policy, b.policy);
        EXPECT_EQ(a.exceptions, b.exceptions);
        EXPECT_EQ(a.flags, b.flags);
      }
}

TEST(CountryGroups, DatedMembership) {
  const auto& g = world().rules.country_groups();
  auto in = [&](const char* group, const char* code, const char* date) {
    return g.contains(group, code, *Date::parse(date));
  };
  EXPECT_FALSE(in("D5", "NI", "2024-03-14"));
  EXPECT_TRUE(in("D5", "NI", "2024-03-15"));
  EXPECT_FALSE(in("D1", "NI", "2024-03-14"));
  EXPECT_TRUE(in("D5", "KH", "2026-02-02"));
  EXPECT_FALSE(in("D5", "KH", "2026-02-03"));
  EXPECT_FALSE(in("D5", "KH", "2021-12-08"));
  EXPECT_TRUE(in("D1", "KH", "2026-06-01"));
  EXPECT_TRUE(in("D5", "CN", "2022-10-21"));
  EXPECT_FALSE(in("D5", "MO", "2025-01-01"));
  EXPECT_EQ(g.canonical("HK"), "CN");
  EXPECT_EQ(rules::country_name("AE"), "United Arab Emirates");
  EXPECT_FALSE(rules::is_country_code("XX"));
}

TEST(Parties, ScreeningFindsEntityListEntriesInAnyScript) {
  auto& w = world();
  license::Transaction t;
  t.item = &w.catalog.find("nvidia-l2")->spec;
  t.to = "CN";
  t.date = *Date::parse("2024-06-01");
  for (const char* name : {"SMIC", "华为技术有限公司", "Huawei Jishu Youxian Gongsi"}) {
    t.parties = {name};
    const auto d = w.engine.check(t, true);
    ASSERT_FALSE(d.parties.empty()) << name;
    EXPECT_TRUE(d.parties[0].entity_list);
    EXPECT_FALSE(d.parties[0].federal_register_notice.empty());
    EXPECT_FALSE(d.parties[0].alignment.empty());
    EXPECT_TRUE(d.license_required) << name;
    EXPECT_EQ(d.requirements, std::vector<std::string>{"entity-list"}) << name;
  }
  t.parties = {"Acme Trading GmbH"};
  const auto clear = w.engine.check(t, true);
  EXPECT_TRUE(clear.parties.empty());
  EXPECT_FALSE(clear.license_required);
  // A name with no match is reported as screened, with the list snapshot.
  bool reported = false;
  for (const auto& r : clear.reasons)
    reported =
        reported || (r.type == "party" && r.sentence.find("no Entity List entry") != std::string::npos);
  EXPECT_TRUE(reported);
}
