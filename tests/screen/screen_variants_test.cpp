// Issue 12: the variants a user types by hand must keep the match (typos in
// vocabulary words, split and joined brand names), and names that merely share
// a parent, a city or generic words must not alert.

#include <gtest/gtest.h>

#include "screen/normalize.h"
#include "screen/screen.h"
#include "screen_fixtures.h"

using namespace exportctl::screen;
using namespace exportctl::screen::fixtures;

namespace {

const Screener& bundled() {
  static const Screener s(bundled_snapshot(), bundled_normalizer());
  return s;
}

double best_score_for(const Screener& s, std::string_view query, std::string_view entry_name) {
  for (const auto& m : s.screen(query))
    if (m.entry->name == entry_name) return m.score;
  return 0.0;
}

bool aligned_as(const Match& m, std::string_view how) {
  for (const auto& l : m.detail.alignment)
    if (l.how == how) return true;
  return false;
}

}  // namespace

TEST(VocabularyTypos, RecognisedOnlyForMisspeltVocabularyWords) {
  EXPECT_TRUE(norm().misspells_vocabulary("circut"));
  EXPECT_TRUE(norm().misspells_vocabulary("grop"));
  EXPECT_TRUE(norm().misspells_vocabulary("tecnologies"));
  EXPECT_TRUE(norm().misspells_vocabulary("insitute"));
  EXPECT_TRUE(norm().misspells_vocabulary("univeristy"));  // adjacent letters swapped
  EXPECT_FALSE(norm().misspells_vocabulary("circuit"));    // the word itself
  EXPECT_FALSE(norm().misspells_vocabulary("huawei"));
  EXPECT_FALSE(norm().misspells_vocabulary("tircuit"));  // a different first letter
  EXPECT_FALSE(norm().misspells_vocabulary("cir"));      // too short to tell
}

// The examples: each typo costs a little and never the match.
TEST(VocabularyTypos, OneTypoInADescriptorOrLegalFormKeepsTheListedEntity) {
  struct Case {
    const char* typo;
    const char* correct;
    const char* listed;
  };
  for (const Case& c :
       {Case{"Chengdu Haiguang Integrated Circut", "Chengdu Haiguang Integrated Circuit",
             "Chengdu Haiguang Integrated Circuit"},
        Case{"Huawei Tecnologies Co Ltd", "Huawei Technologies Co Ltd", "Huawei Technologies Co., Ltd."},
        Case{"Inspur Grop", "Inspur Group", "Inspur Group"}}) {
    const auto matches = bundled().screen(c.typo);
    const Match* hit = nullptr;
    for (const auto& m : matches)
      if (m.entry->name == c.listed) hit = &m;
    ASSERT_NE(hit, nullptr) << c.typo;
    EXPECT_GE(hit->score, kDefaultThreshold) << c.typo;
    EXPECT_LT(hit->score, best_score_for(bundled(), c.correct, c.listed)) << c.typo;
    EXPECT_TRUE(aligned_as(*hit, "typo")) << c.typo;
  }
}

// A typo in a vocabulary word must not turn an unrelated name into a match.
TEST(VocabularyTypos, ATypoAloneDoesNotMakeAMatch) {
  EXPECT_EQ(best_score_for(bundled(), "Chengdu Integrated Circut", "Chengdu Haiguang Integrated Circuit"),
            0.0);
  EXPECT_TRUE(bundled().screen("Technolgy Grop Co Ltd").empty());
}

TEST(SplitAndJoined, BrandWrittenAsOneOrTwoWordsMatches) {
  const Screener s(
      snapshot_of(
          {entry("EL", "1", "Wingtech Technology Co., Ltd."), entry("EL", "2", "Uniview Technologies"),
           entry("EL", "3", "Hik Vision Digital Technology"), entry("EL", "4", "Sino Tech Optics Limited")}),
      bundled_normalizer());
  for (const auto& [query, id] :
       std::vector<std::pair<std::string, std::string>>{{"Wing Tech Technology Co Ltd", "1"},
                                                        {"Wing-Tech Technology Co., Ltd.", "1"},
                                                        {"Uni-View Technologies", "2"},
                                                        {"Uni View Technologies", "2"},
                                                        {"Hikvision Digital Technology", "3"},
                                                        {"Sinotech Optics Limited", "4"}}) {
    const auto m = s.screen(query);
    ASSERT_FALSE(m.empty()) << query;
    EXPECT_EQ(m[0].entry->id, id) << query;
    EXPECT_GE(m[0].score, kDefaultThreshold) << query;
    EXPECT_LT(m[0].score, 1.0) << query;  // a split or join costs a little
  }
}
