// The engine as every front end uses it: snapshots and their versions,
// requests and their field errors, answers that explain a "no", UNDETERMINED
// as an answer, batches that agree with single requests, and one screening
// answer whether a name comes through `check --party` or `screen`.

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <sstream>

#include "core/csv.h"
#include "core/error.h"
#include "engine/engine.h"
#include "test_util.h"

using namespace exportctl;
using nlohmann::json;

namespace {

engine::Config config_for(const std::filesystem::path& data_dir) {
  engine::Config c;
  c.rules_dir = exportctl::testing::rules_dir();
  c.catalog_dir = exportctl::testing::data_dir() + "/chips";
  c.data_dir = data_dir.string();
  return c;
}

struct World {
  exportctl::testing::TempDir data_dir;  // nothing imported: the bundled lists
  std::shared_ptr<const engine::Snapshot> snapshot = engine::Snapshot::load(config_for(data_dir.path()));
};

World& world() {
  static World w;
  return w;
}

engine::Response check(const std::string& chip, const std::string& to, const std::string& date,
                       std::vector<std::string> parties = {}) {
  engine::CheckRequest r;
  r.item.chip = chip;
  r.to = to;
  r.date = date;
  r.parties = std::move(parties);
  return engine::check(world().snapshot, r);
}

const json* reason_for(const json& decision, const std::string& type, const std::string& requirement) {
  for (const auto& r : decision["reasons"])
    if (r["type"] == type && r.value("requirement", "") == requirement) return &r;
  return nullptr;
}

std::string field_of_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.where();
  }
  return "(no error)";
}

}  // namespace

TEST(Engine, NoLicenseForIsraelExplainsTheA6CarveOut) {
  const auto r = check("nvidia-h100-sxm5-80gb", "IL", "2024-06-01");
  ASSERT_TRUE(r.determined);
  EXPECT_EQ(r.json["license_required"], false);
  const json* dest = reason_for(r.json, "not-applicable", "3A090-destination");
  ASSERT_NE(dest, nullptr) << r.json["reasons"].dump(2);
  const std::string sentence = (*dest)["sentence"];
  EXPECT_NE(sentence.find("IL is in D4 but also in A6"), std::string::npos) << sentence;
  EXPECT_NE(sentence.find("evidence U"), std::string::npos) << sentence;  // A:6 is a partial list
  EXPECT_EQ((*dest)["citation"]["cfr"], "15 CFR 742.6(a)(6)(iii)");
  // Every requirement in force that did not apply says why, with its rule.
  for (const char* req : {"3A090-hq", "entity-list", "end-use-744-23"}) {
    const json* r2 = reason_for(r.json, "not-applicable", req);
    ASSERT_NE(r2, nullptr) << req;
    EXPECT_FALSE((*r2)["sentence"].get<std::string>().empty()) << req;
    EXPECT_TRUE(r2->contains("rule")) << req;
  }
  EXPECT_NE(r.json["why"].get<std::string>().find("A6"), std::string::npos) << r.json["why"];
}

TEST(Engine, MissingFigureThatMattersIsUndeterminedWithWhatDecides) {
  const auto r = check("amd-mi308x", "CN", "2024-06-01");
  EXPECT_FALSE(r.determined);
  EXPECT_EQ(r.json["determined"], false);
  EXPECT_EQ(r.json["decision"], "UNDETERMINED");
  ASSERT_FALSE(r.missing.empty());
  EXPECT_EQ(r.missing[0].input, "tpp");
  EXPECT_EQ(r.missing[0].field, "dense_tops");
  ASSERT_FALSE(r.missing[0].tests.empty());
  EXPECT_NE(r.missing[0].tests[0].find("tpp >= 4800"), std::string::npos) << r.missing[0].tests[0];
  EXPECT_EQ(r.json["missing"][0]["input"], "tpp");
}

