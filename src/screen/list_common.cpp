// Helpers shared by the list parsers.

#include <algorithm>
#include <sstream>

#include "core/hash.h"
#include "core/json.h"

#include "screen/list_formats.h"

namespace exportctl::screen::formats {

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

std::string json_string(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return "";
  if (j[key].is_string()) return trim(j[key].get<std::string>());
  if (j[key].is_array()) {
    std::string out;
    for (const auto& v : j[key])
      if (v.is_string()) out += (out.empty() ? "" : "; ") + v.get<std::string>();
    return out;
  }
  return dump_json(j[key]);
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

}  // namespace exportctl::screen::formats
