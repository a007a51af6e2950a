// List loaders: each government layout mapped onto Entry. Quirks handled here
// are the ones seen in the real files (docs/SCREENING.md lists them).

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>

#include "core/csv.h"
#include "core/error.h"
#include "core/json.h"
#include "screen/list_formats.h"
#include "screen/names.h"
#include "screen/normalize.h"
#include "screen/screen.h"

namespace exportctl::screen {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace formats;

namespace {

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw InputError(p.string(), "cannot read the file");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string first_line(std::string_view content) {
  const auto nl = content.find('\n');
  return std::string(content.substr(0, nl));
}

std::vector<Entry> parse_json_list(std::string_view content, const std::string& name, SourceFile* info,
                                   const json* zh) {
  const json doc = parse_json(content, name);
  if (doc.is_object() && doc.contains("entries") && doc["entries"].is_array()) {
    if (info) info->format = "el-academic-json";
    return parse_el_academic(doc, name, zh);
  }
  const json* records = &doc;
  if (doc.is_object() && doc.contains("results")) records = &doc["results"];
  if (!records->is_array())
    throw InputError(name, "expected a JSON array of records or {\"results\": [...]}");
  if (!records->empty() && (*records)[0].is_object() && (*records)[0].contains("name") &&
      (*records)[0]["name"].is_object()) {
    if (info) info->format = "kaist-json";
    return parse_kaist(*records, name);
  }
  if (info) info->format = "csl-json";
  return parse_csl_json(*records, name);
}

std::vector<Entry> parse_with_siblings(std::string_view content, const std::string& name, SourceFile* info,
                                       const fs::path* path) {
  std::string_view body = content;
  if (body.size() >= 3 && body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  std::size_t start = 0;
  while (start < body.size() &&
         (body[start] == ' ' || body[start] == '\n' || body[start] == '\r' || body[start] == '\t'))
    ++start;
  if (start == body.size()) throw InputError(name, "the file is empty");
  const std::string head = first_line(body.substr(start));
  if (body[start] == '{' || body[start] == '[') {
    json zh;
    const json* zh_ptr = nullptr;
    if (path) {
      const fs::path sibling = path->parent_path() / (path->stem().string() + "_zh.json");
      if (fs::exists(sibling)) {
        zh = parse_json(read_all(sibling), sibling.string());
        zh_ptr = &zh;
      }
    }
    return parse_json_list(body, name, info, zh_ptr);
  }
  if (head.find('\t') != std::string::npos && head.find("Name") != std::string::npos) {
    if (info) info->format = "bis-dpl";
    return parse_dpl(body, name);
  }
  if (!head.empty() && std::isdigit(static_cast<unsigned char>(head[0]))) {
    // OFAC's alt.csv (5 fields) and add.csv (6) are read with their sdn.csv.
    if (const auto fields = std::count(head.begin(), head.end(), ',') + 1; fields == 5 || fields == 6)
      throw InputError(location(name, 1), "this looks like OFAC's alt.csv or add.csv (" +
                                              std::to_string(fields) +
                                              " fields); import the sdn.csv beside it, which reads both");
    if (info) info->format = "ofac-sdn";
    std::string alt, add, alt_name, add_name;
    if (path) {
      const std::string file = path->filename().string();
      for (auto [kind, text, label] :
           {std::tuple{"alt", &alt, &alt_name}, std::tuple{"add", &add, &add_name}}) {
        std::string sibling = file;
        if (const auto pos = lower(sibling).find("sdn"); pos != std::string::npos) {
          sibling.replace(pos, 3, kind);
          const fs::path p = path->parent_path() / sibling;
          if (fs::exists(p)) {
            *text = read_all(p);
            *label = p.string();
          }
        }
      }
    }
    return parse_ofac(body, name, alt, alt_name, add, add_name);
  }
  if (lower(head).find("name") != std::string::npos && lower(head).find("source") != std::string::npos) {
    if (info) info->format = "csl-csv";
    return parse_csl_csv(body, name);
  }
  throw InputError(location(name, 1),
                   "unrecognised list layout (expected a CSL CSV header with 'source' and 'name', CSL JSON, "
                   "OFAC sdn.csv, or the BIS Denied Persons tab-separated file)");
}

}  // namespace

std::vector<Entry> parse_list(std::string_view content, const std::string& name, SourceFile* info) {
  if (info) {
    info->file = name;
    info->sha256 = sha256_hex(content);
  }
  auto entries = parse_with_siblings(content, name, info, nullptr);
  if (info) info->rows = entries.size();
  return entries;
}

std::vector<Entry> load_list_file(const fs::path& file, SourceFile* info) {
  const std::string content = read_all(file);
  if (info) {
    info->file = file.filename().string();
    info->sha256 = sha256_hex(content);
  }
  auto entries = parse_with_siblings(content, file.string(), info, &file);
  if (info) info->rows = entries.size();
  return entries;
}

const Entry* ListSnapshot::find(std::string_view key) const {
  for (const auto& e : entries)
    if (e.key() == key) return &e;
  return nullptr;
}

std::string Entry::fingerprint() const {
  std::string s = source_code + "\n" + id + "\n" + name + "\n";
  for (const auto& a : alt_names) s += a + ";";
  s += "\n" + federal_register_notice + "\n" + license_requirement + "\n" + license_policy + "\n";
  for (const auto& c : countries) s += c + ";";
  return sha256_hex(s).substr(0, 12);
}

ListSnapshot build_snapshot(const std::vector<fs::path>& files, const std::string& version_label) {
  ListSnapshot snap;
  std::string hashes;
  for (const auto& f : files) {
    SourceFile info;
    auto entries = load_list_file(f, &info);
    hashes += info.sha256;
    snap.files.push_back(info);
    for (auto& e : entries) snap.entries.push_back(std::move(e));
  }
  // Ids must be unique within a snapshot; the KAIST file repeats some rows.
  std::map<std::string, int> seen;
  for (auto& e : snap.entries)
    if (int n = seen[e.key()]++; n > 0) e.id += "#" + std::to_string(n + 1);
  link_entries(snap.entries, *bundled_normalizer());
  // The bilingual table is part of what is screened: it is listed among the
  // snapshot's files and its hash is part of the version.
  const fs::path table = bundled_names_dir() / "chinese_names.csv";
  if (fs::exists(table)) {
    const auto rows = load_name_table(table);
    SourceFile info{table.filename().string(), "name-table", sha256_hex(read_all(table)), rows.size()};
    hashes += info.sha256;
    snap.files.push_back(info);
    apply_name_table(snap.entries, rows, *bundled_normalizer());
  }
  snap.version = version_label + "-" + sha256_hex(hashes).substr(0, 12);
  return snap;
}

void link_entries(std::vector<Entry>& entries, const Normalizer& normalizer) {
  // Union-find over entries sharing a name key: the distinctive tokens
  // (names, numbers, descriptors) in order, places and legal forms dropped,
  // so "Shenzhen Huawei Technologies" and "Huawei Technologies Co., Ltd." meet.
  std::vector<std::size_t> parent(entries.size());
  std::iota(parent.begin(), parent.end(), 0);
  const auto find = [&](std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  std::map<std::string, std::size_t> first;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    std::vector<std::string> names{entries[i].name};
    names.insert(names.end(), entries[i].alt_names.begin(), entries[i].alt_names.end());
    for (const auto& n : names) {
      const auto norm = normalizer.normalize(n);
      std::string key;
      std::size_t name_chars = 0, key_tokens = 0;
      for (const auto& t : norm.tokens) {
        if (t.kind == TokenKind::Name) name_chars += t.key.size();
        if (t.kind == TokenKind::Name || t.kind == TokenKind::Number || t.kind == TokenKind::Descriptor ||
            t.kind == TokenKind::Initial) {
          key += t.key + " ";
          ++key_tokens;
        }
      }
      // Short keys (acronyms, a brand alone such as "Huawei", shared by a
      // group's parent and affiliates) would link different bodies.
      if (name_chars < 6 || key_tokens < 2) continue;
      auto [it, inserted] = first.emplace(key, i);
      if (!inserted) {
        const std::size_t a = find(i), b = find(it->second);
        if (a != b) parent[a] = b;
      }
    }
  }
  std::map<std::size_t, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < entries.size(); ++i) groups[find(i)].push_back(i);
  for (auto& [root, members] : groups) {
    if (members.size() < 2 || members.size() > 50)
      continue;  // a huge group is a key collision, not a company
    for (std::size_t m : members)
      for (std::size_t o : members)
        if (o != m && entries[o].source_code != entries[m].source_code) entries[m].linked.push_back(o);
  }
}

}  // namespace exportctl::screen
