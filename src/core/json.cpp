#include "core/json.h"

#include <algorithm>

#include "core/error.h"

namespace exportctl {

namespace {

int line_of(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n'));
}

struct TooDeep {};

}  // namespace

std::string dump_json(const nlohmann::json& value, int indent) {
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json parse_json(std::string_view text, const std::string& source, int max_depth) {
  try {
    return nlohmann::json::parse(text,
                                 [max_depth](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
                                   if (depth > max_depth) throw TooDeep{};
                                   return true;
                                 });
  } catch (const TooDeep&) {
    throw InputError(source, "JSON nested more than " + std::to_string(max_depth) + " levels deep");
  } catch (const nlohmann::json::parse_error& e) {
    std::string msg = e.what();
    if (auto pos = msg.find("syntax error"); pos != std::string::npos) msg = msg.substr(pos);
    throw InputError(location(source, line_of(text, e.byte > 0 ? e.byte - 1 : 0)), "JSON " + msg);
  } catch (const nlohmann::json::exception& e) {  // e.g. a number out of range (found by screen_lists_fuzz)
    throw InputError(source, std::string("invalid JSON: ") + e.what());
  }
}

}  // namespace exportctl
