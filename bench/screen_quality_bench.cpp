// Screening quality, side by side with the peers, on the reference data in
// ../shared/screening (read only when present; skipped cleanly otherwise):
//   1. OpenSanctions name_bench (826 labelled pairs): F1 overall and on
//      companies/organisations at the default threshold, next to logic-v2's
//      committed (frozen) scores at its default 0.70.
//   2. The 197 English-CJK pairs: a CJK query must retrieve its English entry
//      from the 37,917-name CSL+METI list (CJK parentheses removed).
//   3. False alerts per 1,000 of the 2 x 50,000 synthetic negatives against
//      the bundled lists.
// Usage: screen_quality_bench [SHARED_DIR]   (default: <source>/../shared)

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "core/csv.h"
#include "screen/normalize.h"
#include "screen/screen.h"

namespace fs = std::filesystem;
using namespace exportctl;
using namespace exportctl::screen;

namespace {

struct Counts {
  int tp = 0, fp = 0, fn = 0, tn = 0;
  void add(bool predicted, bool actual) {
    if (predicted && actual)
      ++tp;
    else if (predicted)
      ++fp;
    else if (actual)
      ++fn;
    else
      ++tn;
  }
  double precision() const { return tp + fp ? static_cast<double>(tp) / (tp + fp) : 0; }
  double recall() const { return tp + fn ? static_cast<double>(tp) / (tp + fn) : 0; }
  double f1() const {
    const double p = precision(), r = recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
  int n() const { return tp + fp + fn + tn; }
};

void print(const char* label, const Counts& c) {
  std::printf("  %-44s n=%4d  P %.3f  R %.3f  F1 %.3f\n", label, c.n(), c.precision(), c.recall(), c.f1());
}

bool is_org(const std::string& schema) {
  return schema == "Company" || schema == "Organization" || schema == "LegalEntity";
}

std::string key_of(const std::string& case_group, const std::string& n1, const std::string& n2) {
  return case_group + "\x1f" + n1 + "\x1f" + n2;
}

void name_bench(const fs::path& dir, const Screener& screener) {
  const fs::path cases = dir / "nomenklatura" / "name_bench_cases.csv";
  const fs::path frozen = dir / "nomenklatura" / "name_bench_logicv2_frozen_scores.csv";
  if (!fs::exists(cases) || !fs::exists(frozen)) {
    std::printf("name_bench: skipped (%s not found)\n", cases.string().c_str());
    return;
  }
  std::map<std::string, double> logic;
  {
    std::ifstream in(frozen);
    CsvReader r(in, frozen.string());
    const auto g = r.require_column("case_group"), a = r.require_column("name1"),
               b = r.require_column("name2"), s = r.require_column("score");
    std::vector<std::string> f;
    while (r.next(f)) logic[key_of(f[g], f[a], f[b])] = std::stod(f[s]);
  }
  std::ifstream in(cases);
  CsvReader r(in, cases.string());
  const auto g = r.require_column("case_group"), sc = r.require_column("schema"),
             a = r.require_column("name1"), b = r.require_column("name2"), m = r.require_column("is_match"),
             q = r.require_column("quality");
  Counts ours_all, ours_org, ours_all_812, ours_org_812, lv2_all, lv2_org, strong, org_same_numbers;
  // Pairs whose names carry different numbers (Fund VII / Fund VIII): issue 4
  // requires numbers to agree, so these are reported apart as well.
  const auto numbers = [&](const std::string& name) {
    std::set<std::string> out;
    for (const auto& t : screener.normalizer().normalize(name).tokens)
      if (t.kind == TokenKind::Number) out.insert(t.key);
    return out;
  };
  std::vector<std::string> f;
  std::vector<std::tuple<double, bool, bool>> sweep;
  int saturated = 0;
  while (r.next(f)) {
    const bool match = f[m] == "true";
    const double s = screener.score_pair(f[a], f[b]).score;
    saturated += s >= 0.9999;
    const bool predicted = s >= kDefaultThreshold;
    if (std::getenv("SCREEN_QUALITY_ERRORS") && predicted != match)
      std::printf("  %s %.3f %s | %s | %s\n", match ? "FN" : "FP", s, f[sc].c_str(), f[a].c_str(),
                  f[b].c_str());
    ours_all.add(predicted, match);
    if (is_org(f[sc])) ours_org.add(predicted, match);
    if (is_org(f[sc]) && numbers(f[a]) == numbers(f[b])) org_same_numbers.add(predicted, match);
    if (f[q] == "STRONG") strong.add(predicted, match);
    sweep.emplace_back(s, match, is_org(f[sc]));
    if (auto it = logic.find(key_of(f[g], f[a], f[b])); it != logic.end()) {
      lv2_all.add(it->second >= 0.70, match);
      ours_all_812.add(predicted, match);
      if (is_org(f[sc])) {
        lv2_org.add(it->second >= 0.70, match);
        ours_org_812.add(predicted, match);
      }
    }
  }
  std::printf("name_bench (OpenSanctions, %d pairs), exportctl at its default threshold %.2f:\n",
              ours_all.n(), kDefaultThreshold);
  print("exportctl, all pairs", ours_all);
  print("exportctl, companies/organisations", ours_org);
  print("exportctl, companies/orgs with agreeing numbers", org_same_numbers);
  print("exportctl, STRONG-quality pairs", strong);
  std::printf("  pairs scored exactly 1.0: %d of %d\n", saturated, ours_all.n());
  std::printf("same pairs as logic-v2's frozen run (%d):\n", lv2_all.n());
  print("exportctl @0.80, all", ours_all_812);
  print("logic-v2 @0.70 (frozen scores), all", lv2_all);
  print("exportctl @0.80, companies/organisations", ours_org_812);
  print("logic-v2 @0.70 (frozen scores), companies/orgs", lv2_org);
  std::printf("  threshold sweep (information only; the default is fixed at %.2f):\n", kDefaultThreshold);
  for (double t = 0.60; t < 0.951; t += 0.05) {
    Counts all, org;
    for (const auto& [s, match, org_row] : sweep) {
      all.add(s >= t, match);
      if (org_row) org.add(s >= t, match);
    }
    std::printf("    %.2f  F1 all %.3f  F1 orgs %.3f\n", t, all.f1(), org.f1());
  }
}

// Removes parenthesised parts that contain non-ASCII text (the CJK renderings).
std::string strip_cjk_parentheses(const std::string& name) {
  // The list writes "English (漢字)" with ASCII or full-width parentheses;
  // both are held out, or the query would find its own characters.
  static const std::string open_wide = "\xEF\xBC\x88", close_wide = "\xEF\xBC\x89";  // （ ）
  std::string out;
  std::size_t i = 0;
  while (i < name.size()) {
    const bool ascii_open = name[i] == '(';
    const bool wide_open = name.compare(i, open_wide.size(), open_wide) == 0;
    if (ascii_open || wide_open) {
      const std::size_t from = i + (ascii_open ? 1 : open_wide.size());
      std::size_t close = std::string::npos, after = 0;
      const auto a = name.find(')', from), w = name.find(close_wide, from);
      if (a != std::string::npos && (w == std::string::npos || a < w)) {
        close = a;
        after = a + 1;
      } else if (w != std::string::npos) {
        close = w;
        after = w + close_wide.size();
      }
      if (close != std::string::npos) {
        const std::string inside = name.substr(from, close - from);
        const bool non_ascii = std::any_of(inside.begin(), inside.end(),
                                           [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
        if (non_ascii) {
          i = after;
          continue;
        }
      }
    }
    out.push_back(name[i++]);
  }
  return out;
}

std::shared_ptr<ListSnapshot> names_snapshot(const fs::path& file) {
  auto snap = std::make_shared<ListSnapshot>();
  snap->version = "fmatch-csl-meti-2022-12";
  std::ifstream in(file);
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() >= 3 && line.substr(0, 3) == "\xEF\xBB\xBF") line = line.substr(3);
    if (line.size() >= 2 && line.front() == '"' && line.back() == '"') line = line.substr(1, line.size() - 2);
    Entry e;
    e.source = "CSL+METI names (fmatch, 2022-12)";
    e.source_code = "NAMES";
    e.id = std::to_string(++n);
    e.name = strip_cjk_parentheses(line);
    if (!e.name.empty()) snap->entries.push_back(std::move(e));
  }
  return snap;
}

std::string canonical(const Normalizer& norm, const std::string& s) {
  std::string out;
  for (const auto& t : norm.normalize(s).tokens) out += t.key + " ";
  return out;
}

void cjk_pairs(const fs::path& dir) {
  const fs::path pairs = dir / "fmatch" / "derived_en_cjk_pairs.csv";
  const fs::path names = dir / "fmatch" / "csl_meti_names_2022-12.csv";
  if (!fs::exists(pairs) || !fs::exists(names)) {
    std::printf("CJK pairs: skipped (%s not found)\n", pairs.string().c_str());
    return;
  }
  const auto norm = bundled_normalizer();
  const Screener screener(names_snapshot(names), norm);
  std::ifstream in(pairs);
  CsvReader r(in, pairs.string());
  const auto en = r.require_column("english_name"), cjk = r.require_column("cjk_name");
  std::vector<std::string> f;
  int total = 0, found = 0, top1 = 0, any_rank = 0;
  int cn_total = 0, cn_found = 0;
  std::vector<std::string> misses;
  while (r.next(f)) {
    ++total;
    const std::string want = canonical(*norm, strip_cjk_parentheses(f[en]));
    // Chinese-entity rows (PRC companies and institutes) versus North Korean
    // names written in Japanese kanji, which need translation, not pinyin.
    const std::string& q = f[cjk];
    const bool korean_or_japanese = q.find("朝鮮") != std::string::npos ||
                                    q.find("会社") != std::string::npos ||
                                    q.find("平壌") != std::string::npos || q.find("総") != std::string::npos;
    const bool chinese = !korean_or_japanese;
    cn_total += chinese;
    ScreenOptions options;
    options.limit = 50;
    options.threshold = 0.0;
    const auto all = screener.screen(q, options);
    bool hit = false, first = false, ranked = false;
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (canonical(*norm, all[i].entry->name) != want) continue;
      ranked = true;
      if (i == 0) first = true;
      if (all[i].score >= kDefaultThreshold) hit = true;
    }
    found += hit;
    top1 += first;
    any_rank += ranked;
    if (chinese) cn_found += hit;
    if (!hit && misses.size() < 12) misses.push_back(q + " -> " + f[en]);
    if (std::getenv("SCREEN_QUALITY_ERRORS") && !all.empty())
      std::printf("  CJK %s | want [%s] | top [%s] %.3f\n", q.c_str(), want.c_str(),
                  canonical(*norm, all[0].entry->name).c_str(), all[0].score);
  }
  std::printf("English-CJK pairs (fmatch, %d pairs) against %zu names:\n", total, screener.indexed_names());
  std::printf("  recall at the default threshold %.2f: %.3f (%d/%d)\n", kDefaultThreshold,
              static_cast<double>(found) / total, found, total);
  std::printf("  ranked first (any score): %.3f; retrieved in the top 50: %.3f\n",
              static_cast<double>(top1) / total, static_cast<double>(any_rank) / total);
  std::printf(
      "  Chinese-entity rows: recall %.3f (%d/%d); North Korean / Japanese-kanji rows: %.3f (%d/%d)\n",
      cn_total ? static_cast<double>(cn_found) / cn_total : 0.0, cn_found, cn_total,
      total - cn_total ? static_cast<double>(found - cn_found) / (total - cn_total) : 0.0, found - cn_found,
      total - cn_total);
  std::printf("  examples of misses:\n");
  for (const auto& m : misses) std::printf("    %s\n", m.c_str());
}

void negatives(const fs::path& dir, const Screener& screener) {
  for (const char* file : {"negatives_global.csv", "negatives_us.csv"}) {
    const fs::path p = dir / "yente" / file;
    if (!fs::exists(p)) {
      std::printf("negatives: skipped (%s not found)\n", p.string().c_str());
      continue;
    }
    std::ifstream in(p);
    CsvReader r(in, p.string());
    const auto col = r.require_column("full_name");
    std::vector<std::string> f;
    int n = 0, alerted = 0, invalid = 0;
    std::map<std::string, int> by_source;
    while (r.next(f)) {
      ++n;
      try {
        const auto m = screener.screen(f[col]);
        if (!m.empty()) {
          ++alerted;
          ++by_source[m[0].entry->source_code];
        }
      } catch (const std::exception&) {
        ++invalid;
      }
    }
    std::printf(
        "false alerts, %s (%d synthetic non-listed persons) vs bundled lists (%zu names): %d alerted = "
        "%.2f per 1,000 at %.2f",
        file, n, screener.indexed_names(), alerted, 1000.0 * alerted / n, kDefaultThreshold);
    for (const auto& [s, c] : by_source) std::printf(" [%s %d]", s.c_str(), c);
    std::printf("%s\n", invalid ? (" (" + std::to_string(invalid) + " invalid names)").c_str() : "");
  }
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path shared = argc > 1 ? fs::path(argv[1]) : fs::path(EXPORTCTL_SOURCE_ROOT) / ".." / "shared";
  const fs::path dir = shared / "screening" / "data";
  if (!fs::is_directory(dir)) {
    std::printf("screen_quality_bench: %s not found; nothing to measure (skipped)\n", dir.string().c_str());
    return 0;
  }
  const auto start = std::chrono::steady_clock::now();
  const Screener bundled(bundled_snapshot(), bundled_normalizer());
  name_bench(dir, bundled);
  std::printf("\n");
  cjk_pairs(dir);
  std::printf("\n");
  negatives(dir, bundled);
  std::printf("\n(total %.1f s)\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return 0;
}
