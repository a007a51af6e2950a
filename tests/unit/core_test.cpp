#include <gtest/gtest.h>

#include <sstream>

#include "core/csv.h"
#include "core/date.h"
#include "core/error.h"
#include "core/json.h"
#include "core/utf8.h"

using namespace exportctl;

TEST(Date, ParsesStrictIsoDates) {
  const auto d = Date::parse("2023-11-17");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->str(), "2023-11-17");
  EXPECT_EQ(d->year(), 2023);
  EXPECT_EQ(d->next_day().str(), "2023-11-18");
  EXPECT_EQ(Date::parse("2024-02-29")->next_day().str(), "2024-03-01");
}

TEST(Date, RejectsMalformedAndImpossibleDates) {
  for (const char* bad : {"", "2023-1-17", "2023/11/17", "2023-02-30", "2023-13-01", "20231117",
                          "2023-11-17x", "abcd-ef-gh", "2023-00-10"})
    EXPECT_FALSE(Date::parse(bad).has_value()) << bad;
}

TEST(Date, OrdersChronologically) {
  EXPECT_LT(*Date::parse("2022-10-21"), *Date::parse("2023-11-16"));
  EXPECT_EQ(Date::from_ymd(2022, 10, 1), *Date::parse("2022-10-01"));
}

TEST(Csv, ReadsQuotedFieldsWithCommasQuotesAndNewlines) {
  std::istringstream in("a,b,c\n1,\"x, y\",\"he said \"\"hi\"\"\"\n2,\"multi\nline\",z\n");
  CsvReader csv(in, "t.csv");
  std::vector<std::string> row;
  ASSERT_TRUE(csv.next(row));
  EXPECT_EQ(row[1], "x, y");
  EXPECT_EQ(row[2], "he said \"hi\"");
  EXPECT_EQ(csv.line(), 2);
  ASSERT_TRUE(csv.next(row));
  EXPECT_EQ(row[1], "multi\nline");
  EXPECT_EQ(csv.line(), 3);
  EXPECT_FALSE(csv.next(row));
}

TEST(Csv, NamesFileAndLineOfARaggedRow) {
  std::istringstream in("a,b\n1,2\n3\n");
  CsvReader csv(in, "t.csv");
  std::vector<std::string> row;
  ASSERT_TRUE(csv.next(row));
  try {
    csv.next(row);
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "t.csv:3");
  }
}

TEST(Csv, RejectsUnterminatedQuote) {
  std::istringstream in("a,b\n1,\"oops\n");
  CsvReader csv(in, "t.csv");
  std::vector<std::string> row;
  EXPECT_THROW(csv.next(row), InputError);
}

TEST(Csv, HandlesCrLfAndBom) {
  std::istringstream in("\xEF\xBB\xBFid,name\r\n1,x\r\n");
  CsvReader csv(in, "t.csv");
  EXPECT_TRUE(csv.column("id").has_value());
  std::vector<std::string> row;
  ASSERT_TRUE(csv.next(row));
  EXPECT_EQ(row[1], "x");
}

TEST(Csv, EscapesOnlyWhenNeeded) {
  EXPECT_EQ(csv_escape("plain"), "plain");
  EXPECT_EQ(csv_escape("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_escape("say \"x\""), "\"say \"\"x\"\"\"");
}

// Nesting deeper than the limit is refused before any recursive consumer
// sees it; syntax errors name the line.
TEST(Json, DepthLimitAndLinesInErrors) {
  const std::string deep = std::string(5000, '[') + std::string(5000, ']');
  try {
    exportctl::parse_json(deep, "deep.json");
    FAIL() << "accepted 5000 nested arrays";
  } catch (const exportctl::InputError& e) {
    EXPECT_EQ(e.where(), "deep.json");
    EXPECT_NE(e.message().find("nested more than 64"), std::string::npos) << e.what();
  }
  EXPECT_EQ(exportctl::parse_json(std::string(60, '[') + std::string(60, ']'), "ok.json").size(), 1u);
  try {
    exportctl::parse_json("{\n  \"a\": 1,\n  oops\n}", "broken.json");
    FAIL();
  } catch (const exportctl::InputError& e) {
    EXPECT_EQ(e.where(), "broken.json:3") << e.what();
  }
  EXPECT_THROW(exportctl::parse_json("[1e999999]", "big.json"), exportctl::InputError);
}

// dump_json writes the compact form itself (for speed); it must agree with
// nlohmann's serializer byte for byte on valid text, since audit hashes are
// over this form, and turn invalid UTF-8 into U+FFFD rather than throw.
TEST(Json, CompactDumpMatchesNlohmann) {
  const nlohmann::json value = exportctl::parse_json(
      R"({"z": [1, -2, 3.25, 1e300, 0.1, 15831.9999, 2.0, true, false, null, 18446744073709551615],
          "a": {"text": "tab\there \"quoted\" back\\slash / \u0001 \u001f \u007f caf\u00e9 \u534e\u4e3a \ud83d\ude00",
                "empty": {}, "none": [], "nested": [[[]], {"k": ""}]}})",
      "test");
  EXPECT_EQ(exportctl::dump_json(value), value.dump());
  EXPECT_EQ(exportctl::dump_json(value, 2), value.dump(2));
}

TEST(Json, CompactDumpReplacesInvalidUtf8) {
  for (const std::string bad :
       {"\xff", "a\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe4\xb8"}) {
    const std::string out = exportctl::dump_json(nlohmann::json(bad));
    EXPECT_TRUE(exportctl::is_valid_utf8(out)) << out;
    EXPECT_NE(out.find("\xEF\xBF\xBD"), std::string::npos) << out;
  }
}

TEST(Utf8, ValidityChecks) {
  EXPECT_TRUE(exportctl::is_valid_utf8("Huawei 华为 ✓"));
  EXPECT_TRUE(exportctl::is_valid_utf8(""));
  EXPECT_FALSE(exportctl::is_valid_utf8("\xe9\"a"));           // a Latin-1 byte (found by spec_fuzz)
  EXPECT_FALSE(exportctl::is_valid_utf8("\xc0\xaf"));          // overlong
  EXPECT_FALSE(exportctl::is_valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(exportctl::is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(exportctl::is_valid_utf8("\xe5\x8d"));          // truncated
}
