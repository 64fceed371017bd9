#pragma once
// Statement parameters and results, the same for both engines. Values travel as text (the
// libpq text protocol; SQLite values are converted on read), so one Row API serves both.

#include "util/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace fruitpak::db {

// A bound parameter ($1, $2, ... in SQL text for both engines).
using Param = std::variant<std::nullptr_t, std::int64_t, double, bool, std::string>;
using Params = std::vector<Param>;

// An optional value as a parameter: SQL NULL when empty.
template <class T>
Param nullable(const std::optional<T>& value) {
  if (!value) return nullptr;
  return *value;
}

class Rows;

// One row of a Rows; a view valid while its Rows lives.
class Row {
 public:
  Row(const Rows& rows, std::size_t index) : rows_(&rows), index_(index) {}

  bool is_null(std::size_t column) const;
  // The raw text of a column; nullopt for SQL NULL.
  std::optional<std::string_view> text(std::size_t column) const;
  std::string string(std::size_t column) const;  // "" for NULL
  std::optional<std::string> optional_string(std::size_t column) const;
  std::int64_t int64(std::size_t column) const;  // 0 for NULL
  std::optional<std::int64_t> optional_int64(std::size_t column) const;
  double number(std::size_t column) const;      // 0 for NULL
  std::optional<double> optional_number(std::size_t column) const;
  bool boolean(std::size_t column) const;        // PostgreSQL 't'/'f' and SQLite 1/0
  // A timestamp column as naive-UTC ISO 8601 ("2026-02-12T14:03:22.123456"), whichever
  // engine stored it.
  std::optional<std::string> timestamp(std::size_t column) const;
  // A DATE column as "YYYY-MM-DD", whichever engine stored it (SQLite may hold a
  // timestamp text there); nullopt for NULL.
  std::optional<std::string> date(std::size_t column) const;

 private:
  const Rows* rows_;
  std::size_t index_;
};

// The owned result of one statement.
class Rows {
 public:
  Rows() = default;
  Rows(std::vector<std::string> columns, std::vector<std::optional<std::string>> cells,
       std::int64_t affected)
      : columns_(std::move(columns)), cells_(std::move(cells)), affected_(affected) {}

  std::size_t size() const { return columns_.empty() ? 0 : cells_.size() / columns_.size(); }
  bool empty() const { return size() == 0; }
  Row operator[](std::size_t i) const { return Row(*this, i); }
  Row front() const { return Row(*this, 0); }
  const std::vector<std::string>& columns() const { return columns_; }
  // Rows changed by INSERT/UPDATE/DELETE.
  std::int64_t affected() const { return affected_; }

  const std::optional<std::string>& cell(std::size_t row, std::size_t column) const {
    return cells_[row * columns_.size() + column];
  }

 private:
  std::vector<std::string> columns_;
  std::vector<std::optional<std::string>> cells_;
  std::int64_t affected_ = 0;
};

}  // namespace fruitpak::db
