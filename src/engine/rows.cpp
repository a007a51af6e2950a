// Transaction rows: one reader of CSV rows into license transactions, for
// check batches and impact analysis alike, so both decide the same row the
// same way.

#include <filesystem>

#include "core/error.h"
#include "engine/internal.h"
#include "engine/pipeline.h"
#include "screen/screen.h"

namespace exportctl::engine {

namespace {

// The non-blank items of a ';'-separated cell.
std::vector<std::string> split_cell(const std::string& cell) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (from < cell.size()) {
    std::size_t end = cell.find(';', from);
    if (end == std::string::npos) end = cell.size();
    std::string item = cell.substr(from, end - from);
    if (item.find_first_not_of(' ') != std::string::npos) out.push_back(std::move(item));
    from = end + 1;
  }
  return out;
}

constexpr std::string_view kSpecPrefix = "spec:";
// Cells remembered per reader (countries, validated names) before it stops adding.
constexpr std::size_t kMaxCached = 50000;

}  // namespace

TransactionRows::TransactionRows(std::shared_ptr<const Snapshot> snapshot, const CsvReader& header,
                                 std::string source, TransactionColumnNames names, bool apply_ai_diffusion)
    : snapshot_(std::move(snapshot)),
      source_(std::move(source)),
      folder_(std::filesystem::path(source_).parent_path()),
      apply_ai_diffusion_(apply_ai_diffusion),
      item_(header.require_column(names.item)),
      to_(header.require_column(names.to)),
      names_(names),
      coverage_from_(snapshot_->rules().coverage_from()) {
  if (!names.date.empty()) date_ = header.require_column(names.date);
  hq_ = header.column(names.hq);
  party_ = header.column(names.party);
  owners_ = header.column(names.owners);
  end_use_ = header.column(names.end_use);
  export_from_ = header.column(names.export_from);
  if ((party_ || owners_) && !snapshot_->screening())
    throw std::logic_error("snapshot built without screening was given a party column");
  for (const auto& chip : snapshot_->catalog().chips()) chips_.emplace(chip.id, &chip);
}

std::shared_ptr<const classify::ItemSpec> TransactionRows::spec_file(const std::string& path,
                                                                     int line) const {
  const std::lock_guard lock(specs_mutex_);
  if (const auto it = specs_.find(path); it != specs_.end()) return it->second;
  const std::filesystem::path file =
      std::filesystem::path(path).is_absolute() ? std::filesystem::path(path) : folder_ / path;
  std::shared_ptr<const classify::ItemSpec> spec;
  try {
    spec = load_spec(*snapshot_, file.string());
  } catch (const InputError& e) {
    throw InputError(location(source_, line),
                     "column '" + names_.item + "': spec file " + e.where() + ": " + e.message());
  }
  specs_.emplace(path, spec);
  return spec;
}

