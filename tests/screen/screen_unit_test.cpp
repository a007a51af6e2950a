// Screening library: similarity primitives, normalisation steps, list loaders,
// scoring behaviour, snapshots, adjudications. Fixtures: tests/data/screen
// (provenance in PROVENANCE.md).

#include <filesystem>
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <random>
#include <thread>

#include "core/csv.h"
#include "core/error.h"
#include "screen/normalize.h"
#include "screen/screen.h"
#include "screen/similarity.h"
#include "screen_fixtures.h"
#include "test_util.h"

using namespace exportctl;
using namespace exportctl::screen;
using exportctl::testing::TempDir;

using namespace exportctl::screen::fixtures;

// ---------------------------------------------------------------- similarity

TEST(Similarity, LevenshteinKnownDistances) {
  EXPECT_EQ(levenshtein("kitten", "sitting"), 3);
  EXPECT_EQ(levenshtein("", "abc"), 3);
  EXPECT_EQ(levenshtein("same", "same"), 0);
  EXPECT_EQ(levenshtein("flaw", "lawn"), 2);
  // Bounded: stops once the budget is exceeded.
  EXPECT_GT(levenshtein("abcdefgh", "zyxwvuts", 2), 2);
}

TEST(Similarity, BitParallelKernelAgreesWithDynamicProgramming) {
  std::mt19937 rng(7);
  const std::string alphabet = "abcde";
  for (int n = 0; n < 5000; ++n) {
    std::string a, b;
    const auto la = rng() % 12, lb = rng() % 12;
    for (std::size_t i = 0; i < la; ++i) a.push_back(alphabet[rng() % alphabet.size()]);
    for (std::size_t i = 0; i < lb; ++i) b.push_back(alphabet[rng() % alphabet.size()]);
    ASSERT_EQ(levenshtein(a, b), levenshtein_dp(a, b)) << a << " / " << b;
  }
  EXPECT_EQ(levenshtein("asasd", "assad"), 1);  // one transposition
  const std::string long_a(100, 'a'), long_b = std::string(99, 'a') + "b";
  EXPECT_EQ(levenshtein(long_a, long_b), 1);
}

TEST(Similarity, JaroWinklerTextbookValues) {
  EXPECT_NEAR(jaro("martha", "marhta"), 0.9444, 1e-4);
  EXPECT_NEAR(jaro_winkler("martha", "marhta"), 0.9611, 1e-4);
  EXPECT_NEAR(jaro_winkler("dixon", "dicksonx"), 0.8133, 1e-4);
  EXPECT_DOUBLE_EQ(jaro_winkler("abc", "abc"), 1.0);
  EXPECT_DOUBLE_EQ(jaro("abc", "xyz"), 0.0);
}

TEST(Similarity, ShortTokensMustBeExact) {
  // CVC/CVS and BD/BP are different companies: no edit budget under 4 letters.
  EXPECT_EQ(token_similarity("cvc", "cvs"), 0.0);
  EXPECT_EQ(token_similarity("bd", "bp"), 0.0);
  EXPECT_GT(token_similarity("scholze", "scholz"), 0.8);
  EXPECT_LT(token_similarity("scholze", "scholz"), 1.0);
  EXPECT_EQ(token_similarity("huawei", "huaxin"), 0.0);
}

// ---------------------------------------------------------------- normalisation

TEST(Normalize, LegalFormsInEveryScriptShareOneKey) {
  const auto expected = keys("Co., Ltd.");
  ASSERT_EQ(expected.size(), 1u);
  for (const char* form :
       {"Company Limited", "CO LTD", "有限公司", "Youxian Gongsi", "YouxianGongsi", "有限公司"})
    EXPECT_EQ(keys(form), expected) << form;
  EXPECT_EQ(keys("股份有限公司"), keys("Gufen Youxian Gongsi"));
  EXPECT_EQ(keys("股份有限公司"), expected);  // usually translated "Co., Ltd."
  EXPECT_EQ(keys("GmbH"), keys("LLC"));
  EXPECT_EQ(keys("ООО"), keys("LLC"));
  EXPECT_NE(keys("GmbH"), keys("AG"));
}

