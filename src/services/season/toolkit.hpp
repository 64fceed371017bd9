#pragma once
// Shared pieces of the season generators (services/season_generator.hpp): a portable seeded
// random source, deterministic ids, calendar helpers, chunked table rows and the writer that
// sends them to the database. Internal to services; nothing here is thread-safe.

#include "db/code_counter.hpp"
#include "db/connection.hpp"
#include "domain/account.hpp"
#include "services/season_generator.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fruitpak::services::season {

// Random numbers that are the same on every platform and standard library for a seed
// (std::uniform_*_distribution are implementation-defined, so they are not used).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  std::uint64_t bits() { return engine_(); }
  std::uint64_t below(std::uint64_t n);               // [0, n); requires n > 0
  std::int64_t between(std::int64_t lo, std::int64_t hi);  // [lo, hi]
  double unit();                                     // [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * unit(); }
  double normal(double mean, double sd);
  bool chance(double p) { return unit() < p; }
  // An index drawn with probability proportional to its weight; requires a positive sum.
  std::size_t weighted(std::span<const double> weights);
  template <class C>
  const auto& pick(const C& items) {
    return items[below(items.size())];
  }

 private:
  std::mt19937_64 engine_;
};

// 64-bit FNV-1a, for deriving seeds and id prefixes from text.
std::uint64_t fnv1a(std::string_view text, std::uint64_t basis = 14695981039346656037ull);

// Ids shaped like UUID4 strings ("xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx") but minted in
// increasing order: 8 hex digits of prefix (from tenant, seed and table), 7 of counter, then
// random digits. Ordered ids append at one end of the primary-key index, where random ones
// would each land on a random leaf of a million-row index.
class IdSequence {
 public:
  IdSequence(const domain::TenantId& tenant, std::uint64_t seed, std::string_view table);
  std::string next();

 private:
  std::uint32_t prefix_;
  std::uint64_t counter_ = 0;
  Rng rng_;
};

using Day = std::chrono::sys_days;
using Moment = std::chrono::sys_seconds;  // a generated event time, whole seconds (UTC)

std::optional<Day> parse_day(std::string_view text);  // "YYYY-MM-DD"
std::string iso_day(Day day);                         // "2026-11-24"
std::string compact_day(Day day);                     // "20261124", the code counters' day
// Naive-UTC ISO timestamp (util::iso_utc) of a day plus seconds and microseconds.
std::string stamp(Day day, std::int64_t second_of_day, std::int64_t micros = 0);
std::string stamp(Moment moment);
inline Day day_of(Moment moment) { return std::chrono::floor<std::chrono::days>(moment); }
inline Moment at(Day day, std::int64_t second_of_day) { return Moment(day) + std::chrono::seconds(second_of_day); }
unsigned weekday(Day day);  // 0 = Sunday
// `value` rounded to `places` decimals (the nearest double to the decimal number).
inline double round_places(double value, int places) {
  const double scale = std::pow(10.0, places);
  return std::round(value * scale) / scale;
}

// Statement parameters from plain values: integers become int64, text becomes a string,
// an empty optional becomes NULL (db::Param's own conversions are ambiguous for int).
inline db::Param to_param(std::nullptr_t) { return nullptr; }
inline db::Param to_param(bool v) { return v; }
inline db::Param to_param(double v) { return v; }
inline db::Param to_param(const char* v) { return std::string(v); }
inline db::Param to_param(std::string_view v) { return std::string(v); }
inline db::Param to_param(const std::string& v) { return v; }
inline db::Param to_param(std::string&& v) { return std::move(v); }
template <std::integral T>
  requires(!std::same_as<T, bool>)
db::Param to_param(T v) {
  return static_cast<std::int64_t>(v);
}
template <class T>
db::Param to_param(const std::optional<T>& v) {
  if (!v) return nullptr;
  return to_param(*v);
}

// Rows of one table, cut into chunks of at most kSeasonChunkRows rows.
class TableRows {
 public:
  TableRows(std::string table, std::vector<std::string> columns);

  // Appends one row: exactly one value per column, in column order.
  template <class... Values>
  void add(Values&&... values) {
    db::BulkRows& chunk = open_chunk(sizeof...(Values));
    (chunk.values.push_back(to_param(std::forward<Values>(values))), ...);
    ++rows_;
  }
  std::int64_t rows() const { return rows_; }
  std::vector<db::BulkRows>& chunks() { return chunks_; }
  // Forgets the first `n` chunks (written already).
  void drop_front(std::size_t n);

 private:
  db::BulkRows& open_chunk(std::size_t width);

  std::string table_;
  std::vector<std::string> columns_;
  std::vector<db::BulkRows> chunks_;
  std::int64_t rows_ = 0;
};

// Code counters to leave behind: the highest number used per (prefix, day), as
// db/code_counter.cpp keeps them (day "" for lot codes, whose prefix is the batch code).
class CounterRows {
 public:
  void note(std::string prefix, std::string day, std::int64_t value);
  TableRows rows(const domain::TenantId& tenant) const;

 private:
  std::map<std::pair<std::string, std::string>, std::int64_t> last_;
};

// Gives each record a code PREFIX-YYYYMMDD-NNN numbered per day in time order, and notes
// the counters. `when(i)` is record i's creation time.
template <class When, class Assign>
void number_per_day(CounterRows& counters, std::string_view prefix, std::size_t count, When when, Assign assign) {
  std::vector<std::size_t> order(count);
  for (std::size_t i = 0; i < count; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return when(a) < when(b); });
  std::map<Day, std::int64_t> per_day;
  for (std::size_t i : order) {
    const Day day = day_of(when(i));
    const auto number = ++per_day[day];
    assign(i, db::codes::format_code(prefix, compact_day(day), number));
  }
  for (const auto& [day, last] : per_day) counters.note(std::string(prefix), compact_day(day), last);
}

// Sends chunks to the database and reports progress; counts rows per table.
class SeasonWriter {
 public:
  SeasonWriter(db::Lease& tx, SeasonProgress progress, std::int64_t planned)
      : tx_(tx), progress_(std::move(progress)), planned_(planned) {}

  // Writes every chunk of `rows` in order.
  [[nodiscard]] net::awaitable<Result<void>> write(TableRows& rows);
  // Writes the chunks of `rows` that are full and drops them; the last one keeps filling.
  [[nodiscard]] net::awaitable<Result<void>> write_full(TableRows& rows);
  // Writes one chunk and empties its values.
  [[nodiscard]] net::awaitable<Result<void>> write_chunk(db::BulkRows& chunk);
  const SeasonSummary& summary() const { return summary_; }

 private:
  db::Lease& tx_;
  SeasonProgress progress_;
  std::int64_t planned_;
  std::int64_t done_ = 0;
  SeasonSummary summary_;
};

// `total` split over slots in proportion to `weights` (largest remainders, ties to the
// earlier slot), so the parts add up to exactly `total`.
std::vector<std::int64_t> spread(std::int64_t total, std::span<const double> weights);

// `n` of `candidates` drawn without replacement, returned in ascending order (all of them
// when there are fewer).
std::vector<int> choose(Rng& rng, std::vector<int> candidates, std::size_t n);

// A person's name, from South African first names and surnames.
std::string person_name(Rng& rng);
// "+27 82 555 0134"-style mobile number.
std::string phone_number(Rng& rng);

}  // namespace fruitpak::services::season