TEST(Engine, MissingFigureThatCannotMatterIsNamedButDoesNotDecide) {
  const auto r = check("amd-mi308x", "DE", "2024-06-01");
  EXPECT_TRUE(r.determined);
  EXPECT_EQ(r.json["license_required"], false);
  EXPECT_FALSE(r.json.contains("missing"));
  const auto& unknown = r.json["unknown_inputs_not_deciding"];
  EXPECT_NE(std::find(unknown.begin(), unknown.end(), "tpp"), unknown.end()) << unknown;
}

TEST(Engine, ClassificationWhyNamesTheNearestThresholdsMissed) {
  engine::ClassifyRequest req{{"nvidia-h20", nullptr}, "2025-06-01", false};
  const auto r = engine::classify(world().snapshot, req);
  const std::string why = r.json["why"];
  EXPECT_EQ(why.find("no CLS-2023 paragraph met (tpp 2368 < 2400, pd 2.91 < 3.2)"), 0u) << why;
  EXPECT_NE(why.find("CLS-HBM-2024: excluded"), std::string::npos) << why;
}

TEST(Engine, ClassificationBeforeTheFirstRuleSaysWhichComesFirst) {
  engine::ClassifyRequest req{{"nvidia-h100-sxm5-80gb", nullptr}, "2022-05-01", false};
  const auto r = engine::classify(world().snapshot, req);
  EXPECT_EQ(r.json["eccn"], "not-3A090");
  EXPECT_EQ(r.json["next_rule"]["id"], "CLS-2022");
  EXPECT_EQ(r.json["next_rule"]["effective_from"], "2022-10-21");
  EXPECT_NE(r.json["why"].get<std::string>().find("the first, CLS-2022"), std::string::npos) << r.json["why"];
}

TEST(Engine, RequestErrorsNameTheField) {
  auto w = world().snapshot;
  auto bad_check = [&](auto mutate) {
    return field_of_error([&] {
      engine::CheckRequest r;
      r.item.chip = "nvidia-h20";
      r.to = "CN";
      r.date = "2025-04-20";
      mutate(r);
      engine::check(w, r);
    });
  };
  EXPECT_EQ(bad_check([](auto& r) { r.to = "XX"; }), "to");
  EXPECT_EQ(bad_check([](auto& r) { r.to = ""; }), "to");
  EXPECT_EQ(bad_check([](auto& r) { r.hq = "ZZ"; }), "hq");
  EXPECT_EQ(bad_check([](auto& r) { r.export_from = "Q1"; }), "export_from");
  EXPECT_EQ(bad_check([](auto& r) { r.end_use = "weapons"; }), "end_use");
  EXPECT_EQ(bad_check([](auto& r) { r.date = "2025-02-30"; }), "date");
  EXPECT_EQ(bad_check([](auto& r) { r.date = "2021-01-01"; }), "date");
  EXPECT_EQ(bad_check([](auto& r) { r.item.chip = "nvidia-h801"; }), "chip");
  EXPECT_EQ(bad_check([](auto& r) { r.parties = {"Acme", " "}; }), "parties[1]");
  EXPECT_EQ(bad_check([](auto& r) { r.owners = {{"Acme", 60}, {"Other", 0}}; }), "owners[1]");
  EXPECT_EQ(bad_check([](auto& r) { r.owners = {{"Acme", 60}, {"Other", 50}}; }), "owners");
  EXPECT_EQ(field_of_error([] { engine::parse_owner("Acme", "owners[0]"); }), "owners[0]");
  EXPECT_EQ(field_of_error([] { engine::parse_owner("Acme=sixty", "owners[0]"); }), "owners[0]");
  EXPECT_EQ(engine::parse_owner("Huawei Technologies Co., Ltd.=60%", "o").percent, 60);
  EXPECT_EQ(engine::parse_owner("A=B Holdings=12.5", "o").name, "A=B Holdings");
  EXPECT_EQ(field_of_error([&] {
              engine::parse_spec(*w, json{{"name", "x"}, {"kind", "ic"}}, "spec");
            }),
            "spec");
  EXPECT_EQ(field_of_error([&] { engine::screen(w, {"Huawei", "XX", std::nullopt, 20}); }), "country");
  EXPECT_EQ(field_of_error([&] { engine::screen(w, {"Huawei", "", 1.5, 20}); }), "threshold");
}

