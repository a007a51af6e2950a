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
#include "screen/normalize.h"
#include "screen/screen.h"

namespace exportctl::screen {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string trim(std::string_view s) {
  const auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return std::string(s);
}

bool iequals_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "X; and any successor, sub-unit, or subsidiary thereof" names the entity X.
std::string clean_name(std::string_view raw) {
  std::string name = trim(raw);
  const std::string l = lower(name);
  for (const char* tail : {"and any successor, sub-unit, or subsidiary thereof",
                           "and any successor, sub-unit or subsidiary thereof"}) {
    if (const auto pos = l.find(tail); pos != std::string::npos) {
      name = trim(name.substr(0, pos));
      while (!name.empty() && (name.back() == ';' || name.back() == ','))
        name = trim(name.substr(0, name.size() - 1));
      break;
    }
  }
  while (!name.empty() && name.back() == ',') name = trim(name.substr(0, name.size() - 1));
  return name;
}

// CSL cells join several values with "; ", and BIS rows put "and " before the last.
std::vector<std::string> split_multi(std::string_view cell) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= cell.size()) {
    const auto pos = cell.find(';', start);
    std::string part =
        trim(cell.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (iequals_prefix(part, "and ")) part = trim(part.substr(4));
    part = clean_name(part);
    if (!part.empty()) out.push_back(part);
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

bool is_country_code(std::string_view s) {
  return s.size() == 2 && std::isupper(static_cast<unsigned char>(s[0])) &&
         std::isupper(static_cast<unsigned char>(s[1]));
}

// An address cell ends with the ISO code: "113 Hezuo Road, Shijiazhuang, Hebei, China, CN".
Address parse_address(const std::string& text) {
  Address a;
  a.address = text;
  if (const auto pos = text.rfind(','); pos != std::string::npos) {
    const std::string last = trim(text.substr(pos + 1));
    if (is_country_code(last)) a.country = last;
  } else if (is_country_code(trim(text))) {
    a.country = trim(text);
  }
  return a;
}

std::string source_code_of(const std::string& source) {
  // "Entity List (EL) - Bureau of Industry and Security" -> EL
  const auto open = source.find('(');
  const auto close = source.find(')', open == std::string::npos ? 0 : open);
  if (open != std::string::npos && close != std::string::npos && close > open + 1)
    return source.substr(open + 1, close - open - 1);
  const std::string l = lower(source);
  if (l.find("specially designated") != std::string::npos) return "SDN";
  if (l.find("sectoral") != std::string::npos) return "SSI";
  if (l.find("entity list") != std::string::npos) return "EL";
  if (l.find("denied persons") != std::string::npos) return "DPL";
  if (l.find("unverified") != std::string::npos) return "UVL";
  if (l.find("military end") != std::string::npos) return "MEU";
  if (l.find("debarred") != std::string::npos) return "DTC";
  if (l.find("nonproliferation") != std::string::npos) return "ISN";
  if (l.find("palestinian") != std::string::npos) return "PLC";
  if (l.find("capta") != std::string::npos) return "CAP";
  if (l.find("foreign sanctions evaders") != std::string::npos) return "FSE";
  return "";
}

std::string short_hash(std::string_view text) {
  return sha256_hex(text).substr(0, 16);
}

void finish(Entry& e) {
  for (const auto& a : e.addresses)
    if (!a.country.empty() &&
        std::find(e.countries.begin(), e.countries.end(), a.country) == e.countries.end())
      e.countries.push_back(a.country);
  // Aliases identical to the name add nothing.
  e.alt_names.erase(std::remove(e.alt_names.begin(), e.alt_names.end(), e.name), e.alt_names.end());
}

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

// -------------------------------------------------------- CSL JSON

std::string json_string(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return "";
  if (j[key].is_string()) return trim(j[key].get<std::string>());
  if (j[key].is_array()) {
    std::string out;
    for (const auto& v : j[key])
      if (v.is_string()) out += (out.empty() ? "" : "; ") + v.get<std::string>();
    return out;
  }
  return j[key].dump();
}

std::vector<std::string> json_strings(const json& j, const char* key) {
  std::vector<std::string> out;
  if (!j.contains(key) || j[key].is_null()) return out;
  if (j[key].is_string()) return split_multi(j[key].get<std::string>());
  if (j[key].is_array())
    for (const auto& v : j[key])
      if (v.is_string())
        if (auto s = clean_name(v.get<std::string>()); !s.empty()) out.push_back(s);
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

// -------------------------------------------------------- KAIST compilation

struct KaistList {
  const char* id;
  const char* code;
  const char* source;
};
constexpr KaistList kKaistLists[] = {
    {"us-bis-entity-list", "EL", "Entity List (EL) - Bureau of Industry and Security"},
    {"us-bis-military-end-user-list", "MEU",
     "Military End User (MEU) List - Bureau of Industry and Security"},
    {"us-ofac-ns-cmic", "CMIC",
     "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department"},
    {"us-dod-section-1260h", "1260H", "Chinese Military Companies (Section 1260H) - Department of Defense"},
    {"us-dod-section-1286", "1286", "Section 1286 List - Department of Defense"},
    {"us-dhs-uflpa", "UFLPA", "UFLPA Entity List - Department of Homeland Security"},
    {"jp-meti-end-user-list", "METI", "End User List (METI) - Japan Ministry of Economy, Trade and Industry"},
    {"ca-ised-named-research-organizations", "NRO",
     "Named Research Organizations (NRO) - Innovation, Science and Economic Development Canada"},
};

// The compilation writes countries in Korean; these are the ones it uses most.
const std::map<std::string, std::string>& korean_countries() {
  static const std::map<std::string, std::string> m = {{"중국", "CN"},
                                                       {"러시아", "RU"},
                                                       {"이란", "IR"},
                                                       {"파키스탄", "PK"},
                                                       {"홍콩", "HK"},
                                                       {"아랍에미리트", "AE"},
                                                       {"북한", "KP"},
                                                       {"튀르키예", "TR"},
                                                       {"말레이시아", "MY"},
                                                       {"영국", "GB"},
                                                       {"싱가포르", "SG"},
                                                       {"시리아", "SY"},
                                                       {"우크라이나", "UA"},
                                                       {"벨라루스", "BY"},
                                                       {"아프가니스탄", "AF"},
                                                       {"레바논", "LB"},
                                                       {"독일", "DE"},
                                                       {"캐나다", "CA"},
                                                       {"인도", "IN"},
                                                       {"대만", "TW"},
                                                       {"핀란드", "FI"},
                                                       {"미얀마", "MM"},
                                                       {"남아프리카공화국", "ZA"},
                                                       {"남수단", "SS"},
                                                       {"이스라엘", "IL"},
                                                       {"키프로스", "CY"},
                                                       {"프랑스", "FR"},
                                                       {"태국", "TH"},
                                                       {"아르메니아", "AM"},
                                                       {"스위스", "CH"},
                                                       {"그리스", "GR"},
                                                       {"네덜란드", "NL"},
                                                       {"불가리아", "BG"},
                                                       {"이집트", "EG"},
                                                       {"카자흐스탄", "KZ"},
                                                       {"한국", "KR"},
                                                       {"일본", "JP"},
                                                       {"마카오", "MO"},
                                                       {"미국", "US"}};
  return m;
}

std::vector<Entry> parse_kaist(const json& records, const std::string& name) {
  std::vector<Entry> out;
  std::size_t index = 0;
  for (const auto& r : records) {
    ++index;
    const std::string where = name + ": record " + std::to_string(index);
    if (!r.is_object() || !r.contains("name") || !r["name"].is_object())
      throw InputError(where, "field 'name' must be an object with 'english'");
    Entry e;
    e.origin = where;
    const json& src = r.contains("source") ? r["source"] : json::object();
    const std::string list_id = json_string(src, "list_id");
    e.source = json_string(src, "list_name");
    for (const auto& l : kKaistLists)
      if (list_id == l.id) {
        e.source_code = l.code;
        e.source = l.source;
      }
    e.id = json_string(r, "id");
    if (e.id.empty()) e.id = list_id + ":" + json_string(src, "source_row");
    e.name = clean_name(json_string(r["name"], "english"));
    const std::string native = json_string(r["name"], "native");
    if (e.name.empty()) e.name = native;
    if (e.name.empty()) throw InputError(where, "field 'name.english' is empty");
    e.alt_names = json_strings(r, "aliases");
    // The native-script name is METI's own on its rows, and a checked legal
    // name on the DoD rows; on the Entity List and CMIC rows it is the
    // compiler's brand tag (华为 on every Huawei affiliate): keep it as a remark.
    if (!native.empty()) {
      const bool trusted = e.source_code == "METI" || e.source_code == "1260H" || e.source_code == "1286";
      if (!trusted)
        e.remarks = "native-script tag from the compilation (not an official name): " + native;
      else
        e.alt_names.push_back(native);
    }
    if (r.contains("countries") && r["countries"].is_array())
      for (const auto& c : r["countries"]) {
        if (!c.is_string()) continue;
        std::string all = c.get<std::string>();
        std::stringstream parts(all);
        std::string part;
        while (std::getline(parts, part, '/'))
          if (auto it = korean_countries().find(trim(part)); it != korean_countries().end())
            if (std::find(e.countries.begin(), e.countries.end(), it->second) == e.countries.end())
              e.countries.push_back(it->second);
      }
    e.source_list_url = json_string(src, "official_source_url");
    if (!e.remarks.empty() || !json_string(r, "remarks").empty())
      e.remarks += (e.remarks.empty() ? "" : "; ") + json_string(r, "remarks");
    finish(e);
    out.push_back(std::move(e));
  }
  return out;
}

// -------------------------------------------------------- EL academic (raw 15 CFR 744 Supp. 4 text)

std::vector<std::string> aliases_from_raw(const std::string& raw) {
  // "X, a.k.a., the following one alias: —AMMS. 27 Taiping Road, ..."
  std::vector<std::string> out;
  const auto aka = raw.find("a.k.a.");
  if (aka == std::string::npos) return out;
  const std::string dash = "\xE2\x80\x94";  // em dash
  std::size_t pos = raw.find(dash, aka);
  while (pos != std::string::npos) {
    const std::size_t start = pos + dash.size();
    std::size_t end = raw.find_first_of(";", start);
    const std::size_t next_dash = raw.find(dash, start);
    std::size_t stop = raw.find(". ", start);
    if (end == std::string::npos || (stop != std::string::npos && stop < end)) end = stop;
    if (next_dash != std::string::npos && (end == std::string::npos || next_dash < end)) end = next_dash;
    std::string alias = trim(raw.substr(start, end == std::string::npos ? std::string::npos : end - start));
    while (!alias.empty() && (alias.back() == '.' || alias.back() == ';' || alias.back() == ','))
      alias = trim(alias.substr(0, alias.size() - 1));
    if (iequals_prefix(alias, "and ")) alias = trim(alias.substr(4));
    if (!alias.empty()) out.push_back(alias);
    if (end == std::string::npos || end == stop) break;
    pos = raw.find(dash, end);
    if (stop != std::string::npos && pos != std::string::npos && pos > stop) break;
  }
  return out;
}

std::vector<Entry> parse_el_academic(const json& doc, const std::string& name, const json* zh) {
  std::map<std::string, std::string> chinese;
  if (zh && zh->is_array())
    for (const auto& z : *zh)
      if (z.is_object()) chinese[json_string(z, "name")] = json_string(z, "zh");
  std::vector<Entry> out;
  std::size_t index = 0;
  for (const auto& r : doc["entries"]) {
    ++index;
    const std::string where = name + ": entry " + std::to_string(index);
    if (!r.is_object()) throw InputError(where, "expected an object");
    Entry e;
    e.origin = where;
    e.source = "Entity List (EL) - Bureau of Industry and Security";
    e.source_code = "EL";
    e.name = clean_name(json_string(r, "name"));
    if (e.name.empty()) throw InputError(where, "field 'name' is empty");
    e.id = "el-academic-" + short_hash(e.name);
    const std::string raw = json_string(r, "raw");
    e.alt_names = aliases_from_raw(raw);
    if (auto it = chinese.find(e.name); it != chinese.end() && !it->second.empty()) {
      e.alt_names.push_back(it->second);
      e.remarks = "Chinese name from the compilation's author (not an official rendering): " + it->second;
    }
    e.countries.push_back("CN");
    e.addresses.push_back({raw, "", "", "", "CN"});
    finish(e);
    out.push_back(std::move(e));
  }
  return out;
}

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
  json doc;
  try {
    doc = json::parse(content);
  } catch (const json::parse_error& e) {
    throw InputError(name, std::string("invalid JSON at byte ") + std::to_string(e.byte) + ": " + e.what());
  } catch (const json::exception& e) {  // e.g. a number out of range (found by screen_lists_fuzz)
    throw InputError(name, std::string("invalid JSON: ") + e.what());
  }
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
        try {
          zh = json::parse(read_all(sibling));
          zh_ptr = &zh;
        } catch (const json::exception& e) {
          throw InputError(sibling.string(), std::string("invalid JSON: ") + e.what());
        }
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
