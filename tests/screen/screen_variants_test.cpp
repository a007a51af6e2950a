// Issue 12: the variants a user types by hand must keep the match (typos in
// vocabulary words, split and joined brand names), and names that merely share
// a parent, a city or generic words must not alert.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "screen/normalize.h"
#include "screen/screen.h"
#include "screen_fixtures.h"
#include "test_util.h"

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
  EXPECT_TRUE(norm().vocabulary_correction("circut").has_value());
  EXPECT_TRUE(norm().vocabulary_correction("grop").has_value());
  EXPECT_TRUE(norm().vocabulary_correction("tecnologies").has_value());
  EXPECT_TRUE(norm().vocabulary_correction("insitute").has_value());
  EXPECT_TRUE(norm().vocabulary_correction("univeristy").has_value());  // adjacent letters swapped
  EXPECT_FALSE(norm().vocabulary_correction("circuit").has_value());    // the word itself
  EXPECT_FALSE(norm().vocabulary_correction("huawei").has_value());
  EXPECT_FALSE(norm().vocabulary_correction("tircuit").has_value());  // a different first letter
  EXPECT_FALSE(norm().vocabulary_correction("cir").has_value());      // too short to tell
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

// ---------------------------------------------------------------- generic names and siblings

TEST(GenericNames, AGenericNameDoesNotAlertOnAListedOneContainingIt) {
  for (const char* q : {"Technology Group Co Ltd", "Supply Chain Management Co., Ltd.",
                        "Electronics Group Limited", "Technolgy Grop Co Ltd"})
    EXPECT_TRUE(bundled().screen(q).empty()) << q;
}

TEST(GenericNames, UnitsToldApartByCityOrSubject) {
  // Another city of a listed supercomputing centre, in either script.
  EXPECT_EQ(best_score_for(bundled(), "National Supercomputing Center Changsha",
                           "National Supercomputing Center Jinan"),
            0.0);
  EXPECT_TRUE(bundled().screen("国家超级计算长沙中心").empty());
  EXPECT_GE(best_score_for(bundled(), "National Supercomputing Centre Jinan",
                           "National Supercomputing Center Jinan"),
            kDefaultThreshold);
  // An institute of the same academy with another subject (synthetic entries).
  const Screener s(snapshot_of({entry("EL", "1", "Institute of Semiconductors, Chinese Academy of Sciences"),
                                entry("EL", "2", "Harbin First Machinery Group Ltd.")}),
                   bundled_normalizer());
  EXPECT_TRUE(s.screen("Institute of Botany, Chinese Academy of Sciences").empty());
  EXPECT_FALSE(s.screen("Institute of Semiconductors Chinese Academy of Sciences").empty());
  EXPECT_TRUE(s.screen("Guiyang First Machinery Group Ltd.").empty());
}

// ---------------------------------------------------------------- the bilingual name table

namespace {

const NameTableRow* row_for(const std::vector<NameTableRow>& rows, const std::string& id) {
  for (const auto& r : rows)
    if (r.list_id == id) return &r;
  return nullptr;
}

const Match* match_of(const std::vector<Match>& matches, const std::string& id) {
  for (const auto& m : matches)
    if (m.entry->id == id) return &m;
  return nullptr;
}

}  // namespace

TEST(ChineseNames, EveryRowHasASourceAndFindsItsEntry) {
  const auto rows = load_name_table(bundled_names_dir() / "chinese_names.csv");
  ASSERT_GE(rows.size(), 15u);
  for (const auto& r : rows) {
    EXPECT_EQ(r.source_url.rfind("http", 0), 0u) << r.origin;
    EXPECT_FALSE(r.source_title.empty()) << r.origin;
    EXPECT_FALSE(r.zh_simplified.empty() && r.zh_traditional.empty()) << r.origin;
  }
  auto entries = bundled_snapshot()->entries;
  for (auto& e : entries) e.sourced_names.clear();
  EXPECT_EQ(apply_name_table(entries, rows, norm()), rows.size());
}

