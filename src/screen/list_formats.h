#pragma once
// Internal to the screening component: one parser per government list
// layout (list_*.cpp), each mapping its records onto Entry, and the helpers
// they share. lists.cpp detects the layout and dispatches.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "screen/screen.h"

namespace exportctl::screen::formats {

using nlohmann::json;

std::string trim(std::string_view s);
bool iequals_prefix(std::string_view s, std::string_view prefix);
std::string lower(std::string s);
// A listed name with list-specific clutter removed; empty when nothing is left.
std::string clean_name(std::string_view raw);
// Splits a cell holding several names ("a; b").
std::vector<std::string> split_multi(std::string_view cell);
bool is_country_code(std::string_view s);
Address parse_address(const std::string& text);
// EL, SDN, DPL... from a CSL source name.
std::string source_code_of(const std::string& source);
std::string short_hash(std::string_view text);
// Completes an entry: countries from addresses, no alias equal to the name.
void finish(Entry& e);
std::string json_string(const json& j, const char* key);
std::vector<std::string> json_strings(const json& j, const char* key);

// Consolidated Screening List, CSV (with or without _id) and JSON.
std::vector<Entry> parse_csl_csv(std::string_view content, const std::string& name);
std::vector<Entry> parse_csl_json(const json& records, const std::string& name);
// The KAIST compilation (JSON, country names in Korean: data/vocab/korean_countries.yaml).
std::vector<Entry> parse_kaist(const json& records, const std::string& name);
// The EL academic file (raw 15 CFR 744 Supp. 4 text), with its _zh.json sibling.
std::vector<Entry> parse_el_academic(const json& doc, const std::string& name, const json* zh);
// OFAC SDN: sdn.csv with the alt.csv and add.csv beside it.
std::vector<Entry> parse_ofac(std::string_view sdn, const std::string& name, std::string_view alt,
                              const std::string& alt_name, std::string_view add, const std::string& add_name);
// BIS Denied Persons List, tab-separated.
std::vector<Entry> parse_dpl(std::string_view content, const std::string& name);

}  // namespace exportctl::screen::formats
