// The one-line "why" of a classification, from its trace: the paragraph met,
// or for an item outside 3A090/4A090 each rule version's reason.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "classify/classify.h"

namespace exportctl::classify {

using rules::Tri;

std::string format_number(double v) {
  char buf[64];
  if (std::fabs(v - std::round(v)) < 1e-9) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

namespace {

std::string value_text(const rules::TraceValue& v) {
  return v.kind == rules::Value::Kind::Number ? format_number(v.number) : v.str();
}

// The operator that holds when `op` does not.
std::string negated(const std::string& op) {
  if (op == ">=") return "<";
  if (op == ">") return "<=";
  if (op == "<") return ">=";
  if (op == "<=") return ">";
  if (op == "==") return "!=";
  if (op == "!=") return "==";
  return "not " + op;
}

std::string held(const rules::Comparison& c) {
  if (c.op == "is") return c.left + " is " + c.right;
  if (c.op == "in") return c.left + " " + value_text(c.left_value) + " in " + c.right;
  return c.left + " " + value_text(c.left_value) + " " + c.op + " " + value_text(c.right_value);
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

// For each input, the threshold it missed by the least: the lowest lower
// bound not reached, or the highest upper bound exceeded; other false tests
// as they stand.
std::vector<std::string> nearest_misses(const std::vector<const rules::Comparison*>& misses) {
  std::map<std::string, const rules::Comparison*> lower, upper;
  std::vector<std::string> order, out, other;  // inputs in the order the trace names them
  for (const auto* c : misses) {
    const bool numeric =
        c->left_value.kind == rules::Value::Kind::Number && c->right_value.kind == rules::Value::Kind::Number;
    if (numeric && std::find(order.begin(), order.end(), c->left) == order.end()) order.push_back(c->left);
    if (numeric && (c->op == ">=" || c->op == ">")) {
      auto& best = lower[c->left];
      if (!best || c->right_value.number < best->right_value.number) best = c;
    } else if (numeric && (c->op == "<" || c->op == "<=")) {
      auto& best = upper[c->left];
      if (!best || c->right_value.number > best->right_value.number) best = c;
    } else {
      const std::string d = describe_miss(*c);
      if (std::find(other.begin(), other.end(), d) == other.end()) other.push_back(d);
    }
  }
  for (const auto& input : order) {
    if (const auto it = lower.find(input); it != lower.end()) out.push_back(describe_miss(*it->second));
    if (const auto it = upper.find(input); it != upper.end()) out.push_back(describe_miss(*it->second));
  }
  out.insert(out.end(), other.begin(), other.end());
  return out;
}

}  // namespace

std::string describe_miss(const rules::Comparison& c) {
  if (c.op == "is") return c.left + " is " + (c.right == "true" ? "false" : "true");
  if (c.op == "in") return c.left + " " + value_text(c.left_value) + " not in " + c.right;
  return c.left + " " + value_text(c.left_value) + " " + negated(c.op) + " " + value_text(c.right_value);
}

std::string why(const Classification& c) {
  if (!c.determined) {
    std::vector<std::string> needs;
    for (const auto& n : c.needed) needs.push_back(n.input + " (" + n.provision + ": " + n.test + ")");
    return "undetermined: needs " + join(needs, ", ");
  }
  if (c.rules_in_force.empty() && c.trace.empty()) {
    if (c.next_rule)
      return "no 3A090/4A090 rule in force on " + c.date.str() + "; the first, " + c.next_rule->id + " (" +
             c.next_rule->citation.short_text() + "), applies from " + c.next_rule->effective_from.str();
    return "no 3A090/4A090 rule in force on " + c.date.str();
  }
  if (!c.paragraph.empty()) {
    std::vector<std::string> reasons;
    for (const auto& s : c.trace)
      if (s.provision == c.deciding_provision)
        for (const auto& cmp : s.comparisons)
          if (cmp.result == Tri::True) reasons.push_back(held(cmp));
    return c.paragraph + (reasons.empty() ? "" : ": " + join(reasons, ", "));
  }
  if (c.trace.empty()) return c.excluded_by ? "excluded by " + c.excluded_by->title : "no paragraph met";
  // One clause per rule version, in trace order; versions whose paragraphs
  // were tested come before versions that excluded the item.
  std::vector<std::string> tested, excluded;
  for (std::size_t i = 0; i < c.trace.size();) {
    const rules::RuleVersion* version = c.trace[i].rule;
    const Step* exclusion = nullptr;
    std::vector<const rules::Comparison*> misses;
    bool any_paragraph = false, ic_only = false;
    for (; i < c.trace.size() && c.trace[i].rule == version; ++i) {
      const Step& s = c.trace[i];
      if (s.role == "exclusion" && s.result == Tri::True && !exclusion) exclusion = &s;
      if (s.role != "paragraph") continue;
      if (!s.note.empty()) {
        ic_only = true;
        continue;
      }
      any_paragraph = true;
      for (const auto& cmp : s.comparisons)
        if (cmp.result == Tri::False) misses.push_back(&cmp);
    }
    if (exclusion) {
      std::vector<std::string> held_tests;
      for (const auto& cmp : exclusion->comparisons)
        if (cmp.result == Tri::True) held_tests.push_back(held(cmp));
      excluded.push_back(version->id + ": excluded by " + exclusion->provision->title +
                         (held_tests.empty() ? "" : " (" + join(held_tests, ", ") + ")"));
    } else if (any_paragraph) {
      tested.push_back("no " + version->id + " paragraph met (" + join(nearest_misses(misses), ", ") + ")");
    } else if (ic_only) {
      tested.push_back(version->id + ": its paragraphs apply to integrated circuits only");
    }
  }
  tested.insert(tested.end(), excluded.begin(), excluded.end());
  return join(tested, "; ");
}

}  // namespace exportctl::classify