TEST(Normalize, DescriptorsAndAbbreviations) {
  EXPECT_EQ(keys("Technology"), keys("科技"));
  EXPECT_EQ(keys("Tech"), keys("Keji"));
  EXPECT_EQ(keys("GRP"), keys("集团"));
  EXPECT_EQ(keys("COMM"), keys("通信"));
  EXPECT_EQ(keys("INTL"), keys("国际"));
  EXPECT_EQ(keys("研究院"), keys("Institute"));
  EXPECT_EQ(keys("贸易"), keys("Maoyi"));
}

TEST(Normalize, GroupNamesInFullAcronymAndChinese) {
  EXPECT_EQ(keys("CETC"), keys("China Electronics Technology Group Corporation"));
  EXPECT_EQ(keys("CETC"), keys("中国电子科技集团公司"));
  EXPECT_EQ(keys("CETC 13th Research Institute"), keys("中国电子科技集团公司第十三研究所"));
  EXPECT_NE(keys("CETC 13th Research Institute"), keys("中国电子科技集团公司第五十四研究所"));
}

TEST(Normalize, ChineseScriptsAndPinyin) {
  // Traditional and Japanese forms fold to simplified before romanisation.
  EXPECT_EQ(keys("華為"), keys("华为"));
  EXPECT_EQ(keys("集団"), keys("集团"));
  // A run of Han characters outside the vocabulary becomes one pinyin token.
  EXPECT_EQ(keys("华为"), std::vector<std::string>{"huawei"});
  EXPECT_EQ(Normalizer::han_pinyin("海格"), "haige");
  EXPECT_EQ(keys("广州海格通信集团"), keys("Guangzhou Haige Communication Group"));
}

TEST(Normalize, SinoKoreanReadingForNorthKoreanNames) {
  if (!norm().has_korean_readings()) GTEST_SKIP() << "libhangul-data not installed";
  EXPECT_EQ(norm().korean_reading("金策"), "kimchaek");  // override from korean_readings.yaml
  EXPECT_EQ(norm().korean_reading("强盛"), "kangsong");
  EXPECT_EQ(norm().korean_reading("平壤"), "pyongyang");
  const auto tokens = norm().normalize("朝鮮強盛貿易会社", HanReading::Korean).tokens;
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[1].key, "kangsong");
  EXPECT_EQ(keys("朝鮮強盛貿易会社")[1], "qiangsheng");  // the default reading stays pinyin
}

TEST(Normalize, OtherScriptsRomanised) {
  EXPECT_EQ(keys("Владимир Путин"), (std::vector<std::string>{"vladimir", "putin"}));
  EXPECT_EQ(keys("ΑΘΗΝΑ"), keys("Athena"));
  EXPECT_EQ(keys("Ｈｕａｗｅｉ"), keys("huawei"));  // full-width letters (NFKC)
  EXPECT_EQ(keys("Straße"), keys("strasse"));
}

TEST(Normalize, NumbersAndOrdinalsAgreeAcrossForms) {
  const std::vector<std::string> thirteen{"#13"};
  EXPECT_EQ(keys("13th"), thirteen);
  EXPECT_EQ(keys("thirteenth"), thirteen);
  EXPECT_EQ(keys("第十三"), thirteen);
  EXPECT_EQ(keys("Forty-Four"), std::vector<std::string>{"#44"});
  EXPECT_EQ(keys("forty 4"), std::vector<std::string>{"#44"});
  EXPECT_EQ(keys("No. 13"), (std::vector<std::string>{"number", "#13"}));
  EXPECT_EQ(parse_chinese_numeral(U"五十四"), 54);
  EXPECT_EQ(parse_chinese_numeral(U"十"), 10);
  EXPECT_EQ(parse_chinese_numeral(U"一〇二"), 102);
  EXPECT_EQ(parse_chinese_numeral(U"华"), -1);
}

TEST(Normalize, AcronymsApostrophesAndBisQuestionMarks) {
  EXPECT_EQ(keys("U.S.A."), keys("USA"));
  EXPECT_EQ(keys("U.S.A."), keys("United States"));
  EXPECT_EQ(keys("I.B.M. Corp"), keys("IBM Corp"));
  EXPECT_EQ(keys("Deutsche Bank's AG"), keys("Deutsche Bank AG"));
  EXPECT_EQ(keys("Xi?an"), keys("Xi'an"));
  EXPECT_EQ(keys("Xi'an"), keys("西安"));
  EXPECT_EQ(keys("CETC13"), keys("CETC 13"));
}

