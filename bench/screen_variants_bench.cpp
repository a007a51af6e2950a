// Screening quality on the variants a user types by hand (issue 12), per
// variant kind, against a realistic index: the bundled lists plus the KAIST
// compilation of eight lists from ../shared (test input only, never shipped).
//
//   positives (recall at the default threshold: the source entry must alert)
//     descriptor_typo   one edit in a descriptor or legal-form word (Circut, Grop)
//     name_typo         one edit in a name word of six letters or more
//     joined / split    two name words run together, one long name word split
//     case_punctuation  upper case, punctuation dropped
//     chinese_name      the registered Chinese name from data/names, with the
//                       table held out of the index and with it; its pinyin
//   negatives (alerts per 100 names)
//     sibling           a listed unit with its number or city changed (a unit
//                       of the same parent that the index does not hold)
//     chinese_org       Chinese organisations from the compilation screened
//                       against the bundled lists only, where they share no
//                       name word with any bundled entry (alerts there are
//                       false); those that do share one are counted apart
//
// Variants are drawn with a fixed seed, so every run measures the same names.
// Usage: screen_variants_bench [SHARED_DIR]   (SCREEN_QUALITY_ERRORS=1 lists misses)

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "screen/normalize.h"
#include "screen/screen.h"

using namespace exportctl::screen;
namespace fs = std::filesystem;

namespace {

const bool kListErrors = std::getenv("SCREEN_QUALITY_ERRORS") != nullptr;
constexpr std::size_t kPerKind = 600;

struct Tally {
  int n = 0, hit = 0;
  std::vector<std::string> examples;
  void add(bool ok, const std::string& what) {
    ++n;
    hit += ok;
    if (!ok && (examples.size() < 6 || kListErrors)) examples.push_back(what);
  }
};

void report_recall(const char* kind, const Tally& t) {
  std::printf("  %-34s n=%4d  recall %.3f (%d missed)\n", kind, t.n, t.n ? double(t.hit) / t.n : 0.0,
              t.n - t.hit);
  for (const auto& e : t.examples) std::printf("      miss: %s\n", e.c_str());
}

void report_alerts(const char* kind, const Tally& t) {
  // For negatives `hit` counts the names that stayed quiet.
  const int alerts = t.n - t.hit;
  std::printf("  %-34s n=%4d  %.2f false alerts per 100 (%d)\n", kind, t.n, t.n ? 100.0 * alerts / t.n : 0.0,
              alerts);
  for (const auto& e : t.examples) std::printf("      alert: %s\n", e.c_str());
}

std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ' ') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::string join(const std::vector<std::string>& w) {
  std::string out;
  for (const auto& x : w) out += (out.empty() ? "" : " ") + x;
  return out;
}

bool ascii_letters(const std::string& s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
}

// The kind of one word alone (punctuation around it ignored), or nothing
// when it is not a single plain word.
std::optional<TokenKind> kind_of(const Normalizer& norm, const std::string& word) {
  if (!ascii_letters(word)) return std::nullopt;
  const auto n = norm.normalize(word);
  if (n.tokens.size() != 1) return std::nullopt;
  return n.tokens[0].kind;
}

std::string one_edit(const std::string& w, std::mt19937& rng) {
  std::string out = w;
  const std::size_t pos = 1 + rng() % (w.size() - 2);  // never the first letter
  switch (rng() % 3) {
    case 0:
      out.erase(pos, 1);
      break;
    case 1:
      std::swap(out[pos], out[pos + 1]);
      if (out == w) out.erase(pos, 1);  // a doubled letter: delete instead
      break;
    default: {
      const char* letters = "aeioulnrst";
      char c = letters[rng() % 10];
      if (std::tolower(static_cast<unsigned char>(out[pos])) == c) c = c == 'e' ? 'a' : 'e';
      out[pos] = std::isupper(static_cast<unsigned char>(out[pos])) ? static_cast<char>(std::toupper(c)) : c;
    }
  }
  return out;
}

std::string canonical(const Normalizer& norm, const std::string& s) {
  std::string out;
  for (const auto& t : norm.normalize(s).tokens) out += t.key + " ";
  return out;
}

// True when the screener alerts on `want` (or a record of the same
// organisation: linked, or a duplicate with the same name).
bool alerts_on(const Screener& s, const std::string& query, const Entry& want,
               const std::string& want_canonical) {
  for (const auto& m : s.screen(query)) {
    if (m.entry == &want || m.via == &want) return true;
    if (canonical(s.normalizer(), m.entry->name) == want_canonical) return true;
  }
  return false;
}

