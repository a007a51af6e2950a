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
};

void build_country_groups(CountryGroups& out, CountryGroupsData data);

}  // namespace exportctl::rules
