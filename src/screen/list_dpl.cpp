// The BIS Denied Persons List (tab-separated).

#include <algorithm>
#include <map>
#include <sstream>

#include "core/csv.h"
#include "core/error.h"

#include "screen/list_formats.h"

namespace exportctl::screen::formats {

// -------------------------------------------------------- BIS Denied Persons

std::vector<Entry> parse_dpl(std::string_view content, const std::string& name) {
  std::istringstream in{std::string(content)};
  CsvReader reader(in, name, '\t');
  const std::size_t name_col = reader.require_column("Name");
  const auto street = reader.column("Street_Address"), city = reader.column("City"),
             state = reader.column("State"), country = reader.column("Country"),
             postal = reader.column("Postal_Code"), eff = reader.column("Effective_Date"),
             exp = reader.column("Expiration_Date"), fr = reader.column("FR_Citation"),
             action = reader.column("Action");
  std::vector<Entry> out;
  std::vector<std::string> f;
  while (reader.next(f)) {
    const auto get = [&](const std::optional<std::size_t>& c) { return c ? trim(f[*c]) : std::string(); };
    Entry e;
    e.origin = location(name, reader.line());
    e.name = clean_name(f[name_col]);
    if (e.name.empty()) throw InputError(e.origin, "field 'Name' is empty");
    e.source = "Denied Persons List (DPL) - Bureau of Industry and Security";
    e.source_code = "DPL";
    Address a{get(street), get(city), get(state), get(postal), get(country)};
    if (!is_country_code(a.country)) a.country.clear();
    e.addresses.push_back(a);
    e.start_date = get(eff);
    e.end_date = get(exp);
    e.federal_register_notice = get(fr);
    e.remarks = get(action);
    e.id = short_hash(e.name + "\n" + e.start_date + "\n" + a.address);
    finish(e);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace exportctl::screen::formats