TEST(Engine, VersionsNameTheDataThatAnswered) {
  const auto& v = world().snapshot->versions();
  EXPECT_EQ(v.rules.rfind("sha256:", 0), 0u);
  EXPECT_EQ(v.rules.size(), 7u + 16u);
  EXPECT_EQ(v.rules_as_of, "2026-11-29");
  EXPECT_FALSE(v.lists.empty());
  // A change to any rule file is a new rules version.
  exportctl::testing::TempDir copy;
  std::filesystem::copy(exportctl::testing::rules_dir(), copy.path() / "rules",
                        std::filesystem::copy_options::recursive);
  engine::Config c = config_for(world().data_dir.path());
  c.rules_dir = (copy.path() / "rules").string();
  c.screening = engine::Config::Screening::Off;
  EXPECT_EQ(engine::Snapshot::load(c)->versions().rules, v.rules);
  std::ofstream(copy.path() / "rules" / "dataset.yaml", std::ios::app) << "# edited\n";
  EXPECT_NE(engine::Snapshot::load(c)->versions().rules, v.rules);
}

TEST(Engine, ReplacingTheSnapshotLeavesAnswersInFlightOnTheOldOne) {
  engine::Config c = config_for(world().data_dir.path());
  c.screening = engine::Config::Screening::Off;
  engine::SnapshotHolder holder(engine::Snapshot::load(c));
  const auto in_flight = holder.get();
  holder.replace(engine::Snapshot::load(c));
  EXPECT_NE(holder.get().get(), in_flight.get());
  // The old snapshot is still whole: it answers, and its answer keeps it alive.
  engine::ClassifyRequest req{{"nvidia-h800-sxm5-80gb", nullptr}, "2024-01-01", false};
  const auto r = engine::classify(in_flight, req);
  EXPECT_EQ(r.json["eccn"], "3A090.a");
  EXPECT_EQ(r.snapshot.get(), in_flight.get());
}

