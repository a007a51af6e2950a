#include "core/csv.h"

#include "core/error.h"

namespace exportctl {

CsvReader::CsvReader(std::istream& in, std::string source_name, char delimiter)
    : in_(in), source_(std::move(source_name)), delimiter_(delimiter) {
  if (!read_record(header_)) throw InputError(source_, "empty file: a header row is required");
  if (!header_.empty() && header_[0].rfind("\xEF\xBB\xBF", 0) == 0) header_[0].erase(0, 3);
  for (std::size_t i = 0; i < header_.size(); ++i) index_.emplace(header_[i], i);
}

std::optional<std::size_t> CsvReader::column(std::string_view name) const {
  const auto it = index_.find(std::string(name));
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

std::size_t CsvReader::require_column(std::string_view name) const {
  if (auto c = column(name)) return *c;
  throw InputError(location(source_, 1), "missing column '" + std::string(name) + "'");
}

bool CsvReader::next(std::vector<std::string>& fields) {
  while (read_record(fields)) {
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    if (fields.size() != header_.size()) {
      throw InputError(location(source_, record_line_), "row has " + std::to_string(fields.size()) +
                                                            " fields, header has " +
                                                            std::to_string(header_.size()));
    }
    return true;
  }
  return false;
}

bool CsvReader::read_record(std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  bool in_quotes = false;
  bool any = false;
  record_line_ = current_line_;
  for (int ch = in_.get(); ch != std::char_traits<char>::eof(); ch = in_.get()) {
    any = true;
    const char c = static_cast<char>(ch);
    if (in_quotes) {
      if (c == '"') {
        if (in_.peek() == '"') {
          in_.get();
          field.push_back('"');
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++current_line_;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && field.empty()) {
      in_quotes = true;
    } else if (c == delimiter_) {
      fields.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      ++current_line_;
      if (!field.empty() && field.back() == '\r') field.pop_back();
      fields.push_back(std::move(field));
      return true;
    } else {
      field.push_back(c);
    }
  }
  if (in_quotes) throw InputError(location(source_, record_line_), "unterminated quoted field");
  if (!any) return false;
  if (!field.empty() && field.back() == '\r') field.pop_back();
  fields.push_back(std::move(field));
  return true;
}

std::string csv_escape(std::string_view field) {
  if (field.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace exportctl