TEST(Normalize, VocabularyIsDataAnAnalystCanExtend) {
  TempDir dir;
  for (const char* f :
       {"numbers.yaml", "legal_forms.yaml", "places.yaml", "stopwords.yaml", "organisations.yaml"})
    std::filesystem::copy_file(bundled_vocab_dir() / f, dir.path() / f);
  dir.write("descriptors.yaml", "entries:\n  - id: widgets\n    forms: [widgets, widget works, 小部件]\n");
  const auto custom = Normalizer::load(dir.path());
  const auto tokens = custom->normalize("Acme Widget Works").tokens;
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[1].key, "widgets");
  EXPECT_EQ(tokens[1].kind, TokenKind::Descriptor);
  // The bundled vocabulary does not know the word.
  EXPECT_EQ(norm().normalize("Acme Widget Works").tokens.size(), 3u);
}

TEST(Normalize, MalformedVocabularyNamesFileAndLine) {
  TempDir dir;
  for (const char* f :
       {"numbers.yaml", "legal_forms.yaml", "places.yaml", "stopwords.yaml", "organisations.yaml"})
    std::filesystem::copy_file(bundled_vocab_dir() / f, dir.path() / f);
  dir.write("descriptors.yaml", "entries:\n  - id: x\n    forms: []\n");
  try {
    Normalizer::load(dir.path());
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("descriptors.yaml:2"), std::string::npos) << e.what();
  }
}

TEST(Normalize, HostileInputGivesADefinedResult) {
  // Lists are read leniently: bad bytes are separators, never a crash.
  EXPECT_NO_THROW(norm().normalize("\xff\xfe\x80 abc \xc3"));
  EXPECT_NO_THROW(norm().normalize(std::string(200000, 'x')));
  EXPECT_NO_THROW(norm().normalize(std::string(30000, '\0')));
  EXPECT_TRUE(norm().normalize("").tokens.empty());
  EXPECT_TRUE(norm().normalize("!!! --- ???").tokens.empty());
}

TEST(Normalize, QueriesAreValidated) {
  EXPECT_THROW(validate_query("", "q"), InputError);
  EXPECT_THROW(validate_query("   ", "q"), InputError);
  EXPECT_THROW(validate_query(std::string(10 * 1024 * 1024, 'a'), "q"), InputError);
  EXPECT_THROW(validate_query("abc\xff", "q"), InputError);
  EXPECT_THROW(validate_query("abc\x01", "q"), InputError);
  EXPECT_THROW(validate_query("line\nbreak", "q"), InputError);
  EXPECT_NO_THROW(validate_query("华为技术有限公司", "q"));
}

// ---------------------------------------------------------------- loaders

TEST(Lists, CslCsvCurrentLayoutWithQuirks) {
  SourceFile info;
  const auto entries = load_list_file(fixture("csl_2025.csv"), &info);
  EXPECT_EQ(info.format, "csl-csv");
  EXPECT_EQ(info.rows, entries.size());
  const auto it = std::find_if(entries.begin(), entries.end(), [](const Entry& e) {
    return e.name.find("13th Research") != std::string::npos;
  });
  ASSERT_NE(it, entries.end());
  EXPECT_EQ(it->source_code, "EL");
  EXPECT_EQ(it->federal_register_notice, "83 FR 37423; 87 FR 77505");
  // "; and " before the last alias is stripped.
  EXPECT_EQ(it->alt_names.back(), "CETC Research Institute 13");
  EXPECT_NE(std::find(it->countries.begin(), it->countries.end(), "CN"), it->countries.end());
  // "and any successor, sub-unit, or subsidiary thereof" is not part of a name.
  for (const auto& e : entries) EXPECT_EQ(e.name.find("successor"), std::string::npos) << e.name;
}

TEST(Lists, CslCsv2019LayoutWithoutId) {
  const auto entries = load_list_file(fixture("csl_2019.csv"));
  ASSERT_EQ(entries.size(), 2u);
  for (const auto& e : entries) {
    EXPECT_FALSE(e.id.empty());
    EXPECT_EQ(e.source_code, "EL");
  }
}

TEST(Lists, CslJsonMatchesCsv) {
  SourceFile info;
  const auto json_entries = load_list_file(fixture("csl.json"), &info);
  EXPECT_EQ(info.format, "csl-json");
  const auto csv_entries = load_list_file(fixture("csl_2025.csv"));
  ASSERT_EQ(json_entries.size(), 4u);
  for (std::size_t i = 0; i < json_entries.size(); ++i) {
    EXPECT_EQ(json_entries[i].name, csv_entries[i].name);
    EXPECT_EQ(json_entries[i].id, csv_entries[i].id);
    EXPECT_EQ(json_entries[i].alt_names, csv_entries[i].alt_names);
  }
}

