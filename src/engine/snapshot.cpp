// Building and swapping snapshots: the only place components are composed.

#include <algorithm>
#include <cstdlib>
#include <mutex>

#include "core/error.h"
#include "core/files.h"
#include "core/hash.h"
#include "engine/engine.h"
#include "engine/parties.h"
#include "screen/screen.h"

#ifndef EXPORTCTL_VERSION
#error "EXPORTCTL_VERSION must come from the project version in CMakeLists.txt"
#endif

namespace exportctl::engine {

namespace fs = std::filesystem;

const char* version() {
  return EXPORTCTL_VERSION;
}

fs::path resolve_data_dir(const std::string& given) {
  if (!given.empty()) return given;
  if (const char* env = std::getenv("EXPORTCTL_DATA_DIR"); env && *env) return env;
  return screen::SnapshotStore::default_dir();
}

namespace {

// "sha256:" + 16 hex digits over the relative path and content of every file
// under `dir` with one of `extensions`, in path order: the data version.
std::string content_version(const fs::path& dir, const std::vector<std::string>& extensions) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const std::string ext = it->path().extension().string();
    if (std::find(extensions.begin(), extensions.end(), ext) != extensions.end()) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  std::string digests;
  for (const auto& f : files)
    digests += fs::relative(f, dir).generic_string() + " " + sha256_hex(read_whole_file(f)) + "\n";
  return "sha256:" + sha256_hex(digests).substr(0, 16);
}

}  // namespace

struct Snapshot::Parts {
  Config config;
  fs::path data_dir;
  rules::RuleSet rules;
  catalog::Catalog catalog;
  std::unique_ptr<classify::Classifier> classifier;
  // Set at load (Eager) or once under `screener_once` (OnFirstUse).
  mutable std::shared_ptr<const screen::Screener> screener;
  mutable std::once_flag screener_once;
  std::vector<screen::Adjudication> adjudications;
  std::unique_ptr<ScreeningParties> parties;
  std::unique_ptr<license::Engine> license;
  Versions versions;
  std::shared_ptr<const Snapshot> screening_from;  // with_scenarios: the base that screens
};

Snapshot::Snapshot() : parts_(std::make_unique<Parts>()) {}
Snapshot::~Snapshot() = default;

std::shared_ptr<const Snapshot> Snapshot::load(const Config& config) {
  std::shared_ptr<Snapshot> s(new Snapshot());
  Parts& p = *s->parts_;
  p.config = config;
  p.data_dir = resolve_data_dir(config.data_dir);
  const fs::path rules_dir =
      config.rules_dir.empty() ? rules::default_rules_dir() : fs::path(config.rules_dir);
  const fs::path catalog_dir =
      config.catalog_dir.empty() ? catalog::default_catalog_dir() : fs::path(config.catalog_dir);
  p.rules = rules::RuleSet::load(rules_dir, {config.scenarios.begin(), config.scenarios.end()});
  p.catalog = catalog::Catalog::load(catalog_dir, p.rules.metrics());
  p.classifier = std::make_unique<classify::Classifier>(p.rules, classify::MetricOptions{config.tf32});
  if (config.screening != Config::Screening::Off) {
    if (config.screening == Config::Screening::Eager) p.screener = screen::make_screener(p.data_dir);
    const fs::path adjudications =
        config.adjudications.empty() ? p.data_dir / "adjudications.csv" : fs::path(config.adjudications);
    if (!config.adjudications.empty() || fs::exists(adjudications))
      p.adjudications = screen::load_adjudications(adjudications);
    const Snapshot* self = s.get();
    p.parties = std::make_unique<ScreeningParties>(
        [self]() -> const screen::Screener& { return *self->screener(); }, p.adjudications);
  }
  p.license = std::make_unique<license::Engine>(p.rules, *p.classifier, p.parties.get());
  p.versions.exportctl = version();
  p.versions.rules = content_version(rules_dir, {".yaml", ".yml"});
  if (!config.scenarios.empty()) {
    std::string digests;
    for (const auto& f : config.scenarios) digests += sha256_hex(read_whole_file(f)) + "\n";
    p.versions.rules += "+scenarios:" + sha256_hex(digests).substr(0, 16);
    for (const auto& v : p.rules.versions())
      if (v.hypothetical) p.versions.scenarios.push_back(v.id);
  }
  if (const auto compiled = p.rules.compiled()) p.versions.rules_as_of = compiled->str();
  p.versions.catalog = content_version(catalog_dir, {".csv"});
  if (p.screener) p.versions.lists = p.screener->snapshot().version;
  if (config.screening == Config::Screening::OnFirstUse) p.versions.lists = "on first use";
  return s;
}