// Every scenario with a catalog chip, decided one by one (with trace) and as
// one batch (without): the answers agree, and batch rows name their rules.
TEST(Engine, BatchAndSingleAnswersAgreeOnTheScenarioSet) {
  const YAML::Node doc = YAML::LoadFile(std::string(EXPORTCTL_TEST_DATA) + "/license_scenarios.yaml");
  std::string csv = "chip,to,date,hq,party,owners,end_use,export_from\n";
  std::vector<json> singles;
  for (const auto& s : doc["scenarios"]) {
    if (!s["chip"] || s["apply_ai_diffusion"]) continue;
    engine::CheckRequest r;
    r.item.chip = s["chip"].as<std::string>();
    r.to = s["to"].as<std::string>();
    r.date = s["date"].as<std::string>();
    if (s["hq"]) r.hq = s["hq"].as<std::string>();
    if (s["end_use"]) r.end_use = s["end_use"].as<std::string>();
    if (s["export_from"]) r.export_from = s["export_from"].as<std::string>();
    std::string party_cell;
    if (s["parties"])
      for (const auto& p : s["parties"]) {
        r.parties.push_back(p.as<std::string>());
        party_cell += (party_cell.empty() ? "" : ";") + p.as<std::string>();
      }
    std::string owner_cell;
    if (s["owners"])
      for (const auto& o : s["owners"]) {
        r.owners.push_back(engine::parse_owner(o.as<std::string>(), "owners"));
        owner_cell += (owner_cell.empty() ? "" : ";") + o.as<std::string>();
      }
    singles.push_back(engine::check(world().snapshot, r).json);
    csv += r.item.chip + "," + r.to + "," + r.date + "," + r.hq + "," + csv_escape(party_cell) + "," +
           csv_escape(owner_cell) + "," + r.end_use + "," + r.export_from + "\n";
  }
  ASSERT_GE(singles.size(), 50u);
  std::istringstream in(csv);
  std::ostringstream out;
  const auto summary = engine::check_batch(world().snapshot, in, "scenarios.csv", out, {2, {}, {}});
  EXPECT_EQ(summary.rows, singles.size());
  std::istringstream result(out.str());
  CsvReader reader(result, "out");
  std::vector<std::string> row;
  auto cell = [&](const char* column) { return row[reader.require_column(column)]; };
  auto joined = [](const json& list) {
    std::string s;
    for (const auto& x : list) s += (s.empty() ? "" : ";") + x.get<std::string>();
    return s;
  };
  for (const auto& single : singles) {
    ASSERT_TRUE(reader.next(row));
    SCOPED_TRACE(single["item"].get<std::string>() + " -> " + single["to"].get<std::string>() + " on " +
                 single["date"].get<std::string>());
    EXPECT_EQ(cell("decision"), single["decision"].get<std::string>());
    const json& required = single["license_required"];
    EXPECT_EQ(cell("license_required"), required.is_null() ? "" : required.get<bool>() ? "true" : "false");
    EXPECT_EQ(cell("requirements"), joined(single["requirements"]));
    EXPECT_EQ(cell("flags"), joined(single["flags"]));
    EXPECT_EQ(cell("exceptions"), joined(single["exceptions"]));
    EXPECT_EQ(cell("rules"), joined(single["deciding_rules"]));
    if (required == true) {
      EXPECT_FALSE(cell("rules").empty());
    }
  }
  EXPECT_FALSE(reader.next(row));
}

// One screening answer for one name, whichever way it is asked: `check
// --party` sees the Entity List subset of what `screen` finds for the same
// name and country, and both honour the same adjudication.
TEST(Engine, CheckPartyAndScreenAgreeIncludingAdjudications) {
  exportctl::testing::TempDir data;
  const std::string name = "Huawei Technologies Co Ltd";
  engine::Config c = config_for(data.path());
  auto plain = engine::Snapshot::load(c);
  const auto before = engine::screen(plain, {name, "CN", std::nullopt, 20}).json;
  std::string fingerprint;
  std::vector<std::string> screened_el;
  for (const auto& m : before["matches"])
    if (m["entry"]["source_code"] == "EL") {
      screened_el.push_back("EL:" + m["entry"]["id"].get<std::string>());
      if (fingerprint.empty()) fingerprint = m["entry"]["fingerprint"];
    }
  ASSERT_FALSE(screened_el.empty());
  engine::CheckRequest r;
  r.item.chip = "nvidia-l2";
  r.to = "CN";
  r.date = "2024-06-01";
  r.parties = {name};
  const auto checked = engine::check(plain, r).json;
  std::vector<std::string> checked_el;
  for (const auto& p : checked["party_matches"])
    checked_el.push_back("EL:" + p["entry"]["id"].get<std::string>());
  EXPECT_EQ(checked_el, screened_el);
  EXPECT_EQ(checked["requirements"], json({"entity-list"}));

  data.write("adjudications.csv", "customer,entry,entry_fingerprint,decided_by,date,reason\n" + name + "," +
                                      screened_el[0] + "," + fingerprint +
                                      ",t.tester,2026-11-29,different company at another address\n");
  auto adjudicated = engine::Snapshot::load(c);
  const auto after = engine::screen(adjudicated, {name, "CN", std::nullopt, 20}).json;
  ASSERT_TRUE(after.contains("suppressed_by_adjudication"));
  EXPECT_EQ(after["suppressed_by_adjudication"][0]["entry"], screened_el[0]);
  const auto rechecked = engine::check(adjudicated, r).json;
  bool shown_as_adjudicated = false;
  for (const auto& p : rechecked["party_matches"])
    if ("EL:" + p["entry"]["id"].get<std::string>() == screened_el[0])
      shown_as_adjudicated = !p["adjudication"].is_null();
  EXPECT_TRUE(shown_as_adjudicated);
  if (screened_el.size() == 1) {
    EXPECT_EQ(rechecked["license_required"], false);
    EXPECT_EQ(rechecked["requirements"], json::array());
  }
}

