// Renderings of a screening result (JSON as issue 4 specifies, and text) and
// the adjudication file of accepted false positives.

#include <cmath>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/csv.h"
#include "core/error.h"
#include "screen/screen.h"

namespace exportctl::screen {

using nlohmann::json;

namespace {
double round4(double x) {
  return std::round(x * 10000.0) / 10000.0;
}
}  // namespace

json match_json(const Match& m) {
  const Entry& e = *m.entry;
  json entry{{"source", e.source},
             {"source_code", e.source_code},
             {"id", e.id},
             {"name", e.name},
             {"alt_names", e.alt_names},
             {"countries", e.countries},
             {"federal_register_notice", e.federal_register_notice},
             {"start_date", e.start_date},
             {"license_requirement", e.license_requirement},
             {"license_policy", e.license_policy},
             {"remarks", e.remarks},
             {"fingerprint", e.fingerprint()}};
  json alignment = json::array();
  for (const auto& a : m.detail.alignment)
    alignment.push_back({{"query", a.query},
                         {"listed", a.listed},
                         {"how", a.how},
                         {"kind", a.kind},
                         {"similarity", round4(a.similarity)},
                         {"weight", round4(a.weight)}});
  json j{{"score", round4(m.score)},
         {"matched_name", m.matched_name},
         {"entry", entry},
         {"alignment", alignment},
         {"notes", m.detail.notes}};
  if (m.via) j["linked_from"] = m.via->key();
  if (const SourcedName* n = m.name_source) {
    json src{{"name", n->name},
             {"source_url", n->source_url},
             {"source_kind", n->source_kind},
             {"source_title", n->source_title},
             {"read_on", n->read_on},
             {"table_row", n->origin}};
    if (!n->unconfirmed.empty()) src["unconfirmed"] = n->unconfirmed;
    j["name_source"] = src;
  }
  return j;
}

json to_json(std::string_view query, const ScreenOptions& options, const ListSnapshot& snapshot,
             const std::vector<Match>& matches) {
  json list = json::array();
  for (const auto& m : matches) list.push_back(match_json(m));
  json j{{"query", std::string(query)},
         {"threshold", options.threshold},
         {"list_version", snapshot.version},
         {"matches", list}};
  if (!options.country.empty()) j["country"] = options.country;
  return j;
}

std::vector<Adjudication> load_adjudications(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file.string(), "cannot read the adjudication file");
  CsvReader reader(in, file.string());
  const auto customer = reader.require_column("customer"), entry = reader.require_column("entry"),
             fingerprint = reader.require_column("entry_fingerprint"),
             by = reader.require_column("decided_by"), date = reader.require_column("date"),
             reason = reader.require_column("reason");
  std::vector<Adjudication> out;
  std::vector<std::string> f;
  while (reader.next(f)) {
    Adjudication a{f[customer], f[entry], f[fingerprint], f[by], f[date], f[reason]};
    const std::string where = location(file.string(), reader.line());
    if (a.customer.empty()) throw InputError(where, "field 'customer' is empty");
    if (a.entry.find(':') == std::string::npos)
      throw InputError(where,
                       "field 'entry' must be SOURCE:ID (as in a screening result), got '" + a.entry + "'");
    if (a.entry_fingerprint.empty()) throw InputError(where, "field 'entry_fingerprint' is empty");
    if (a.decided_by.empty()) throw InputError(where, "field 'decided_by' is empty");
    if (a.reason.empty()) throw InputError(where, "field 'reason' is empty");
    out.push_back(std::move(a));
  }
  return out;
}

const Adjudication* adjudication_for(const std::vector<Adjudication>& adjudications,
                                     std::string_view customer, const Entry& entry) {
  const std::string key = entry.key();
  for (const auto& a : adjudications)
    if (a.customer == customer && a.entry == key)
      return a.entry_fingerprint == entry.fingerprint() ? &a : nullptr;
  return nullptr;
}

bool suppressed(const std::vector<Adjudication>& adjudications, std::string_view customer,
                const Entry& entry) {
  return adjudication_for(adjudications, customer, entry) != nullptr;
}

}  // namespace exportctl::screen
