// The Consolidated Screening List (trade.gov), as CSV and as JSON.

#include <algorithm>
#include <map>
#include <sstream>

#include "core/csv.h"
#include "core/error.h"

#include "screen/list_formats.h"

namespace exportctl::screen::formats {

// -------------------------------------------------------- CSL CSV

std::vector<Entry> parse_csl_csv(std::string_view content, const std::string& name) {
  std::istringstream in{std::string(content)};
  CsvReader reader(in, name);
  const auto col = [&](const char* c) { return reader.column(c); };
  const std::size_t name_col = reader.require_column("name");
  const std::size_t source_col = reader.require_column("source");
  const auto id_col = col("_id"), num_col = col("entity_number"), type_col = col("type"),
             programs_col = col("programs"), addr_col = col("addresses"),
             fr_col = col("federal_register_notice"), start_col = col("start_date"),
             end_col = col("end_date"), req_col = col("license_requirement"), pol_col = col("license_policy"),
             remarks_col = col("remarks"), alt_col = col("alt_names"), url_col = col("source_list_url"),
             cit_col = col("citizenships"), nat_col = col("nationalities");
  std::vector<Entry> out;
  std::vector<std::string> f;
  while (reader.next(f)) {
    const auto get = [&](const std::optional<std::size_t>& c) { return c ? trim(f[*c]) : std::string(); };
    Entry e;
    e.origin = location(name, reader.line());
    e.source = trim(f[source_col]);
    e.source_code = source_code_of(e.source);
    e.name = clean_name(f[name_col]);
    if (e.name.empty()) throw InputError(e.origin, "field 'name' is empty");
    if (e.source.empty()) throw InputError(e.origin, "field 'source' is empty");
    e.id = get(id_col);
    if (e.id.empty()) e.id = get(num_col);
    if (e.id.empty()) e.id = short_hash(e.source + "\n" + e.name + "\n" + get(addr_col));
    e.type = get(type_col);
    e.programs = get(programs_col);
    e.alt_names = split_multi(get(alt_col));
    for (const auto& a : split_multi(get(addr_col))) e.addresses.push_back(parse_address(a));
    e.federal_register_notice = get(fr_col);
    e.start_date = get(start_col);
    e.end_date = get(end_col);
    e.license_requirement = get(req_col);
    e.license_policy = get(pol_col);
    e.remarks = get(remarks_col);
    e.source_list_url = get(url_col);
    for (const auto& c : {get(cit_col), get(nat_col)})
      for (const auto& v : split_multi(c))
        if (is_country_code(v) && std::find(e.countries.begin(), e.countries.end(), v) == e.countries.end())
          e.countries.push_back(v);
    finish(e);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<Entry> parse_csl_json(const json& records, const std::string& name) {
  std::vector<Entry> out;
  std::size_t index = 0;
  for (const auto& r : records) {
    ++index;
    const std::string where = name + ": record " + std::to_string(index);
    if (!r.is_object()) throw InputError(where, "expected an object");
    Entry e;
    e.origin = where;
    e.source = json_string(r, "source");
    e.source_code = source_code_of(e.source);
    e.name = clean_name(json_string(r, "name"));
    if (e.name.empty()) throw InputError(where, "field 'name' is empty or missing");
    e.id = json_string(r, "id");
    if (e.id.empty()) e.id = json_string(r, "_id");
    if (e.id.empty()) e.id = json_string(r, "entity_number");
    if (e.id.empty()) e.id = short_hash(e.source + "\n" + e.name);
    e.type = json_string(r, "type");
    e.programs = json_string(r, "programs");
    e.alt_names = json_strings(r, "alt_names");
    if (r.contains("addresses") && r["addresses"].is_array()) {
      for (const auto& a : r["addresses"]) {
        if (!a.is_object()) continue;
        Address addr{json_string(a, "address"), json_string(a, "city"), json_string(a, "state"),
                     json_string(a, "postal_code"), json_string(a, "country")};
        if (!is_country_code(addr.country)) addr.country.clear();
        e.addresses.push_back(addr);
      }
    }
    e.federal_register_notice = json_string(r, "federal_register_notice");
    e.start_date = json_string(r, "start_date");
    e.end_date = json_string(r, "end_date");
    e.license_requirement = json_string(r, "license_requirement");
    e.license_policy = json_string(r, "license_policy");
    e.remarks = json_string(r, "remarks");
    e.source_list_url = json_string(r, "source_list_url");
    finish(e);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace exportctl::screen::formats
