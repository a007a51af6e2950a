#include "rules/condition.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <unordered_map>

namespace exportctl::rules {

std::string_view to_string(Tri value) {
  switch (value) {
    case Tri::False:
      return "false";
    case Tri::True:
      return "true";
    case Tri::Unknown:
      return "unknown";
  }
  return "unknown";
}

std::string_view to_string(ValueType type) {
  switch (type) {
    case ValueType::Number:
      return "number";
    case ValueType::Bool:
      return "bool";
    case ValueType::String:
      return "string";
  }
  return "?";
}

TraceValue TraceValue::from(const Value& v) {
  TraceValue t;
  t.kind = v.kind;
  t.number = v.number;
  t.boolean = v.boolean;
  t.text = std::string(v.text);
  return t;
}

std::string TraceValue::str() const {
  switch (kind) {
    case Value::Kind::Unknown:
      return "unknown";
    case Value::Kind::Bool:
      return boolean ? "true" : "false";
    case Value::Kind::String:
      return "\"" + text + "\"";
    case Value::Kind::Number: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.6g", number);
      return buf;
    }
  }
  return "unknown";
}

int Schema::declare(std::string name, ValueType type, std::string description) {
  variables_.push_back({std::move(name), type, std::move(description)});
  return static_cast<int>(variables_.size() - 1);
}

void Schema::declare_set(std::string name, std::string description) {
  sets_.push_back({std::move(name), ValueType::String, std::move(description)});
}

std::optional<int> Schema::slot(std::string_view name) const {
  for (std::size_t i = 0; i < variables_.size(); ++i)
    if (variables_[i].name == name) return static_cast<int>(i);
  return std::nullopt;
}

std::optional<int> Schema::set_index(std::string_view name) const {
  for (std::size_t i = 0; i < sets_.size(); ++i)
    if (sets_[i].name == name) return static_cast<int>(i);
  return std::nullopt;
}

bool Schema::has_set(std::string_view name) const {
  return std::any_of(sets_.begin(), sets_.end(), [&](const auto& s) { return s.name == name; });
}

}  // namespace exportctl::rules
