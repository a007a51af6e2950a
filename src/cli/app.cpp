#include "cli/app.h"

#include "core/error.h"
#include "cli/parties.h"
#include "screen/screen.h"

namespace exportctl::cli {

const rules::RuleSet& App::rules() {
  if (!rules_) {
    const std::filesystem::path dir =
        options_.rules_dir.empty() ? rules::default_rules_dir() : std::filesystem::path(options_.rules_dir);
    rules_ = std::make_unique<rules::RuleSet>(rules::RuleSet::load(dir));
  }
  return *rules_;
}

const catalog::Catalog& App::catalog() {
  if (!catalog_) {
    const std::filesystem::path dir = options_.catalog_dir.empty()
                                          ? catalog::default_catalog_dir()
                                          : std::filesystem::path(options_.catalog_dir);
    catalog_ = std::make_unique<catalog::Catalog>(catalog::Catalog::load(dir, rules().metrics()));
  }
  return *catalog_;
}

const classify::Classifier& App::classifier() {
  if (!classifier_)
    classifier_ = std::make_unique<classify::Classifier>(rules(), classify::MetricOptions{options_.tf32});
  return *classifier_;
}

const license::PartyScreen& App::parties() {
  if (!parties_) {
    const std::filesystem::path dir = options_.data_dir.empty() ? screen::SnapshotStore::default_dir()
                                                                : std::filesystem::path(options_.data_dir);
    parties_ = std::make_unique<ScreeningPartyScreen>(dir);
  }
  return *parties_;
}

const license::Engine& App::license_engine() {
  if (!engine_) engine_ = std::make_unique<license::Engine>(rules(), classifier(), &parties());
  return *engine_;
}

Date App::parse_date(const std::string& text, const std::string& flag) {
  const auto d = Date::parse(text);
  if (!d) throw InputError(flag, "'" + text + "' is not a date in the form YYYY-MM-DD");
  if (const auto from = rules().coverage_from(); from && *d < *from)
    throw InputError(flag,
                     "'" + text + "' is before " + from->str() + ", the earliest date the rule data covers");
  return *d;
}

const catalog::Chip& App::chip(const std::string& id) {
  if (const auto* c = catalog().find(id)) return *c;
  std::string hint;
  for (const auto& s : catalog().suggestions(id)) hint += (hint.empty() ? "" : ", ") + s;
  throw InputError("--chip",
                   "unknown chip id '" + id + "'" +
                       (hint.empty() ? " (see: exportctl chips list)" : " (did you mean: " + hint + "?)"));
}

std::pair<classify::ItemSpec, std::string> App::item(const std::string& chip_id,
                                                     const std::string& spec_file) {
  if (!chip_id.empty()) return {chip(chip_id).spec, "--chip " + chip_id};
  return {classify::load_spec_file(spec_file, rules().metrics()), spec_file};
}

void throw_undetermined(const std::string& where, const std::string& what,
                        const std::vector<std::string>& missing) {
  std::string fields;
  for (const auto& input : missing)
    fields += (fields.empty() ? "" : ", ") + input + " (from " + spec_field_for_input(input) + ")";
  throw InputError(where,
                   "cannot " + what + ": the rules in force need " + fields + ", which the item lacks");
}

std::string spec_field_for_input(const std::string& input) {
  if (input == "tpp") return "dense_tops";
  if (input == "pd") return "logic_dies (area of non-planar logic dies)";
  if (input == "io_bw") return "io_bandwidth_gbps";
  if (input == "mem_bw") return "memory_bandwidth_gbps";
  if (input == "mbd") return "memory_bandwidth_gbps and memory_package_area_mm2";
  if (input == "datacenter") return "datacenter";
  if (input == "hbm") return "hbm";
  return input;
}

}  // namespace exportctl::cli
