#pragma once
// A calendar date (proleptic Gregorian, no time zone), the unit in which every
// rule's effective period is stated. Value type; cheap to copy; thread-safe.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace exportctl {

class Date {
 public:
  constexpr Date() = default;

  // Strict ISO-8601 calendar date "YYYY-MM-DD"; nullopt on anything else,
  // including impossible days such as 2023-02-30.
  static std::optional<Date> parse(std::string_view text);
  static Date from_days(std::int32_t days_since_epoch) { return Date(days_since_epoch); }
  static Date from_ymd(int year, unsigned month, unsigned day);
  // Today's date in UTC.
  static Date today();

  std::int32_t days() const { return days_; }
  int year() const;
  std::string str() const;
  Date next_day() const { return Date(days_ + 1); }
  Date prev_day() const { return Date(days_ - 1); }

  auto operator<=>(const Date&) const = default;

 private:
  explicit constexpr Date(std::int32_t days) : days_(days) {}
  std::int32_t days_ = 0;
};

}  // namespace exportctl
