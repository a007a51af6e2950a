#pragma once
// Internal to the rules component: hand-off from the YAML loader to the
// CountryGroups tables.

#include <string>
#include <vector>

#include "rules/rules.h"

namespace exportctl::rules {

struct CountryGroupsData {
  std::string rule_id;
  Date snapshot;
  std::vector<CountryGroups::Group> groups;
  std::vector<std::vector<std::string>> members;  // by group, as of the snapshot
  std::vector<CountryGroups::Change> changes;
  std::vector<CountryGroups::TreatAs> treat_as;
  std::vector<std::pair<std::string, std::string>> names;  // extra names -> ISO code
  // Scenario changes, applied over the dated membership from their dates on:
  // one country added or removed, or (replace) a group's whole membership.
  struct Override {
    Date effective;
    std::string group;
    std::string country;  // empty for replace
    bool add = true;
    std::vector<std::string> members;  // replace
    std::string source;                // the scenario's id
  };
  std::vector<Override> overrides;
};

void build_country_groups(CountryGroups& out, CountryGroupsData data);

}  // namespace exportctl::rules
