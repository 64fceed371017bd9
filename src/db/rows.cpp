#include "db/rows.hpp"

#include <charconv>

namespace fruitpak::db {

bool Row::is_null(std::size_t column) const { return !rows_->cell(index_, column).has_value(); }

std::optional<std::string_view> Row::text(std::size_t column) const {
  const auto& cell = rows_->cell(index_, column);
  if (!cell) return std::nullopt;
  return std::string_view(*cell);
}

std::string Row::string(std::size_t column) const {
  auto t = text(column);
  return t ? std::string(*t) : std::string();
}

std::optional<std::string> Row::optional_string(std::size_t column) const {
  auto t = text(column);
  if (!t) return std::nullopt;
  return std::string(*t);
}

std::int64_t Row::int64(std::size_t column) const { return optional_int64(column).value_or(0); }

std::optional<std::int64_t> Row::optional_int64(std::size_t column) const {
  auto t = text(column);
  if (!t) return std::nullopt;
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(t->data(), t->data() + t->size(), v);
  if (ec != std::errc{}) {
    // SQLite may hand back a REAL for an integer expression such as SUM over decimals.
    return static_cast<std::int64_t>(std::stod(std::string(*t)));
  }
  return v;
}

double Row::number(std::size_t column) const { return optional_number(column).value_or(0.0); }

std::optional<double> Row::optional_number(std::size_t column) const {
  auto t = text(column);
  if (!t) return std::nullopt;
  double v = 0;
  auto [ptr, ec] = std::from_chars(t->data(), t->data() + t->size(), v);
  if (ec != std::errc{}) return std::nullopt;
  return v;
}

bool Row::boolean(std::size_t column) const {
  auto t = text(column);
  if (!t || t->empty()) return false;
  return (*t)[0] == 't' || (*t)[0] == '1' || (*t)[0] == 'T';
}

std::optional<std::string> Row::date(std::size_t column) const {
  auto value = optional_string(column);
  if (value && value->size() > 10) value->resize(10);
  return value;
}

std::optional<std::string> Row::timestamp(std::size_t column) const {
  auto t = text(column);
  if (!t) return std::nullopt;
  std::string s(*t);
  if (s.size() > 10 && s[10] == ' ') s[10] = 'T';
  // Python's isoformat, which the original's clients read: six fraction digits, or none on
  // a whole second. PostgreSQL drops trailing zeros ("...:22.1234", "...:22"); SQLite gives
  // back the text we stored (always six digits). Both engines read the same.
  if (auto dot = s.find('.', 19); dot != std::string::npos && s.size() - dot - 1 < 6) s.append(6 - (s.size() - dot - 1), '0');
  if (s.size() == 26 && s.compare(19, 7, ".000000") == 0) s.resize(19);
  return s;
}

}  // namespace fruitpak::db