TEST(ChineseNames, RegisteredChineseNameFindsTheListedEnglishEntryWithItsSource) {
  const std::string smic = "exportctl-el-ai-0007";
  const auto rows = load_name_table(bundled_names_dir() / "chinese_names.csv");
  const NameTableRow* row = row_for(rows, smic);
  ASSERT_NE(row, nullptr);
  for (const std::string q : {"中芯国际集成电路制造有限公司", "中芯國際集成電路製造有限公司",
                              "Zhongxin Guoji Jicheng Dianlu Zhizao Youxian Gongsi"}) {
    const auto matches = bundled().screen(q);
    const Match* m = match_of(matches, smic);
    ASSERT_NE(m, nullptr) << q;
    EXPECT_GE(m->score, kDefaultThreshold) << q;
    ASSERT_NE(m->name_source, nullptr) << q;
    EXPECT_EQ(m->matched_name, row->zh_simplified) << q;
    EXPECT_EQ(m->name_source->source_url, row->source_url) << q;
    EXPECT_TRUE(m->name_source->unconfirmed.empty()) << q;
  }
  // Held out of the index, nothing connects the Chinese name to the English one.
  auto held_out = std::make_shared<ListSnapshot>(*bundled_snapshot());
  for (auto& e : held_out->entries) e.sourced_names.clear();
  const Screener without(held_out, bundled_normalizer());
  EXPECT_EQ(match_of(without.screen("中芯国际集成电路制造有限公司"), smic), nullptr);
}

TEST(ChineseNames, AnUnsettledLinkIsShownWithTheMatch) {
  const auto matches = bundled().screen("海光信息技术股份有限公司");
  const Match* m = match_of(matches, "exportctl-el-ai-0003");  // Higon
  ASSERT_NE(m, nullptr);
  ASSERT_NE(m->name_source, nullptr);
  EXPECT_NE(m->name_source->unconfirmed.find("not confirmed"), std::string::npos);
}

TEST(ChineseNames, MalformedRowsNameFileLineAndField) {
  exportctl::testing::TempDir dir;
  const std::string header =
      "list_source_code,list_id,list_name,zh_simplified,zh_traditional,source_url,source_kind,source_title,"
      "read_on,"
      "unconfirmed\n";
  const auto message = [&](const std::string& row) -> std::string {
    dir.write("names.csv", header + row);
    try {
      load_name_table(dir.path() / "names.csv");
    } catch (const exportctl::InputError& e) {
      return e.what();
    }
    return "no error";
  };
  const std::string ok_tail = ",https://example.org/a,news,A title,2026-12-02,\n";
  EXPECT_NE(
      message("EL,1,Acme,艾克米,,,news,T,2026-12-02,\n").find("names.csv:2: field 'source_url' is empty"),
      std::string::npos);
  EXPECT_NE(message("EL,1,Acme,艾克米,,ftp://x,news,T,2026-12-02,\n").find("not an http(s) URL"),
            std::string::npos);
  EXPECT_NE(message("EL,1,Acme,Acme,," + ok_tail.substr(1)).find("without Chinese characters"),
            std::string::npos);
  EXPECT_NE(message("EL,1,Acme,,," + ok_tail.substr(1)).find("both empty"), std::string::npos);
  EXPECT_NE(message("EL,1,Acme,艾克米,,https://example.org,blog,T,2026-12-02,\n").find("unknown kind 'blog'"),
            std::string::npos);
  EXPECT_NE(message("EL,1,Acme,艾克米,,https://example.org,news,T,yesterday,\n").find("field 'read_on'"),
            std::string::npos);
  EXPECT_EQ(message("EL,1,Acme,艾克米,," + ok_tail.substr(1)), "no error");
}

// ---------------------------------------------------------------- watch entries

TEST(Watch, PubliclyReportedPartiesAreInformationNotListMatches) {
  EXPECT_TRUE(bundled().screen("DeepSeek").empty());
  for (const char* q : {"DeepSeek", "杭州深度求索人工智能基础技术研究有限公司"}) {
    const nlohmann::json w = watch_json(q, ScreenOptions{});
    ASSERT_EQ(w.size(), 1u) << q;
    EXPECT_EQ(w[0]["id"], "watch-deepseek");
    EXPECT_EQ(w[0]["status"], "publicly reported as under consideration, not listed");
    EXPECT_NE(w[0]["remarks"].get<std::string>().find("evidence S"), std::string::npos);
    EXPECT_EQ(w[0]["source_url"].get<std::string>().rfind("https://", 0), 0u);
  }
  EXPECT_TRUE(watch_json("Huawei Technologies Co., Ltd.", ScreenOptions{}).empty());
}