bool chinese(const Entry& e) {
  return std::find(e.countries.begin(), e.countries.end(), "CN") != e.countries.end() ||
         std::find(e.countries.begin(), e.countries.end(), "HK") != e.countries.end();
}

void positives(const Screener& s, const std::vector<const Entry*>& pool) {
  const Normalizer& norm = s.normalizer();
  std::mt19937 rng(12);
  Tally descriptor_typo, name_typo, joined, split, case_punct;
  for (const Entry* e : pool) {
    const std::vector<std::string> w = words(e->name);
    if (w.size() < 2) continue;
    const std::string want = canonical(norm, e->name);
    std::vector<std::size_t> vocab, names;
    for (std::size_t i = 0; i < w.size(); ++i) {
      std::string bare = w[i];
      bare.erase(std::remove_if(bare.begin(), bare.end(), [](char c) { return c == ',' || c == '.'; }),
                 bare.end());
      const auto k = kind_of(norm, bare);
      if (!k || bare.size() != w[i].size()) continue;
      if ((*k == TokenKind::Descriptor || *k == TokenKind::LegalForm) && bare.size() >= 5) vocab.push_back(i);
      if (*k == TokenKind::Name && bare.size() >= 6) names.push_back(i);
    }
    const auto variant = [&](Tally& t, std::vector<std::string> v) {
      if (t.n >= static_cast<int>(kPerKind)) return;
      const std::string q = join(v);
      if (canonical(norm, q) == want) return;  // the edit produced another spelling of the same words
      t.add(alerts_on(s, q, *e, want), q + "  (listed: " + e->name + ")");
    };
    if (!vocab.empty()) {
      auto v = w;
      auto& word = v[vocab[rng() % vocab.size()]];
      word = one_edit(word, rng);
      variant(descriptor_typo, v);
    }
    if (!names.empty()) {
      auto v = w;
      auto& word = v[names[rng() % names.size()]];
      word = one_edit(word, rng);
      variant(name_typo, v);
    }
    for (std::size_t i = 0; i + 1 < w.size(); ++i) {
      if (kind_of(norm, w[i]) != TokenKind::Name || kind_of(norm, w[i + 1]) != TokenKind::Name) continue;
      auto v = w;
      v[i] += v[i + 1];
      v.erase(v.begin() + static_cast<long>(i) + 1);
      variant(joined, v);
      break;
    }
    for (std::size_t i = 0; i < w.size(); ++i) {
      if (kind_of(norm, w[i]) != TokenKind::Name || w[i].size() < 8) continue;
      auto v = w;
      const std::size_t cut = w[i].size() / 2;
      v[i] = w[i].substr(0, cut);
      v.insert(v.begin() + static_cast<long>(i) + 1, w[i].substr(cut));
      variant(split, v);
      break;
    }
    {
      std::string q;
      for (char c : e->name)
        if (c != ',' && c != '.' && c != '(' && c != ')')
          q.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
      if (case_punct.n < static_cast<int>(kPerKind) && q != e->name)
        case_punct.add(alerts_on(s, q, *e, want), q + "  (listed: " + e->name + ")");
    }
  }
  report_recall("descriptor_typo", descriptor_typo);
  report_recall("name_typo", name_typo);
  report_recall("joined (two name words as one)", joined);
  report_recall("split (one name word as two)", split);
  report_recall("case_punctuation", case_punct);
}

// Pinyin of a Chinese name as a person would type it: one word per token,
// vocabulary words in their pinyin, capitalised (Zhongxin Guoji Jicheng Dianlu ...).
std::string pinyin_of(const Normalizer& norm, const std::string& zh) {
  std::string out;
  for (const auto& t : norm.normalize(zh).tokens) {
    std::string p = t.kind == TokenKind::Name ? t.key : Normalizer::han_pinyin(t.surface);
    if (p.empty()) continue;
    p[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(p[0])));
    out += (out.empty() ? "" : " ") + p;
  }
  return out;
}

void chinese_names(const Screener& with_table, const Screener& held_out) {
  Tally without, with, pinyin;
  for (const Entry& e : with_table.snapshot().entries)
    for (const auto& n : e.sourced_names) {
      // The entry in the held-out index at the same position.
      const Entry& bare =
          held_out.snapshot().entries[static_cast<std::size_t>(&e - &with_table.snapshot().entries[0])];
      const std::string want = canonical(with_table.normalizer(), e.name);
      without.add(alerts_on(held_out, n.name, bare, want), n.name + "  (listed: " + e.name + ")");
      with.add(alerts_on(with_table, n.name, e, want), n.name + "  (listed: " + e.name + ")");
      const std::string p = pinyin_of(with_table.normalizer(), n.name);
      pinyin.add(alerts_on(with_table, p, e, want), p + "  (listed: " + e.name + ")");
    }
  report_recall("chinese_name, table held out", without);
  report_recall("chinese_name, with the table", with);
  report_recall("chinese_name in pinyin, with the table", pinyin);
}

