// I/O edge: the snapshot store on disk, downloads, hashing, the bundled lists.

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <map>
#include <random>
#include <set>

#include "core/date.h"
#include "core/files.h"
#include "core/json.h"
#include "core/error.h"
#include "screen/normalize.h"
#include "screen/screen.h"

#ifndef EXPORTCTL_SOURCE_ROOT
#define EXPORTCTL_SOURCE_ROOT "."
#endif

namespace exportctl::screen {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path find_bundled(const char* env_name, const std::string& sub) {
  if (const char* env = std::getenv(env_name); env && *env) return env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "exportctl" / "data" / sub;
    if (fs::is_directory(installed, ec)) return installed;
  }
  return fs::path(EXPORTCTL_SOURCE_ROOT) / "data" / sub;
}

bool is_list_file(const fs::path& p) {
  const std::string name = p.filename().string();
  const std::string ext = p.extension().string();
  if (name.empty() || name[0] == '.' || name == "manifest.json") return false;
  // OFAC's alt/add files and Chinese-name siblings are read with their main file.
  if (name.find("_zh.json") != std::string::npos) return false;
  std::string lower = name;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if ((lower.find("alt") != std::string::npos || lower.find("add") != std::string::npos) &&
      lower.find("ofac") != std::string::npos && lower.find("sdn") == std::string::npos)
    return false;
  if (lower == "alt.csv" || lower == "add.csv") return false;
  return ext == ".csv" || ext == ".json" || ext == ".txt" || ext == ".tsv";
}

std::vector<fs::path> list_files_in(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && is_list_file(e.path())) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

void write_file(const fs::path& p, std::string_view content) {
  std::ofstream out(p, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) throw InputError(p.string(), "cannot write the file");
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string random_suffix() {
  std::random_device rd;
  return std::to_string(rd()) + std::to_string(rd());
}

}  // namespace

fs::path bundled_lists_dir() {
  return find_bundled("EXPORTCTL_LISTS", "lists");
}
fs::path bundled_vocab_dir() {
  return find_bundled("EXPORTCTL_VOCAB", "vocab");
}
fs::path bundled_names_dir() {
  return find_bundled("EXPORTCTL_NAMES", "names");
}

std::shared_ptr<const ListSnapshot> bundled_snapshot() {
  static std::mutex mutex;
  static std::shared_ptr<const ListSnapshot> instance;
  std::lock_guard lock(mutex);
  if (!instance) {
    auto snap = std::make_shared<ListSnapshot>(build_snapshot(list_files_in(bundled_lists_dir()), "bundled"));
    snap->created = "bundled";
    instance = snap;
  }
  return instance;
}

// ---------------------------------------------------------------- store

SnapshotStore::SnapshotStore(fs::path data_dir) : dir_(std::move(data_dir)) {}

fs::path SnapshotStore::default_dir() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return fs::path(xdg) / "exportctl";
  if (const char* home = std::getenv("HOME"); home && *home)
    return fs::path(home) / ".local" / "share" / "exportctl";
  return fs::current_path() / ".exportctl";
}

std::optional<std::string> SnapshotStore::current() const {
  const fs::path p = dir_ / "lists" / "CURRENT";
  if (!fs::exists(p)) return std::nullopt;
  std::string v = read_text(p);
  while (!v.empty() && (v.back() == '\n' || v.back() == ' ')) v.pop_back();
  if (v.empty() || !fs::is_directory(dir_ / "lists" / v)) return std::nullopt;
  return v;
}

