// The CLI's text renderings, read only from engine JSON: the decision first,
// reasons with citations, comparisons with their values.

#include <gtest/gtest.h>

#include "cli/render.h"
#include "engine/engine.h"
#include "test_util.h"

using namespace exportctl;

namespace {

std::shared_ptr<const engine::Snapshot> snapshot() {
  static const exportctl::testing::TempDir data_dir;
  static const auto s = [] {
    engine::Config c;
    c.rules_dir = exportctl::testing::rules_dir();
    c.catalog_dir = exportctl::testing::data_dir() + "/chips";
    c.data_dir = data_dir.path().string();
    return engine::Snapshot::load(c);
  }();
  return s;
}

nlohmann::json decision(const std::string& chip, const std::string& to, const std::string& date) {
  engine::CheckRequest req;
  req.item.chip = chip;
  req.to = to;
  req.date = date;
  return engine::check(snapshot(), req).json;
}

}  // namespace

TEST(Render, ClassificationShowsTheParagraphTheArithmeticAndTheCitation) {
  const auto r = engine::classify(snapshot(), {{"nvidia-l40", nullptr}, "2024-06-01", false});
  const std::string text = cli::classification_text(r.json);
  EXPECT_EQ(text.find("nvidia-l40 on 2024-06-01: 3A090"), 0u) << text;
  EXPECT_NE(text.find("why: 3A090."), std::string::npos) << text;
  EXPECT_NE(text.find("dense TOPS x"), std::string::npos) << text;
  EXPECT_NE(text.find("88 FR 73458"), std::string::npos) << text;
}

TEST(Render, DecisionComesFirstThenEveryReason) {
  const std::string text = cli::decision_text(decision("nvidia-h20", "CN", "2025-04-20"));
  EXPECT_EQ(text.find("LICENSE REQUIRED"), text.find('\n') + 3) << text;
  EXPECT_NE(text.find("requirement is-informed-2025-04"), std::string::npos) << text;
  EXPECT_NE(text.find("not-applicable 3A090-destination"), std::string::npos) << text;
  EXPECT_NE(text.find("8-K"), std::string::npos) << text;
}

TEST(Render, UndeterminedSaysWhatIsNeeded) {
  const std::string text = cli::decision_text(decision("amd-mi308x", "CN", "2024-06-01"));
  EXPECT_NE(text.find("UNDETERMINED"), std::string::npos) << text;
  EXPECT_NE(text.find("needs tpp (spec field dense_tops): CLS-2023 3A090.a.1: tpp >= 4800"),
            std::string::npos)
      << text;
}

TEST(Render, ScreeningShowsScoreAlignmentAndNotice) {
  const std::string text =
      cli::screen_text(engine::screen(snapshot(), {"华为技术有限公司", "", {}, 20}).json);
  EXPECT_NE(text.find("Huawei Technologies Co., Ltd."), std::string::npos) << text;
  EXPECT_NE(text.find("Federal Register: 84 FR 22961"), std::string::npos) << text;
  EXPECT_NE(text.find("="), std::string::npos) << text;
}