// The listed names (and aliases) of a screener's snapshot, normalised.
std::set<std::string> canonical_names(const Screener& s) {
  std::set<std::string> out;
  for (const auto& e : s.snapshot().entries) {
    out.insert(canonical(s.normalizer(), e.name));
    for (const auto& a : e.alt_names) out.insert(canonical(s.normalizer(), a));
  }
  return out;
}

void siblings(const Screener& s, const std::vector<const Entry*>& pool) {
  const Normalizer& norm = s.normalizer();
  const std::set<std::string> indexed = canonical_names(s);
  static const char* kCities[] = {"Changsha", "Hefei",    "Nanjing", "Kunming", "Lanzhou",
                                  "Guiyang",  "Nanchang", "Taiyuan", "Fuzhou",  "Xiamen",
                                  "Ningbo",   "Dalian",   "Harbin",  "Qingdao"};
  std::mt19937 rng(7);
  Tally number, city, subject;
  // Units of an academy or university told apart by their subject: the
  // subject word swapped for another field's (a unit the index does not hold).
  static const char* kSubjects[] = {"Botany",     "Zoology",     "Geology",      "Oceanology",
                                    "Psychology", "Linguistics", "Hydrobiology", "Paleontology",
                                    "Limnology",  "Entomology"};
  for (const Entry* e : pool) {
    const std::vector<std::string> w = words(e->name);
    const std::string want = canonical(norm, e->name);
    for (std::size_t i = 0; i < w.size() && number.n < static_cast<int>(kPerKind); ++i) {
      std::string digits;
      for (char c : w[i])
        if (std::isdigit(static_cast<unsigned char>(c))) digits.push_back(c);
      if (digits.empty() || digits.size() > 4) continue;
      std::string replaced = w[i];
      replaced.replace(replaced.find(digits), digits.size(), std::to_string(std::stoi(digits) + 7));
      auto v = w;
      v[i] = replaced;
      const std::string q = join(v);
      if (indexed.count(canonical(norm, q))) break;
      number.add(!alerts_on(s, q, *e, want), q + "  (listed: " + e->name + ")");
      break;
    }
    const bool academic = e->name.find("Academy") != std::string::npos ||
                          e->name.find("Institute") != std::string::npos ||
                          e->name.find("University") != std::string::npos;
    // The subject is the word after "Institute of", "University of",
    // "Academy of" in a short name (Institute of Semiconductors, Chinese
    // Academy of Sciences); long names are lists of affiliates.
    for (std::size_t i = 1;
         i < w.size() && subject.n < static_cast<int>(kPerKind) && academic && w.size() <= 8; ++i) {
      if (w[i - 1] != "of" || i < 2 ||
          (w[i - 2] != "Institute" && w[i - 2] != "University" && w[i - 2] != "Academy"))
        continue;
      const auto k = kind_of(norm, w[i]);
      if ((k != TokenKind::Name && k != TokenKind::Descriptor) || w[i].size() < 5) continue;
      auto v = w;
      v[i] = kSubjects[rng() % std::size(kSubjects)];
      const std::string q = join(v);
      if (indexed.count(canonical(norm, q))) break;
      subject.add(!alerts_on(s, q, *e, want), q + "  (listed: " + e->name + ")");
      break;
    }
    // A city tells units apart only where nothing else does (National
    // Supercomputing Center Jinan / Changsha); a company's registration city
    // is not its name (Shenzhen Huawei Technologies is Huawei).
    bool has_name = false;
    for (const auto& t : norm.normalize(e->name).tokens) has_name = has_name || t.kind == TokenKind::Name;
    for (std::size_t i = 0; i < w.size() && city.n < static_cast<int>(kPerKind) && !has_name; ++i) {
      if (kind_of(norm, w[i]) != TokenKind::Place || w[i] == "China") continue;  // cities, not the country
      auto v = w;
      v[i] = kCities[rng() % std::size(kCities)];
      const std::string q = join(v);
      if (canonical(norm, q) == want || indexed.count(canonical(norm, q))) break;
      city.add(!alerts_on(s, q, *e, want), q + "  (listed: " + e->name + ")");
      break;
    }
  }
  report_alerts("sibling: another number", number);
  report_alerts("sibling: another city (generic names)", city);
  report_alerts("sibling: another subject", subject);
}