std::vector<std::string> SnapshotStore::versions() const {
  std::vector<std::string> out;
  const fs::path lists = dir_ / "lists";
  if (!fs::is_directory(lists)) return out;
  for (const auto& e : fs::directory_iterator(lists))
    if (e.is_directory() && fs::exists(e.path() / "manifest.json") && e.path().filename().string()[0] != '.')
      out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

ListSnapshot SnapshotStore::commit(const fs::path& staging) {
  // Parse everything first: a bad file throws here and nothing changes.
  ListSnapshot snap = build_snapshot(list_files_in(staging), Date::today().str());
  snap.created = Date::today().str();
  json manifest{{"version", snap.version}, {"created", snap.created}, {"entries", snap.entries.size()}};
  json files = json::array();
  for (const auto& f : snap.files)
    files.push_back({{"file", f.file}, {"format", f.format}, {"sha256", f.sha256}, {"rows", f.rows}});
  manifest["files"] = files;
  write_file(staging / "manifest.json", dump_json(manifest, 2) + "\n");

  const fs::path lists = dir_ / "lists";
  const fs::path final_dir = lists / snap.version;
  if (fs::exists(final_dir)) {
    fs::remove_all(staging);  // same content already stored: reuse it
  } else {
    fs::rename(staging, final_dir);
  }
  write_file_atomically(lists / "CURRENT", snap.version + "\n");
  return snap;
}

ListSnapshot SnapshotStore::import_files(const std::vector<fs::path>& files) {
  if (files.empty()) throw InputError("files", "no list files given");
  const fs::path lists = dir_ / "lists";
  fs::create_directories(lists);
  const fs::path staging = lists / (".staging-" + random_suffix());
  fs::create_directories(staging);
  try {
    for (const auto& f : files) {
      if (!fs::is_regular_file(f)) throw InputError(f.string(), "no such file");
      // Validate each file where it is, so errors name the user's path.
      SourceFile info;
      load_list_file(f, &info);
      fs::copy_file(f, staging / f.filename(), fs::copy_options::overwrite_existing);
      // OFAC alt/add and _zh siblings travel with their main file.
      const std::string stem = f.stem().string();
      for (const auto& sib : fs::directory_iterator(f.parent_path())) {
        const std::string n = sib.path().filename().string();
        std::string sdn_alt = f.filename().string(), sdn_add = sdn_alt;
        if (auto pos = sdn_alt.find("sdn"); pos != std::string::npos) {
          sdn_alt.replace(pos, 3, "alt");
          sdn_add.replace(pos, 3, "add");
        }
        if (n == stem + "_zh.json" || (n != f.filename().string() && (n == sdn_alt || n == sdn_add)))
          fs::copy_file(sib.path(), staging / n, fs::copy_options::overwrite_existing);
      }
    }
    return commit(staging);
  } catch (...) {
    std::error_code ec;
    fs::remove_all(staging, ec);
    throw;
  }
}

ListSnapshot SnapshotStore::import_bytes(const std::string& content, const std::string& file_name,
                                         const std::string& expected_sha256) {
  const std::string actual = sha256_hex(content);
  if (!expected_sha256.empty() && actual != expected_sha256)
    throw InputError(file_name, "checksum mismatch: expected SHA-256 " + expected_sha256 + ", got " + actual);
  const fs::path lists = dir_ / "lists";
  fs::create_directories(lists);
  const fs::path staging = lists / (".staging-" + random_suffix());
  fs::create_directories(staging);
  try {
    parse_list(content, file_name);  // validate before anything is kept
    write_file(staging / fs::path(file_name).filename(), content);
    return commit(staging);
  } catch (...) {
    std::error_code ec;
    fs::remove_all(staging, ec);
    throw;
  }
}

ListSnapshot SnapshotStore::load(const std::string& version_or_path) const {
  const fs::path stored = dir_ / "lists" / version_or_path;
  if (!version_or_path.empty() && version_or_path.find('/') == std::string::npos &&
      fs::is_directory(stored) && fs::exists(stored / "manifest.json")) {
    const json manifest =
        parse_json(read_text(stored / "manifest.json"), (stored / "manifest.json").string());
    ListSnapshot snap =
        build_snapshot(list_files_in(stored), manifest.value("created", std::string("stored")));
    snap.version = manifest.value("version", version_or_path);
    snap.created = manifest.value("created", std::string());
    return snap;
  }
  if (version_or_path == "bundled") return *bundled_snapshot();
  const fs::path p(version_or_path);
  if (fs::is_directory(p)) return build_snapshot(list_files_in(p), "dir");
  if (fs::is_regular_file(p)) return build_snapshot({p}, "file");
  throw InputError(version_or_path, "no stored snapshot, list file or folder of that name");
}

std::shared_ptr<const ListSnapshot> SnapshotStore::current_or_bundled() const {
  if (const auto v = current()) return std::make_shared<ListSnapshot>(load(*v));
  return bundled_snapshot();
}

std::shared_ptr<const Screener> make_screener(const fs::path& data_dir) {
  return std::make_shared<const Screener>(SnapshotStore(data_dir).current_or_bundled(), bundled_normalizer());
}

// ---------------------------------------------------------------- download

std::string http_get(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) throw InputError("url", "'" + url + "' is not an http(s) URL");
  const auto path_start = url.find('/', scheme_end + 3);
  const std::string origin = url.substr(0, path_start);
  const std::string path = path_start == std::string::npos ? "/" : url.substr(path_start);
  httplib::Client client(origin);
  client.set_follow_location(true);
  client.set_connection_timeout(10);
  client.set_read_timeout(120);
  const auto res = client.Get(path);
  if (!res) throw InputError("url", "download of " + url + " failed: " + httplib::to_string(res.error()));
  if (res->status != 200)
    throw InputError("url", "download of " + url + " failed: HTTP status " + std::to_string(res->status));
  return res->body;
}

