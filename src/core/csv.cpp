#include "core/csv.h"

#include "core/error.h"

namespace exportctl {

CsvReader::CsvReader(std::istream& in, std::string source_name, char delimiter)
    : in_(in), source_(std::move(source_name)), delimiter_(delimiter) {
  if (!read_record(header_)) throw InputError(source_, "empty file: a header row is required");
  if (!header_.empty() && header_[0].rfind("\xEF\xBB\xBF", 0) == 0) header_[0].erase(0, 3);
  for (std::size_t i = 0; i < header_.size(); ++i) index_.emplace(header_[i], i);
}

CsvReader::CsvReader(std::istream& in, std::string source_name, std::vector<std::string> header,
                     int first_line, char delimiter)
    : in_(in),
      source_(std::move(source_name)),
      delimiter_(delimiter),
      current_line_(first_line),
      header_(std::move(header)) {
  for (std::size_t i = 0; i < header_.size(); ++i) index_.emplace(header_[i], i);
}

std::size_t csv_record_boundary(std::string_view text, std::vector<std::size_t>* starts) {
  bool in_quotes = false;
  std::size_t end = 0;
  if (starts && !text.empty()) starts->push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      in_quotes = !in_quotes;  // a doubled quote toggles twice: no net change
    } else if (c == '\n' && !in_quotes) {
      end = i + 1;
      if (starts && end < text.size()) starts->push_back(end);
    }
  }
  if (starts)
    while (!starts->empty() && starts->back() >= end) starts->pop_back();
  return end;
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
  // Reads straight from the stream buffer and reuses the field strings'
  // capacity: this loop is the whole cost of reading a million-row batch.
  std::streambuf* buf = in_.rdbuf();
  constexpr int eof = std::char_traits<char>::eof();
  std::size_t n = 0;
  auto next_field = [&]() -> std::string& {
    if (n == fields.size()) fields.emplace_back();
    std::string& f = fields[n++];
    f.clear();
    return f;
  };
  std::string* field = &next_field();
  bool in_quotes = false;
  bool any = false;
  record_line_ = current_line_;
  for (int ch = buf->sbumpc(); ch != eof; ch = buf->sbumpc()) {
    any = true;
    const char c = static_cast<char>(ch);
    if (in_quotes) {
      if (c == '"') {
        if (buf->sgetc() == '"') {
          buf->sbumpc();
          field->push_back('"');
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++current_line_;
        field->push_back(c);
      }
      continue;
    }
    if (c == '"' && field->empty()) {
      in_quotes = true;
    } else if (c == delimiter_) {
      field = &next_field();
    } else if (c == '\n') {
      ++current_line_;
      if (!field->empty() && field->back() == '\r') field->pop_back();
      fields.resize(n);
      return true;
    } else {
      field->push_back(c);
    }
  }
  if (in_quotes) throw InputError(location(source_, record_line_), "unterminated quoted field");
  fields.resize(n);
  if (!any) {
    fields.clear();
    in_.setstate(std::ios::eofbit);
    return false;
  }
  if (!field->empty() && field->back() == '\r') field->pop_back();
  in_.setstate(std::ios::eofbit);
  return true;
}

CsvTextReader::CsvTextReader(std::string_view text, std::string source_name, std::size_t columns,
                             int first_line, char delimiter)
    : text_(text),
      source_(std::move(source_name)),
      columns_(columns),
      delimiter_(delimiter),
      current_line_(first_line) {}

bool CsvTextReader::next(std::vector<std::string>& fields) {
  while (read_record(fields)) {
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    if (fields.size() != columns_)
      throw InputError(
          location(source_, record_line_),
          "row has " + std::to_string(fields.size()) + " fields, header has " + std::to_string(columns_));
    return true;
  }
  return false;
}

bool CsvTextReader::read_record(std::vector<std::string>& fields) {
  const std::size_t end = text_.size();
  if (pos_ >= end) {
    fields.clear();
    return false;
  }
  record_line_ = current_line_;
  const char* data = text_.data();
  std::size_t n = 0;
  for (;;) {
    if (n == fields.size()) fields.emplace_back();
    std::string& field = fields[n++];
    field.clear();
    if (pos_ < end && data[pos_] == '"') {  // quoted: "" is a quote, newlines are kept
      ++pos_;
      for (;;) {
        if (pos_ >= end) throw InputError(location(source_, record_line_), "unterminated quoted field");
        const char c = data[pos_++];
        if (c == '"') {
          if (pos_ < end && data[pos_] == '"') {
            field.push_back('"');
            ++pos_;
            continue;
          }
          break;
        }
        if (c == '\n') ++current_line_;
        field.push_back(c);
      }
    }
    // Unquoted text (or what follows a closing quote) up to the delimiter or the line's end.
    std::size_t stop = pos_;
    while (stop < end && data[stop] != delimiter_ && data[stop] != '\n') ++stop;
    field.append(data + pos_, stop - pos_);
    pos_ = stop;
    if (pos_ < end && data[pos_] == delimiter_) {
      ++pos_;
      continue;
    }
    // End of the record: a newline or the end of the text.
    if (!field.empty() && field.back() == '\r') field.pop_back();
    if (pos_ < end) {
      ++pos_;
      ++current_line_;
    }
    fields.resize(n);
    return true;
  }
}

void csv_append(std::string& out, std::string_view field) {
  bool plain = true;
  for (char c : field) plain = plain && c != ',' && c != '"' && c != '\n' && c != '\r';
  if (plain) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

std::string csv_escape(std::string_view field) {
  std::string out;
  csv_append(out, field);
  return out;
}

}  // namespace exportctl
