#include "core/json.h"

#include <algorithm>

#include "core/error.h"
#include "core/utf8.h"

namespace exportctl {

namespace {

int line_of(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n'));
}

struct TooDeep {};

// Escapes like nlohmann's serializer (ensure_ascii off): the two-letter
// escapes, other control bytes as \u00xx, everything else as is; an invalid
// byte becomes U+FFFD.
void write_string(std::string& out, const std::string& text) {
  out.push_back('"');
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = s[i];
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      if (const std::size_t len = utf8_sequence_length(text, i)) {
        i += len;
        continue;
      }
    }
    out.append(text, run, i - run);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          static constexpr char hex[] = "0123456789abcdef";
          out += "\\u00";
          out.push_back(hex[c >> 4]);
          out.push_back(hex[c & 15]);
        } else {
          out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
        }
    }
    run = ++i;
  }
  out.append(text, run, n - run);
  out.push_back('"');
}

void write_compact(std::string& out, const nlohmann::json& v) {
  using T = nlohmann::json::value_t;
  switch (v.type()) {
    case T::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, item] : v.get_ref<const nlohmann::json::object_t&>()) {
        if (!first) out.push_back(',');
        first = false;
        write_string(out, key);
        out.push_back(':');
        write_compact(out, item);
      }
      out.push_back('}');
      return;
    }
    case T::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : v.get_ref<const nlohmann::json::array_t&>()) {
        if (!first) out.push_back(',');
        first = false;
        write_compact(out, item);
      }
      out.push_back(']');
      return;
    }
    case T::string:
      write_string(out, v.get_ref<const std::string&>());
      return;
    case T::boolean:
      out += v.get<bool>() ? "true" : "false";
      return;
    case T::number_integer:
      out += std::to_string(v.get<std::int64_t>());
      return;
    case T::number_unsigned:
      out += std::to_string(v.get<std::uint64_t>());
      return;
    default:  // floats (nlohmann's shortest round-trip form), binary, null, discarded
      out += v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      return;
  }
}

}  // namespace

std::string dump_json(const nlohmann::json& value, int indent) {
  if (indent >= 0) return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
  // The compact form is written here: on the server's path nlohmann's
  // byte-at-a-time UTF-8 check dominated the cost of an answer.
  std::string out;
  out.reserve(256);
  write_compact(out, value);
  return out;
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
