// The reference test vectors (tests/data/vectors.yaml), each checked at dates
// on both sides of every rule boundary, and the catalog's own derived buckets.

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cmath>

#include "catalog/catalog.h"
#include "classify/classify.h"
#include "core/error.h"
#include "test_util.h"

using namespace exportctl;

namespace {

const rules::RuleSet& bundled_rules() {
  static const rules::RuleSet set = rules::RuleSet::load(exportctl::testing::rules_dir());
  return set;
}

struct Period {
  const char* key;
  std::vector<const char*> dates;
};

// Dates on both sides of each boundary. A period without an expectation
// inherits the previous period's (3A090.c did not change 3A090.a/.b).
const std::vector<Period> kPeriods = {
    {"before_2022", {"2022-01-01", "2022-10-01", "2022-10-20"}},
    {"cls2022", {"2022-10-21", "2023-06-15", "2023-11-16"}},
    {"cls2023", {"2023-11-17", "2024-06-01", "2024-12-01"}},
    {"hbm2024", {"2024-12-02", "2025-04-20", "2026-03-01", "2026-11-29"}},
};

classify::ItemSpec spec_from(const YAML::Node& vector) {
  YAML::Node spec = YAML::Clone(vector["spec"]);
  spec["name"] = vector["id"].as<std::string>();
  if (!spec["kind"]) spec["kind"] = "ic";
  YAML::Emitter emitter;
  emitter << spec;
  return classify::parse_spec(emitter.c_str(), vector["id"].as<std::string>(), true,
                              bundled_rules().metrics());
}

}  // namespace