void TransactionRows::Reader::read(const std::vector<std::string>& row, int line, license::Transaction& t) {
  const TransactionRows& r = rows_;
  auto where = [&] { return location(r.source_, line); };  // built only on error
  const std::string& item = row[r.item_];
  t = license::Transaction{};
  if (item.rfind(kSpecPrefix, 0) == 0) {
    const std::string path = item.substr(kSpecPrefix.size());
    if (path.empty()) throw InputError(where(), "column '" + r.names_.item + "': 'spec:' needs a file path");
    auto& spec = specs_[path];
    if (!spec) spec = r.spec_file(path, line);
    t.item = spec.get();
  } else {
    const auto chip_it = r.chips_.find(item);
    if (chip_it == r.chips_.end())
      throw InputError(where(), "column '" + r.names_.item + "': unknown chip id '" + item +
                                    "' (a catalog id, or spec:PATH for a spec file)");
    t.item = &chip_it->second->spec;
  }
  if (r.date_) {
    const std::string& cell = row[*r.date_];
    const auto date = Date::parse(cell);
    if (!date) throw InputError(where(), "column '" + r.names_.date + "': '" + cell + "' is not YYYY-MM-DD");
    if (r.coverage_from_ && *date < *r.coverage_from_)
      throw InputError(where(), "column '" + r.names_.date + "': " + date->str() + " is before " +
                                    r.coverage_from_->str());
    t.date = *date;
  }
  const auto country = [&](const std::string& cell, const std::string& column) -> std::string {
    if (const auto it = countries_.find(cell); it != countries_.end()) return it->second;
    try {
      std::string code = country_code(*r.snapshot_, cell, column);
      if (countries_.size() < kMaxCached) countries_.emplace(cell, code);
      return code;
    } catch (const InputError& e) {
      throw InputError(where(), "column '" + column + "': " + e.message());
    }
  };
  t.to = country(row[r.to_], r.names_.to);
  if (r.hq_ && !row[*r.hq_].empty()) t.hq = country(row[*r.hq_], r.names_.hq);
  if (r.export_from_ && !row[*r.export_from_].empty())
    t.export_from = country(row[*r.export_from_], r.names_.export_from);
  if (r.end_use_ && !row[*r.end_use_].empty()) t.end_use = row[*r.end_use_];
  if (r.party_)
    for (auto& name : split_cell(row[*r.party_])) t.parties.push_back(std::move(name));
  if (r.owners_)
    for (const auto& cell : split_cell(row[*r.owners_])) {
      try {
        t.owners.push_back(parse_owner(cell, "owners"));
      } catch (const InputError& e) {
        throw InputError(where(), "column '" + r.names_.owners + "': " + e.message());
      }
    }
  t.apply_ai_diffusion = r.apply_ai_diffusion_;
  // The CSV column a request field comes from.
  const auto column_of = [&](const std::string& field) -> std::string {
    if (field.rfind("parties[", 0) == 0) return r.names_.party;
    if (field.rfind("owners", 0) == 0) return r.names_.owners;
    if (field == "to") return r.names_.to;
    if (field == "hq") return r.names_.hq;
    if (field == "end_use") return r.names_.end_use;
    if (field == "export_from") return r.names_.export_from;
    return field;
  };
  try {
    license::validate(t, r.snapshot_->rules());
    const auto validate_name = [&](const std::string& name, const std::string& field) {
      if (valid_names_.count(name)) return;
      screen::validate_query(name, field);
      if (valid_names_.size() < kMaxCached) valid_names_.insert(name);
    };
    for (std::size_t i = 0; i < t.parties.size(); ++i)
      validate_name(t.parties[i], "parties[" + std::to_string(i) + "]");
    for (std::size_t i = 0; i < t.owners.size(); ++i)
      validate_name(t.owners[i].name, "owners[" + std::to_string(i) + "]");
  } catch (const InputError& e) {
    throw InputError(where(), "column '" + column_of(e.where()) + "': " + e.message());
  }
}

const std::string& TransactionRows::Reader::screening_key(const license::Transaction& t) {
  static const std::string none;
  if (t.parties.empty() && t.owners.empty()) return none;
  const license::PartyScreen* screen = rows_.snapshot_->party_screen();
  if (!screen) return none;
  // Remembered by the names and countries as written, so a repeated customer
  // costs one lookup here rather than one per name in the screening cache.
  std::string names = t.to + '\x1f' + t.hq;
  for (const auto& name : t.parties) names += '\x1f' + name;
  for (const auto& owner : t.owners) names += '\x1e' + owner.name + '=' + std::to_string(owner.percent);
  if (const auto it = screening_keys_.find(names); it != screening_keys_.end()) return it->second;
  if (screening_keys_.size() >= kMaxCached) screening_keys_.clear();
  std::string key;
  const auto hits = [&](std::string_view name, std::string_view country) {
    for (const auto& h : screen->find(name, country)) {
      for (const std::string* field :
           {&h.source, &h.id, &h.start_date, &h.adjudication, &h.license_requirement, &h.license_policy}) {
        key += *field;
        key += '\x1e';
      }
      key += h.entity_list ? "E\x1d" : "-\x1d";
    }
    key += '\x1c';
  };
  for (const auto& name : t.parties) hits(name, t.to);
  key += '|';
  for (const auto& owner : t.owners) {
    key += std::to_string(owner.percent);
    key += ':';
    hits(owner.name, t.hq.empty() ? t.to : t.hq);
  }
  return screening_keys_.emplace(std::move(names), std::move(key)).first->second;
}

license::Decision TransactionRows::Reader::decide_with(const Snapshot& snapshot,
                                                       const license::Transaction& t) {
  const classify::Classifier& classifier = snapshot.classifier();
  const auto key = std::make_tuple(&snapshot, t.item, classifier.period_index(t.date));
  auto cached = classifications_.find(key);
  if (cached == classifications_.end())
    cached = classifications_.emplace(key, classifier.classify(*t.item, t.date, false)).first;
  return snapshot.license().check(t, false, &cached->second);
}

license::Decision TransactionRows::Reader::decide(const license::Transaction& t) {
  return decide_with(*rows_.snapshot_, t);
}

}  // namespace exportctl::engine