TEST(Lists, OfacSdnMergesAliasesAndAddresses) {
  SourceFile info;
  const auto entries = load_list_file(fixture("ofac_sdn.csv"), &info);
  EXPECT_EQ(info.format, "ofac-sdn");
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[2].name, "BANCO NACIONAL DE CUBA");
  EXPECT_EQ(entries[2].id, "306");
  EXPECT_EQ(entries[2].alt_names, std::vector<std::string>{"NATIONAL BANK OF CUBA"});
  EXPECT_FALSE(entries[2].addresses.empty());
  EXPECT_EQ(entries[0].programs, "CUBA");
}

TEST(Lists, DeniedPersonsTabSeparated) {
  SourceFile info;
  const auto entries = load_list_file(fixture("dpl.txt"), &info);
  EXPECT_EQ(info.format, "bis-dpl");
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].source_code, "DPL");
  EXPECT_EQ(entries[1].name, "AARON ABRAHAM VILLA");
  EXPECT_EQ(entries[1].federal_register_notice, "87 F.R. 52741 8/29/2022");
}

TEST(Lists, MalformedFilesNameLineAndField) {
  const auto message = [](const std::string& content, const std::string& name) {
    try {
      parse_list(content, name);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("source,name\nEL,Acme\nEL,Beta,extra\n", "l.csv").find("l.csv:3"), std::string::npos);
  EXPECT_NE(message("source,name\nEL,\n", "l.csv").find("field 'name'"), std::string::npos);
  EXPECT_NE(message("source,name\n\"EL,Acme\n", "l.csv").find("l.csv"), std::string::npos);
  EXPECT_NE(message("[{\"source\": \"EL\"}]", "l.json").find("record 1"), std::string::npos);
  EXPECT_NE(message("{\"results\": [", "l.json").find("l.json:1: JSON syntax error"), std::string::npos);
  EXPECT_NE(message("36,\"A\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n37,\"B\"\n", "sdn.csv")
                .find("sdn.csv:2"),
            std::string::npos);
  EXPECT_NE(message("", "x.csv").find("empty"), std::string::npos);
  EXPECT_NE(message("36,12,\"aka\",\"AERO-CARIBBEAN\",-0- \n", "alt.csv").find("sdn.csv"), std::string::npos);
  EXPECT_NE(message("hello world\n", "x.csv").find("unrecognised"), std::string::npos);
}

// ---------------------------------------------------------------- scoring

class Scoring : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { screener_ = new Screener(bundled_snapshot(), bundled_normalizer()); }
  static void TearDownTestSuite() { delete screener_; }
  static double score(std::string_view a, std::string_view b) { return screener_->score_pair(a, b).score; }
  static Screener* screener_;
};
Screener* Scoring::screener_ = nullptr;

TEST_F(Scoring, SharedCityDescriptorsAndLegalFormAreNotAMatch) {
  const double same = score("Shenzhen Huawei Technologies Co., Ltd.", "Huawei Technologies Co., Ltd.");
  const double other =
      score("Shenzhen Huaxin Technologies Co., Ltd.", "Shenzhen Huawei Technologies Co., Ltd.");
  EXPECT_GE(same, kDefaultThreshold);
  EXPECT_LT(other, 0.5);
  EXPECT_GT(same - other, 0.3);
}

TEST_F(Scoring, OrdinalsMustAgree) {
  const char* listed = "China Electronics Technology Group Corporation 13th Research Institute";
  EXPECT_GE(score("China Electronics Technology Group Corp. 13th Research Institute", listed),
            kDefaultThreshold);
  EXPECT_LT(score("China Electronics Technology Group Corporation 54th Research Institute", listed),
            kDefaultThreshold);
  EXPECT_GE(score("中国电子科技集团公司第十三研究所", listed), kDefaultThreshold);
  EXPECT_LT(score("BELLETECH CORP", "11420 CORP."), 0.5);
}