// Countries as people write them: codes in any case, alpha-3, English names,
// the data's extra names; anything else is refused with the nearest names.
TEST(Engine, CountriesAsPeopleWriteThem) {
  const auto& groups = world().snapshot->rules().country_groups();
  for (const auto& [text, code] :
       std::vector<std::pair<std::string, std::string>>{{"CN", "CN"},
                                                        {"cn", "CN"},
                                                        {"CHN", "CN"},
                                                        {"China", "CN"},
                                                        {"china", "CN"},
                                                        {"Hong Kong", "HK"},
                                                        {"United Arab Emirates", "AE"},
                                                        {"UAE", "AE"},
                                                        {"Macau", "MO"},
                                                        {"Macao", "MO"},
                                                        {"South Korea", "KR"},
                                                        {"Burma", "MM"}})
    EXPECT_EQ(groups.parse_country(text).value_or("(none)"), code) << text;
  EXPECT_FALSE(groups.parse_country("Chian").has_value());
  EXPECT_FALSE(groups.parse_country("").has_value());
  EXPECT_EQ(groups.suggest_country("Chian").at(0), "CN (China)");
  // Through a request: the answer is for the code, and the error names the field.
  const auto r = check("nvidia-h100-sxm5-80gb", "china", "2024-06-01");
  EXPECT_EQ(r.json["to"], "CN");
  EXPECT_EQ(r.json["license_required"], true);
  try {
    check("nvidia-h100-sxm5-80gb", "Chian", "2024-06-01");
    FAIL() << "accepted 'Chian'";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "to");
    EXPECT_NE(e.message().find("did you mean CN (China)"), std::string::npos) << e.what();
  }
}

namespace {
// The notification an available exception asks for, from its reason.
std::string notification(const json& decision, const std::string& exception) {
  for (const auto& r : decision["reasons"])
    if (r["type"] == "exception" && r.value("provision", "").find(exception) == 0)
      return r.value("detail", "");
  return "(no " + exception + ")";
}
}  // namespace

// 740.8 as read: in 2023 notification only before exports to Macau/D:5
// (not for in-country transfers, not for headquartered entities elsewhere);
// from 2024-04-04 also for D:5/Macau-headquartered entities wherever located.
TEST(Engine, NacNotificationFollowsTheTextOfEachPeriod) {
  auto rtx = [](const std::string& to, const std::string& hq, const std::string& from,
                const std::string& date) {
    engine::CheckRequest r;
    r.item.chip = "nvidia-rtx-4090";
    r.to = to;
    r.hq = hq;
    r.export_from = from;
    r.date = date;
    return engine::check(world().snapshot, r).json;
  };
  EXPECT_NE(notification(rtx("CN", "", "US", "2023-12-01"), "NAC").find("notify BIS at least 25"),
            std::string::npos);
  EXPECT_NE(notification(rtx("SG", "CN", "US", "2023-12-01"), "NAC").find("none"), std::string::npos);
  EXPECT_NE(notification(rtx("SG", "CN", "US", "2024-04-04"), "NAC").find("wherever located"),
            std::string::npos);
  EXPECT_NE(notification(rtx("CN", "", "CN", "2023-12-01"), "NAC").find("none"), std::string::npos);
  EXPECT_NE(notification(rtx("CN", "", "US", "2023-12-01"), "NAC").find("military end use"),
            std::string::npos);
}