std::shared_ptr<const Snapshot> Snapshot::with_scenarios(std::shared_ptr<const Snapshot> base,
                                                         const std::vector<std::string>& scenarios) {
  Config config = base->config();
  const bool screening = config.screening != Config::Screening::Off;
  config.scenarios.insert(config.scenarios.end(), scenarios.begin(), scenarios.end());
  config.screening = Config::Screening::Off;  // built below from the base
  std::shared_ptr<const Snapshot> loaded = load(config);
  auto s = std::const_pointer_cast<Snapshot>(loaded);
  Parts& p = *s->parts_;
  if (screening) {
    p.config.screening = base->config().screening;
    p.adjudications = base->adjudications();
    p.screening_from = base;
    const Snapshot* from = base.get();
    p.parties = std::make_unique<ScreeningParties>(
        [from]() -> const screen::Screener& { return *from->screener(); }, p.adjudications);
    p.license = std::make_unique<license::Engine>(p.rules, *p.classifier, p.parties.get());
    p.versions.lists = base->versions().lists;
  }
  return s;
}

const rules::RuleSet& Snapshot::rules() const {
  return parts_->rules;
}
const catalog::Catalog& Snapshot::catalog() const {
  return parts_->catalog;
}
const classify::Classifier& Snapshot::classifier() const {
  return *parts_->classifier;
}
const license::Engine& Snapshot::license() const {
  return *parts_->license;
}
const screen::Screener* Snapshot::screener() const {
  if (parts_->screening_from) return parts_->screening_from->screener();
  if (parts_->config.screening == Config::Screening::OnFirstUse)
    std::call_once(parts_->screener_once,
                   [this] { parts_->screener = screen::make_screener(parts_->data_dir); });
  return parts_->screener.get();
}

const license::PartyScreen* Snapshot::party_screen() const {
  return parts_->parties.get();
}

bool Snapshot::screening() const {
  return parts_->config.screening != Config::Screening::Off;
}
const std::vector<screen::Adjudication>& Snapshot::adjudications() const {
  return parts_->adjudications;
}
const Versions& Snapshot::versions() const {
  return parts_->versions;
}
const Config& Snapshot::config() const {
  return parts_->config;
}
const fs::path& Snapshot::data_dir() const {
  return parts_->data_dir;
}

nlohmann::json Snapshot::versions_json() const {
  const Versions& v = parts_->versions;
  nlohmann::json j{{"exportctl", v.exportctl}, {"rules", v.rules}, {"catalog", v.catalog}};
  j["rules_as_of"] = v.rules_as_of.empty() ? nlohmann::json(nullptr) : nlohmann::json(v.rules_as_of);
  if (!v.lists.empty()) j["lists"] = v.lists;
  if (!v.scenarios.empty()) j["scenarios"] = v.scenarios;
  return j;
}

SnapshotHolder::SnapshotHolder(std::shared_ptr<const Snapshot> initial) : current_(std::move(initial)) {}

std::shared_ptr<const Snapshot> SnapshotHolder::get() const {
  return current_.load(std::memory_order_acquire);
}

void SnapshotHolder::replace(std::shared_ptr<const Snapshot> next) {
  current_.store(std::move(next), std::memory_order_release);
}

}  // namespace exportctl::engine