// ---------------------------------------------------------------- diff

std::vector<EntryChange> diff_snapshots(const ListSnapshot& before, const ListSnapshot& after) {
  const auto name_key = [](const Entry& e) { return e.source_code + "|" + e.name; };
  std::map<std::string, const Entry*> old_by_key, old_by_name;
  for (const auto& e : before.entries) {
    old_by_key[e.key()] = &e;
    old_by_name[name_key(e)] = &e;
  }
  std::set<const Entry*> matched;
  std::vector<EntryChange> changes;
  for (const auto& e : after.entries) {
    const Entry* old = nullptr;
    if (auto it = old_by_key.find(e.key()); it != old_by_key.end() && !matched.count(it->second))
      old = it->second;
    else if (auto it2 = old_by_name.find(name_key(e));
             it2 != old_by_name.end() && !matched.count(it2->second))
      old = it2->second;
    if (!old) {
      changes.push_back({nullptr, &e, {}});
      continue;
    }
    matched.insert(old);
    EntryChange c{old, &e, {}};
    if (old->name != e.name) c.fields.push_back("name");
    if (old->alt_names != e.alt_names) c.fields.push_back("alt_names");
    if (old->countries != e.countries) c.fields.push_back("countries");
    if (old->federal_register_notice != e.federal_register_notice)
      c.fields.push_back("federal_register_notice");
    if (old->license_requirement != e.license_requirement) c.fields.push_back("license_requirement");
    if (old->license_policy != e.license_policy) c.fields.push_back("license_policy");
    if (old->start_date != e.start_date) c.fields.push_back("start_date");
    if (old->end_date != e.end_date) c.fields.push_back("end_date");
    if (!c.fields.empty()) changes.push_back(std::move(c));
  }
  for (const auto& e : before.entries)
    if (!matched.count(&e)) changes.push_back({&e, nullptr, {}});
  return changes;
}

ListSnapshot changed_entries(const ListSnapshot& before, const ListSnapshot& after, std::size_t* added,
                             std::size_t* changed) {
  ListSnapshot delta;
  delta.version = after.version + "-delta-from-" + before.version;
  delta.created = after.created;
  std::size_t a = 0, c = 0;
  for (const auto& change : diff_snapshots(before, after)) {
    if (!change.after) continue;  // a removed entry cannot raise a new alert
    (change.before ? c : a)++;
    delta.entries.push_back(*change.after);
    delta.entries.back().linked.clear();  // links index the full snapshot
  }
  if (added) *added = a;
  if (changed) *changed = c;
  return delta;
}

}  // namespace exportctl::screen