TEST_F(Scoring, ReorderedAbbreviatedAndSplitNames) {
  const char* haige = "Guangzhou Haige Communication Group Co., Ltd.";
  EXPECT_GE(score("GUANGZHOU HAIGE COMM GRP", haige), kDefaultThreshold);
  EXPECT_GE(score("HAIGE GUANGZHOU", haige), 0.7);
  EXPECT_GE(score("Hik Vision Digital Technology", "Hikvision Digital Technology Co., Ltd."),
            kDefaultThreshold);
  EXPECT_GE(score("Beijing Zhipu Huazhang Keji", "北京智谱华章科技有限公司"), kDefaultThreshold);
}

TEST_F(Scoring, AcronymsAndNativeScriptNearMisses) {
  EXPECT_GE(score("PLA", "People's Liberation Army"), 0.7);
  EXPECT_LT(score("PLA", "Pakistan Liberation Army Corp"), score("PLA", "People's Liberation Army"));
  // One character apart in Han is a different name, even when pinyin is close or equal.
  EXPECT_LT(score("习近朋", "习近平"), kDefaultThreshold);
  EXPECT_LT(score("高石早苗", "高市早苗"), kDefaultThreshold);
  EXPECT_GE(score("習近平", "习近平"), 0.99);  // traditional = simplified
}

TEST_F(Scoring, GenericWordsAndPhoneticNearMissesStayLow) {
  EXPECT_LT(score("George Bush", "George Habbash"), kDefaultThreshold);
  EXPECT_LT(score("A-B-C Company", "XYZ Company"), 0.5);
  EXPECT_LT(score("Technology Co Ltd", "Huawei Technologies Co., Ltd."), 0.5);
  EXPECT_LT(score("The Group for the Preservation of the Holy Sites", "The Bridgespan Group"), 0.5);
}

TEST_F(Scoring, ScoresDoNotSaturate) {
  const double identical = score("Huawei Technologies Co., Ltd.", "Huawei Technologies Co., Ltd.");
  const double variant = score("HUAWEI TECHNOLOGIES COMPANY LIMITED", "Huawei Technologies Co., Ltd.");
  const double typo = score("Huawey Technologies Co., Ltd.", "Huawei Technologies Co., Ltd.");
  EXPECT_DOUBLE_EQ(identical, 1.0);
  EXPECT_LT(variant, identical);
  EXPECT_LT(typo, variant);
  EXPECT_GE(typo, kDefaultThreshold);
}

TEST_F(Scoring, AlignmentExplainsTheScore) {
  const auto p = screener_->score_pair("华为技术有限公司", "Huawei Technologies Co., Ltd.");
  ASSERT_EQ(p.alignment.size(), 3u);
  EXPECT_EQ(p.alignment[0].query, "华为 (huawei)");
  EXPECT_EQ(p.alignment[0].listed, "huawei");
  EXPECT_EQ(p.alignment[1].kind, "descriptor");
  EXPECT_EQ(p.alignment[2].kind, "legal_form");
}

TEST_F(Scoring, LabelledCompanyPairsFromNameBench) {
  // A sample of OpenSanctions' labelled pairs (MIT): at the default threshold
  // most must come out right, and matches must outscore non-matches on average.
  std::ifstream in(fixture("name_pairs.csv"));
  CsvReader reader(in, "name_pairs.csv");
  const auto a = reader.require_column("name1"), b = reader.require_column("name2"),
             label = reader.require_column("is_match");
  std::vector<std::string> f;
  int correct = 0, total = 0;
  double pos = 0, neg = 0;
  int npos = 0, nneg = 0;
  while (reader.next(f)) {
    const double s = score(f[a], f[b]);
    const bool match = f[label] == "true";
    correct += (s >= kDefaultThreshold) == match;
    ++total;
    (match ? pos : neg) += s;
    ++(match ? npos : nneg);
  }
  ASSERT_GT(npos, 0);
  ASSERT_GT(nneg, 0);
  EXPECT_GT(pos / npos, neg / nneg + 0.2);
  EXPECT_GE(correct, total * 8 / 10);
}

// ---------------------------------------------------------------- screener

