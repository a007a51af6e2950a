// OFAC's SDN list: sdn.csv, alt.csv and add.csv.

#include <algorithm>
#include <map>
#include <sstream>

#include "core/csv.h"
#include "core/error.h"

#include "screen/list_formats.h"

namespace exportctl::screen::formats {

// -------------------------------------------------------- OFAC SDN

std::string ofac_field(const std::string& f) {
  const std::string t = trim(f);
  return t == "-0-" ? std::string() : t;
}

std::string strip_eof(std::string_view content) {
  std::string s(content);
  while (!s.empty() && (s.back() == '\x1a' || s.back() == '\n' || s.back() == '\r' || s.back() == ' '))
    s.pop_back();
  return s + "\n";
}

// OFAC's CSV files have no header row; one is supplied and line numbers are
// corrected in any error so they name the line of the file itself.
template <typename Fn>
void read_headerless(std::string_view content, const std::string& name, const std::string& header, Fn&& fn) {
  std::istringstream in(header + "\n" + strip_eof(content));
  try {
    CsvReader reader(in, name);
    std::vector<std::string> f;
    while (reader.next(f)) fn(f, reader.line() - 1);
  } catch (const InputError& e) {
    const std::string& w = e.where();
    const auto colon = w.rfind(':');
    if (colon != std::string::npos && colon + 1 < w.size() &&
        std::all_of(w.begin() + static_cast<long>(colon) + 1, w.end(),
                    [](char c) { return std::isdigit(c); }))
      throw InputError(w.substr(0, colon) + ":" + std::to_string(std::stoi(w.substr(colon + 1)) - 1),
                       e.message());
    throw;
  }
}

std::vector<Entry> parse_ofac(std::string_view sdn, const std::string& name, std::string_view alt,
                              const std::string& alt_name, std::string_view add,
                              const std::string& add_name) {
  std::vector<Entry> out;
  std::map<std::string, std::size_t> by_num;
  read_headerless(
      sdn, name,
      "ent_num,name,type,program,title,call_sign,vess_type,tonnage,grt,vess_flag,vess_owner,remarks",
      [&](const std::vector<std::string>& f, int line) {
        Entry e;
        e.origin = location(name, line);
        e.id = ofac_field(f[0]);
        if (e.id.empty()) throw InputError(e.origin, "field 'ent_num' is empty");
        e.name = clean_name(ofac_field(f[1]));
        if (e.name.empty()) throw InputError(e.origin, "field 'SDN_Name' is empty");
        e.source = "Specially Designated Nationals (SDN) - Treasury Department";
        e.source_code = "SDN";
        e.type = ofac_field(f[2]);
        if (e.type.empty()) e.type = "Entity";
        e.programs = ofac_field(f[3]);
        e.remarks = ofac_field(f[11]);
        by_num[e.id] = out.size();
        out.push_back(std::move(e));
      });
  if (!alt.empty())
    read_headerless(alt, alt_name, "ent_num,alt_num,alt_type,alt_name,alt_remarks",
                    [&](const std::vector<std::string>& f, int line) {
                      auto it = by_num.find(ofac_field(f[0]));
                      if (it == by_num.end())
                        throw InputError(location(alt_name, line), "field 'ent_num' names no SDN entry");
                      if (auto a = clean_name(ofac_field(f[3])); !a.empty())
                        out[it->second].alt_names.push_back(a);
                    });
  if (!add.empty())
    read_headerless(add, add_name, "ent_num,add_num,address,city,country,add_remarks",
                    [&](const std::vector<std::string>& f, int line) {
                      auto it = by_num.find(ofac_field(f[0]));
                      if (it == by_num.end())
                        throw InputError(location(add_name, line), "field 'ent_num' names no SDN entry");
                      Address a{ofac_field(f[2]), ofac_field(f[3]), "", "", ""};
                      a.address +=
                          (a.address.empty() || ofac_field(f[4]).empty() ? "" : ", ") + ofac_field(f[4]);
                      out[it->second].addresses.push_back(a);
                    });
  for (auto& e : out) finish(e);
  return out;
}

}  // namespace exportctl::screen::formats
