#pragma once
// RFC 4180 CSV reading with line numbers, so a bad row can be named precisely.
// Quoted fields may contain commas, quotes ("") and newlines. A header row is
// required; rows are exposed as field vectors plus a column index.

#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace exportctl {

class CsvReader {
 public:
  // `source_name` is used in error messages only.
  CsvReader(std::istream& in, std::string source_name, char delimiter = ',');
  // Continues a file whose header was already read: `in` holds records that
  // start on line `first_line` of `source_name` (used to parse one file's
  // blocks on several threads).
  CsvReader(std::istream& in, std::string source_name, std::vector<std::string> header, int first_line,
            char delimiter = ',');

  const std::vector<std::string>& header() const { return header_; }
  // Column position by header name; nullopt when absent.
  std::optional<std::size_t> column(std::string_view name) const;
  // Throws InputError naming the file when the column is missing.
  std::size_t require_column(std::string_view name) const;

  // Reads the next record into `fields`; false at end of input. Throws
  // InputError on an unterminated quote or a row whose field count differs
  // from the header's.
  bool next(std::vector<std::string>& fields);
  // Line on which the record last returned by next() started (1-based).
  int line() const { return record_line_; }
  const std::string& source() const { return source_; }

 private:
  bool read_record(std::vector<std::string>& fields);

  std::istream& in_;
  std::string source_;
  char delimiter_;
  int current_line_ = 1;
  int record_line_ = 0;
  std::vector<std::string> header_;
  std::unordered_map<std::string, std::size_t> index_;
};

// Reads the records of text already in memory (one block of a file, whole
// records only) by the same rules as CsvReader, without a stream: the batch
// pipeline's parts parse their blocks with it.
class CsvTextReader {
 public:
  // `columns`: the header's field count; `first_line`: the line `text` starts on.
  CsvTextReader(std::string_view text, std::string source_name, std::size_t columns, int first_line,
                char delimiter = ',');
  // As CsvReader::next: false at the end; InputError on an unterminated
  // quote or a field count that differs from the header's (the reader is
  // then past that record).
  bool next(std::vector<std::string>& fields);
  int line() const { return record_line_; }

 private:
  bool read_record(std::vector<std::string>& fields);
  std::string_view text_;
  std::size_t pos_ = 0;
  std::string source_;
  std::size_t columns_;
  char delimiter_;
  int current_line_;
  int record_line_ = 0;
};

// Splits `text` into whole records: returns the offset just past the last
// record ending in `text` (a newline outside quotes), and appends the offsets
// where each record starts to `starts` if given.
std::size_t csv_record_boundary(std::string_view text, std::vector<std::size_t>* starts = nullptr);

// Quotes a field for CSV output when it needs quoting.
std::string csv_escape(std::string_view field);
// Appends `field` to `out`, quoted when needed (no temporary string).
void csv_append(std::string& out, std::string_view field);

}  // namespace exportctl