TEST(Screener, FindsLinkedRecordOnAnotherList) {
  // The Chinese name is known only from the METI record; the query still
  // reaches the Entity List record of the same company.
  auto snap = snapshot_of({entry("EL", "el-1", "Acme Zhongxing Semiconductor Co., Ltd."),
                           entry("METI", "meti-1", "Acme Zhongxing Semiconductor Company Limited",
                                 {"艾克米中兴半导体有限公司"})});
  ASSERT_EQ(snap->entries[0].linked, std::vector<std::size_t>{1});
  const Screener screener(snap, bundled_normalizer());
  const auto matches = screener.screen("艾克米中兴半导体有限公司");
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0].entry->source_code, "METI");
  EXPECT_EQ(matches[1].entry->source_code, "EL");
  EXPECT_EQ(matches[1].via, matches[0].entry);
  const auto el = entity_list_matches(screener, "艾克米中兴半导体有限公司");
  ASSERT_EQ(el.size(), 1u);
  EXPECT_EQ(el[0].entry->id, "el-1");
}

TEST(Screener, HanQueryAlsoReadInKoreanFindsNorthKoreanEntry) {
  if (!norm().has_korean_readings()) GTEST_SKIP() << "libhangul-data not installed";
  const Screener screener(snapshot_of({entry("SDN", "1", "Korea Kangsong Trading Corporation"),
                                       entry("SDN", "2", "Kim Chaek University of Technology")}),
                          bundled_normalizer());
  const auto a = screener.screen("朝鮮強盛貿易会社");
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a[0].entry->id, "1");
  const auto b = screener.screen("金策大学");
  ASSERT_FALSE(b.empty());
  EXPECT_EQ(b[0].entry->id, "2");
}

TEST(Screener, LicenseEngineHookReturnsEntityListEntriesWithPolicy) {
  TempDir empty;
  const auto screener = make_screener(empty.path());  // no snapshot: bundled lists
  const auto matches = entity_list_matches(*screener, "HUAWEI TECHNOLOGIES COMPANY LIMITED", "CN");
  ASSERT_FALSE(matches.empty());
  for (const auto& m : matches) {
    EXPECT_EQ(m.entry->source_code, "EL");
    EXPECT_GE(m.score, kDefaultThreshold);
  }
  EXPECT_EQ(matches[0].entry->name, "Huawei Technologies Co., Ltd.");
  EXPECT_EQ(matches[0].entry->federal_register_notice, "84 FR 22961");
  EXPECT_FALSE(matches[0].entry->license_policy.empty());
  EXPECT_FALSE(matches[0].detail.alignment.empty());
  // A Denied Persons or SDN hit is not an Entity List hit.
  EXPECT_TRUE(entity_list_matches(*screener, "BANCO NACIONAL DE CUBA").empty());
  EXPECT_FALSE(screener->screen("BANCO NACIONAL DE CUBA").empty());
}

TEST(Screener, CountryIsEvidenceNotAFilter) {
  Entry e = entry("EL", "1", "Moore Threads Intelligent Technology");
  e.countries = {"CN"};
  const Screener screener(snapshot_of({e}), bundled_normalizer());
  ScreenOptions cn, de;
  cn.country = "CN";
  de.country = "DE";
  cn.threshold = de.threshold = 0.0;
  const auto a = screener.screen("Moore Threads Technology", cn);
  const auto b = screener.screen("Moore Threads Technology", de);
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_GT(a[0].score, b[0].score);
}

TEST(Screener, BruteForceBaselineFindsExactName) {
  const Screener screener(snapshot_of({entry("EL", "1", "Sophgo"), entry("EL", "2", "Biren Technology")}),
                          bundled_normalizer());
  const auto m = brute_force_jaro_winkler(screener, "SOPHGO", 0.9);
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m[0].entry->id, "1");
}

// ---------------------------------------------------------------- diff, store, adjudication

TEST(Snapshots, DiffReportsAddedRemovedChanged) {
  ListSnapshot a, b;
  a.entries = {entry("EL", "1", "Alpha"), entry("EL", "2", "Beta")};
  b.entries = {entry("EL", "1", "Alpha"), entry("EL", "3", "Gamma")};
  b.entries[0].license_policy = "Presumption of denial";
  const auto d = diff_snapshots(a, b);
  ASSERT_EQ(d.size(), 3u);
  int added = 0, removed = 0, changed = 0;
  for (const auto& c : d) {
    if (!c.before)
      ++added;
    else if (!c.after)
      ++removed;
    else {
      ++changed;
      EXPECT_EQ(c.fields, std::vector<std::string>{"license_policy"});
    }
  }
  EXPECT_EQ(added, 1);
  EXPECT_EQ(removed, 1);
  EXPECT_EQ(changed, 1);
}