TEST(ReferenceVectors, EveryVectorAtEveryBoundary) {
  const YAML::Node doc = YAML::LoadFile(std::string(EXPORTCTL_TEST_DATA) + "/vectors.yaml");
  const classify::Classifier classifier(bundled_rules());
  int checked = 0;
  for (const auto& vector : doc["vectors"]) {
    const std::string id = vector["id"].as<std::string>();
    const classify::ItemSpec spec = spec_from(vector);
    YAML::Node expected = YAML::Load("{eccn: not-3A090}");  // no rule before 2022-10-21
    for (const auto& period : kPeriods) {
      if (vector[period.key])
        expected = vector[period.key];
      else if (std::string(period.key) == "cls2022")
        continue;  // unknown for this vector
      for (const char* date : period.dates) {
        SCOPED_TRACE(id + " on " + date);
        const auto c = classifier.classify(spec, *Date::parse(date), true);
        if (vector["tpp"]) {
          ASSERT_TRUE(c.metrics.tpp.has_value());
          EXPECT_NEAR(*c.metrics.tpp, vector["tpp"].as<double>(), 0.05);
        }
        if (vector["pd"]) {
          ASSERT_TRUE(c.metrics.pd.has_value());
          EXPECT_NEAR(*c.metrics.pd, vector["pd"].as<double>(), 0.005);
        }
        const std::string eccn = expected["eccn"].as<std::string>();
        if (eccn == "undetermined") {
          EXPECT_FALSE(c.determined);
          std::vector<std::string> missing;
          for (const auto& m : expected["missing"]) missing.push_back(m.as<std::string>());
          EXPECT_EQ(c.missing_inputs, missing);
        } else {
          EXPECT_TRUE(c.determined);
          EXPECT_EQ(c.eccn, eccn);
          EXPECT_EQ(c.paragraph, expected["paragraph"] ? expected["paragraph"].as<std::string>() : "");
          if (expected["excluded_by"]) {
            ASSERT_NE(c.excluded_by, nullptr);
            EXPECT_EQ(c.excluded_by->id, expected["excluded_by"].as<std::string>());
          }
        }
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 150);
}

// The catalog carries the reference's own bucket for every chip under the
// October 2023 rule; the engine must agree on all 59 rows, including the
// ones the reference marks undetermined for lack of a die area or TPP.
TEST(ReferenceVectors, CatalogAgreesWithDerivedBuckets) {
  const auto catalog =
      catalog::Catalog::load(exportctl::testing::data_dir() + "/chips", bundled_rules().metrics());
  ASSERT_EQ(catalog.chips().size(), 59u);
  const classify::Classifier classifier(bundled_rules());
  const Date date = *Date::parse("2024-06-01");
  for (const auto& chip : catalog.chips()) {
    SCOPED_TRACE(chip.id);
    const auto c = classifier.classify(chip.spec, date, false);
    const std::string bucket = chip.field("derived_bucket_oct2023_rules");
    const std::string tpp = chip.field("computed_tpp");
    if (!tpp.empty()) {
      ASSERT_TRUE(c.metrics.tpp.has_value());
      EXPECT_NEAR(*c.metrics.tpp, std::stod(tpp), 0.11);
    }
    if (bucket.rfind("unknown", 0) == 0) {
      EXPECT_FALSE(c.determined);
      EXPECT_EQ(c.missing_inputs, std::vector<std::string>{"tpp"});
    } else if (bucket.rfind("undetermined", 0) == 0) {
      EXPECT_FALSE(c.determined);
      EXPECT_EQ(c.missing_inputs, std::vector<std::string>{"pd"});
    } else if (bucket.rfind("not 3A090", 0) == 0) {
      EXPECT_TRUE(c.determined);
      EXPECT_EQ(c.eccn, "not-3A090");
    } else {
      EXPECT_TRUE(c.determined);
      // "3A090.a.1 (non-datacenter ...)" or "3A090.b.1/3A090.b.2 (...)": first paragraph listed
      const std::string first = bucket.substr(0, bucket.find_first_of(" /"));
      EXPECT_EQ(c.paragraph, first);
      EXPECT_EQ(c.eccn, first.substr(0, 7));
    }
  }
}

// Public statements collected in chips/NOTES.md section 4.
TEST(ReferenceVectors, PublicStatementsAboutNamedChips) {
  const auto catalog =
      catalog::Catalog::load(exportctl::testing::data_dir() + "/chips", bundled_rules().metrics());
  const classify::Classifier classifier(bundled_rules());
  auto at = [&](const char* id, const char* date) {
    const auto* chip = catalog.find(id);
    EXPECT_NE(chip, nullptr) << id;
    return classifier.classify(chip->spec, *Date::parse(date), false);
  };
  // 1-3: consumer cards around the 4800 line (non-datacenter: only a.1 applies).
  EXPECT_EQ(at("nvidia-rtx-4090", "2024-01-01").paragraph, "3A090.a.1");
  EXPECT_EQ(at("nvidia-rtx-4090d", "2024-06-01").eccn, "not-3A090");
  EXPECT_EQ(at("nvidia-rtx-5090d", "2025-06-01").eccn, "not-3A090");
  EXPECT_EQ(at("nvidia-rtx-5090", "2025-06-01").eccn, "3A090.a");
  // 5: H20 designed to comply with the 2023 rules.
  EXPECT_EQ(at("nvidia-h20", "2024-06-01").eccn, "not-3A090");
  // 6-8: L40 below 4800 is 3A090.b; L4 caught by density (a.2).
  EXPECT_EQ(at("nvidia-l40", "2024-06-01").eccn, "3A090.b");
  EXPECT_EQ(at("nvidia-l4", "2024-06-01").paragraph, "3A090.a.2");
  EXPECT_EQ(at("nvidia-l40s", "2024-06-01").paragraph, "3A090.a.1");
  // 9-11: the 2022 two-prong test; A800, H800 and Gaudi 2 China escaped it.
  EXPECT_EQ(at("nvidia-a100-sxm4-80gb", "2023-01-01").eccn, "3A090.a");
  EXPECT_EQ(at("nvidia-a800-sxm4-80gb", "2023-01-01").eccn, "not-3A090");
  EXPECT_EQ(at("nvidia-a800-sxm4-80gb", "2023-11-17").eccn, "3A090.a");
  EXPECT_EQ(at("intel-gaudi2", "2023-01-01").eccn, "3A090.a");
  EXPECT_EQ(at("intel-gaudi2-hl225b", "2023-01-01").eccn, "not-3A090");
  EXPECT_EQ(at("intel-gaudi2-hl225b", "2024-01-01").eccn, "3A090.a");
  // 13: Ascend 910B / 910C meet 3A090 (the GP10 guidance presumes it).
  EXPECT_EQ(at("huawei-ascend-910b", "2025-05-13").eccn, "3A090.a");
  EXPECT_EQ(at("huawei-ascend-910c", "2025-05-13").eccn, "3A090.a");
  // 15: Biren BR100 outside the 2022 test (BLink 512 < 600), inside from 2023.
  EXPECT_EQ(at("biren-br100", "2023-01-01").eccn, "not-3A090");
  EXPECT_EQ(at("biren-br100", "2023-11-17").eccn, "3A090.a");
}