void chinese_orgs(const Screener& bundled, const std::vector<const Entry*>& compiled) {
  const Normalizer& norm = bundled.normalizer();
  std::set<std::string> bundled_names;
  for (const auto& e : bundled.snapshot().entries) {
    std::vector<std::string> texts{e.name};
    texts.insert(texts.end(), e.alt_names.begin(), e.alt_names.end());
    for (const auto& n : e.sourced_names) texts.push_back(n.name);
    for (const auto& t : texts)
      for (const auto& tok : norm.normalize(t).tokens)
        if (tok.kind == TokenKind::Name) bundled_names.insert(tok.key);
  }
  const std::set<std::string> bundled_canonical = canonical_names(bundled);
  Tally unrelated;
  int related = 0, related_alerts = 0, same = 0;
  std::set<std::string> seen;
  for (const Entry* e : compiled) {
    if (!seen.insert(e->name).second) continue;
    if (bundled_canonical.count(canonical(norm, e->name))) {
      ++same;  // the same body on both lists (National Supercomputing Center Jinan)
      continue;
    }
    bool shares = false;
    for (const auto& tok : norm.normalize(e->name).tokens)
      shares = shares || (tok.kind == TokenKind::Name && bundled_names.count(tok.key));
    auto m = bundled.screen(e->name);
    // An alert on a listed name whose words the query all contains is the
    // listed body or a unit of it (SMIC (Beijing)): for review, not false.
    if (!m.empty() && !shares) {
      std::set<std::string> query_words;
      for (const auto& tok : norm.normalize(e->name).tokens) query_words.insert(tok.key);
      bool contained = true;
      for (const auto& tok : norm.normalize(m[0].entry->name).tokens)
        if (tok.kind != TokenKind::LegalForm && tok.kind != TokenKind::Stopword)
          contained = contained && query_words.count(tok.key);
      shares = contained;
    }
    if (shares) {
      ++related;
      related_alerts += !m.empty();
      continue;
    }
    unrelated.add(m.empty(), m.empty() ? "" : e->name + " -> " + m[0].entry->name);
  }
  report_alerts("chinese_org (no shared name word)", unrelated);
  std::printf("  %-34s n=%4d  (written alike in the bundled lists: the same body, not counted)\n",
              "chinese_org also bundled", same);
  std::printf(
      "  %-34s n=%4d  %d alert (a bundled entry's brand or whole name in theirs: a unit or affiliate, for "
      "review)\n",
      "chinese_org related to a bundled one", related, related_alerts);
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path shared = argc > 1 ? fs::path(argv[1]) : fs::path(EXPORTCTL_SOURCE_ROOT) / ".." / "shared";
  const fs::path kaist = shared / "screening" / "lists" / "kaist_restricted_parties_2026-08.json";
  if (!fs::exists(kaist)) {
    std::printf("screen_variants_bench: %s not found; nothing to measure (skipped)\n",
                kaist.string().c_str());
    return 0;
  }
  const auto start = std::chrono::steady_clock::now();
  const auto norm = bundled_normalizer();
  const std::vector<Entry> compiled = load_list_file(kaist);

  // Bundled lists (with the bilingual table) plus the compilation.
  auto combined = std::make_shared<ListSnapshot>(*bundled_snapshot());
  combined->entries.insert(combined->entries.end(), compiled.begin(), compiled.end());
  for (auto& e : combined->entries) e.linked.clear();
  link_entries(combined->entries, *norm);
  auto held_out = std::make_shared<ListSnapshot>(*combined);
  for (auto& e : held_out->entries) e.sourced_names.clear();
  const Screener big(combined, norm), big_held_out(held_out, norm);
  const Screener bundled(bundled_snapshot(), norm);

  std::vector<const Entry*> pool;
  for (const auto& e : combined->entries)
    if ((e.source_code == "EL" || chinese(e)) && e.type != "Individual") pool.push_back(&e);
  std::mt19937 rng(12);
  std::shuffle(pool.begin(), pool.end(), rng);
  std::vector<const Entry*> compiled_chinese;
  for (const auto& e : compiled)
    if (chinese(e)) compiled_chinese.push_back(&e);

  std::printf(
      "Variants of listed names (%zu Entity List and Chinese records; index: bundled lists + KAIST "
      "compilation, %zu names), recall at %.2f:\n",
      pool.size(), big.indexed_names(), kDefaultThreshold);
  positives(big, pool);
  chinese_names(big, big_held_out);
  std::printf("\nNames that must not alert:\n");
  siblings(big, pool);
  chinese_orgs(bundled, compiled_chinese);
  std::printf("\n(total %.1f s)\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return 0;
}