TEST(Snapshots, ImportIsAtomicAndABadFileNeverReplacesAGoodSnapshot) {
  TempDir dir;
  SnapshotStore store(dir.path());
  EXPECT_FALSE(store.current());
  const auto first = store.import_files({fixture("csl_2025.csv")});
  ASSERT_TRUE(store.current());
  EXPECT_EQ(*store.current(), first.version);
  const auto bad = dir.write("bad.csv", "source,name\nEL,Acme\nEL,Beta,oops\n");
  EXPECT_THROW(store.import_files({fixture("dpl.txt"), bad}), InputError);
  EXPECT_EQ(*store.current(), first.version);
  EXPECT_EQ(store.versions().size(), 1u);
  EXPECT_THROW(store.import_bytes("source,name\nEL,Acme\n", "x.csv", std::string(64, '0')), InputError);
  EXPECT_EQ(*store.current(), first.version);
  const auto second = store.import_files({fixture("csl_2025.csv"), fixture("dpl.txt")});
  EXPECT_NE(second.version, first.version);
  EXPECT_EQ(*store.current(), second.version);
  EXPECT_EQ(store.load(first.version).entries.size(), first.entries.size());
  EXPECT_EQ(store.current_or_bundled()->version, second.version);
}

TEST(Snapshots, FetchOverHttpFromALocalServer) {
  httplib::Server server;
  std::ifstream in(fixture("csl_2025.csv"), std::ios::binary);
  const std::string body((std::istreambuf_iterator<char>(in)), {});
  server.Get("/consolidated.csv",
             [&](const httplib::Request&, httplib::Response& res) { res.set_content(body, "text/csv"); });
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/consolidated.csv";
  const std::string got = http_get(url);
  EXPECT_THROW(http_get("http://127.0.0.1:" + std::to_string(port) + "/missing.csv"), InputError);
  server.stop();
  thread.join();
  EXPECT_EQ(got, body);
  TempDir dir;
  SnapshotStore store(dir.path());
  EXPECT_EQ(store.import_bytes(got, "consolidated.csv", sha256_hex(body)).entries.size(),
            load_list_file(fixture("csl_2025.csv")).size());
}

TEST(Adjudications, SuppressExactlyThePairUntilEitherSideChanges) {
  Entry e = entry("EL", "7", "Biren Technology");
  TempDir dir;
  const auto file =
      dir.write("adj.csv",
                "customer,entry,entry_fingerprint,decided_by,date,reason\n"
                "Biren Tech GmbH Munich,EL:7," +
                    e.fingerprint() + ",a.analyst,2026-11-29,different company (German distributor)\n");
  const auto adj = load_adjudications(file);
  EXPECT_TRUE(suppressed(adj, "Biren Tech GmbH Munich", e));
  EXPECT_FALSE(suppressed(adj, "Biren Tech GmbH", e));  // customer changed
  Entry changed = e;
  changed.alt_names.push_back("Shanghai Biren");
  EXPECT_FALSE(suppressed(adj, "Biren Tech GmbH Munich", changed));  // entry changed
  const auto bad =
      dir.write("bad.csv", "customer,entry,entry_fingerprint,decided_by,date,reason\nX,EL7,f,me,d,r\n");
  EXPECT_THROW(load_adjudications(bad), InputError);
}

// Inputs the list fuzzer once crashed on: each must now be a clean InputError.
TEST(ListParsing, FuzzRegressionsAreInputErrors) {
  int seen = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(EXPORTCTL_TEST_DATA) + "/fuzz-regressions")) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("screen-list-", 0) != 0) continue;
    ++seen;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string content((std::istreambuf_iterator<char>(in)), {});
    EXPECT_THROW(exportctl::screen::parse_list(content, name), exportctl::InputError) << name;
  }
  EXPECT_GT(seen, 0);
}

// The KAIST compilation writes countries in Korean; the codes come from
// data/vocab/korean_countries.yaml, and an unknown name is left out, not guessed.
TEST(ListParsing, KaistCountriesFromTheKoreanTable) {
  const std::string doc = R"([{"id": "k1", "name": {"english": "Example Semiconductor Co.", "native": ""},
    "source": {"list_id": "us-bis-entity-list", "list_name": "Entity List"},
    "countries": ["중국/홍콩", "어딘가"]}])";
  const auto entries = exportctl::screen::parse_list(doc, "kaist.json");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].source_code, "EL");
  EXPECT_EQ(entries[0].countries, (std::vector<std::string>{"CN", "HK"}));
}
