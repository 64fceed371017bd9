#include "services/season/toolkit.hpp"

#include "db/pool.hpp"
#include "util/clock.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <numbers>

namespace fruitpak::services::season {
namespace {

constexpr std::array<std::string_view, 40> kFirstNames{
    "Pieter", "Johan",  "Hendrik", "Willem",  "Anna",    "Marietjie", "Elsabe",  "Sipho",
    "Thabo",  "Lerato", "Nomvula", "Thandi",  "Themba",  "Kagiso",    "Tshepo",  "Lindiwe",
    "Ayanda", "Mpho",   "Zanele",  "Bongani", "Karabo",  "Refilwe",   "Jaco",    "Francois",
    "Riaan",  "Andile", "Nandi",   "Lwazi",   "Gert",    "Koos",      "Sarel",   "Dawid",
    "Susanna", "Charmaine", "Mandla", "Sizwe", "Rethabile", "Hlengiwe", "Danie", "Ilse"};

constexpr std::array<std::string_view, 40> kSurnames{
    "van der Merwe", "Botha",     "Nel",        "du Toit",   "Pretorius", "Venter",   "Coetzee",
    "Visser",        "Mouton",    "le Roux",    "Steyn",     "Malan",     "Joubert",  "Nkosi",
    "Dlamini",       "Mokoena",   "Khumalo",    "Ndlovu",    "Maluleke",  "Baloyi",   "Mathebula",
    "Shabangu",      "Mahlangu",  "Sithole",    "Zulu",      "Mthembu",   "Ngubane",  "Mabuza",
    "Mkhize",        "Marais",    "Engelbrecht", "Kruger",   "Fourie",    "Swanepoel", "Nemavhola",
    "Mashaba",       "Rossouw",   "Olivier",    "Hattingh",  "Jacobs"};

}  // namespace

std::uint64_t Rng::below(std::uint64_t n) {
  // The modulo bias is below n / 2^64: nothing a data generator can notice.
  return bits() % n;
}

std::int64_t Rng::between(std::int64_t lo, std::int64_t hi) {
  return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
}

double Rng::unit() { return static_cast<double>(bits() >> 11) * 0x1.0p-53; }

double Rng::normal(double mean, double sd) {
  const double u1 = 1.0 - unit();  // (0, 1]
  const double u2 = unit();
  return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

std::size_t Rng::weighted(std::span<const double> weights) {
  double sum = 0;
  for (double w : weights) sum += w;
  double target = unit() * sum;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (target < weights[i]) return i;
    target -= weights[i];
  }
  return weights.size() - 1;
}

std::uint64_t fnv1a(std::string_view text, std::uint64_t basis) {
  std::uint64_t hash = basis;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

IdSequence::IdSequence(const domain::TenantId& tenant, std::uint64_t seed, std::string_view table)
    : prefix_(0), rng_(0) {
  const std::uint64_t hash = fnv1a(table, fnv1a(tenant.value(), fnv1a(std::to_string(seed))));
  prefix_ = static_cast<std::uint32_t>(hash >> 32);
  rng_ = Rng(hash);
}

std::string IdSequence::next() {
  const std::uint64_t n = ++counter_;  // 28 bits: 268 million ids per table
  const std::uint64_t random = rng_.bits();
  return fmt::format("{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}", prefix_, (n >> 12) & 0xffff, n & 0xfff,
                     8 + (random >> 62), (random >> 50) & 0xfff, random & 0xffffffffffffull);
}

std::optional<Day> parse_day(std::string_view text) {
  unsigned y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  y = static_cast<unsigned>(std::stoi(std::string(text.substr(0, 4))));
  m = static_cast<unsigned>(std::stoi(std::string(text.substr(5, 2))));
  d = static_cast<unsigned>(std::stoi(std::string(text.substr(8, 2))));
  const std::chrono::year_month_day ymd{std::chrono::year(static_cast<int>(y)), std::chrono::month(m),
                                        std::chrono::day(d)};
  if (!ymd.ok()) return std::nullopt;
  return Day(ymd);
}

std::string iso_day(Day day) {
  const std::chrono::year_month_day ymd(day);
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

std::string compact_day(Day day) {
  const std::chrono::year_month_day ymd(day);
  return fmt::format("{:04}{:02}{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

std::string stamp(Day day, std::int64_t second_of_day, std::int64_t micros) {
  return util::iso_utc(std::chrono::system_clock::time_point(day) + std::chrono::seconds(second_of_day) +
                       std::chrono::microseconds(micros));
}

std::string stamp(Moment moment) { return util::iso_utc(moment); }

unsigned weekday(Day day) { return std::chrono::weekday(day).c_encoding(); }

TableRows::TableRows(std::string table, std::vector<std::string> columns)
    : table_(std::move(table)), columns_(std::move(columns)) {}

db::BulkRows& TableRows::open_chunk(std::size_t width) {
  assert(width == columns_.size());
  (void)width;
  if (chunks_.empty() || static_cast<std::int64_t>(chunks_.back().row_count()) >= kSeasonChunkRows) {
    chunks_.push_back(db::BulkRows{table_, columns_, {}});
    // A table that filled a chunk already is a big one: size the next chunk at once rather
    // than growing it (growing copied every value about twice).
    if (rows_ >= kSeasonChunkRows) {
      chunks_.back().values.reserve(static_cast<std::size_t>(kSeasonChunkRows) * columns_.size());
    }
  }
  return chunks_.back();
}

void TableRows::drop_front(std::size_t n) {
  chunks_.erase(chunks_.begin(), chunks_.begin() + static_cast<std::ptrdiff_t>(std::min(n, chunks_.size())));
}

void CounterRows::note(std::string prefix, std::string day, std::int64_t value) {
  auto& last = last_[{std::move(prefix), std::move(day)}];
  last = std::max(last, value);
}

TableRows CounterRows::rows(const domain::TenantId& tenant) const {
  TableRows rows("code_counters", {"enterprise_id", "prefix", "day", "value"});
  for (const auto& [key, value] : last_) rows.add(tenant.value(), key.first, key.second, value);
  return rows;
}

net::awaitable<Result<void>> SeasonWriter::write(TableRows& rows) {
  for (auto& chunk : rows.chunks()) {
    if (auto written = co_await write_chunk(chunk); !written) co_return written.error();
  }
  co_return Result<void>{};
}

net::awaitable<Result<void>> SeasonWriter::write_full(TableRows& rows) {
  const std::size_t full = rows.chunks().empty() ? 0 : rows.chunks().size() - 1;
  for (std::size_t i = 0; i < full; ++i) {
    if (auto written = co_await write_chunk(rows.chunks()[i]); !written) co_return written.error();
  }
  rows.drop_front(full);
  co_return Result<void>{};
}

net::awaitable<Result<void>> SeasonWriter::write_chunk(db::BulkRows& chunk) {
  const auto count = static_cast<std::int64_t>(chunk.row_count());
  if (count == 0) co_return Result<void>{};
  auto written = co_await tx_.bulk_insert(chunk);
  if (!written) {
    auto error = written.error();
    error.detail = "bulk insert into " + chunk.table + ": " + error.detail;
    co_return error;
  }
  chunk.values.clear();
  summary_.add(chunk.table, count);
  done_ += count;
  if (progress_) progress_(done_, std::max(done_, planned_));
  co_return Result<void>{};
}

std::vector<std::int64_t> spread(std::int64_t total, std::span<const double> weights) {
  double sum = 0;
  for (double w : weights) sum += w;
  std::vector<std::int64_t> parts(weights.size(), 0);
  if (weights.empty() || sum <= 0) return parts;
  std::vector<std::pair<double, std::size_t>> remainders;
  std::int64_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double exact = static_cast<double>(total) * weights[i] / sum;
    parts[i] = static_cast<std::int64_t>(std::floor(exact));
    given += parts[i];
    remainders.emplace_back(exact - static_cast<double>(parts[i]), i);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; given < total; k = (k + 1) % remainders.size(), ++given) ++parts[remainders[k].second];
  return parts;
}

std::vector<int> choose(Rng& rng, std::vector<int> candidates, std::size_t n) {
  n = std::min(n, candidates.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto j = i + static_cast<std::size_t>(rng.below(candidates.size() - i));
    std::swap(candidates[i], candidates[j]);
  }
  candidates.resize(n);
  std::sort(candidates.begin(), candidates.end());
  return candidates;
}

std::string person_name(Rng& rng) {
  return std::string(rng.pick(kFirstNames)) + " " + std::string(rng.pick(kSurnames));
}

std::string phone_number(Rng& rng) {
  static constexpr std::array<int, 8> kPrefixes{60, 71, 72, 76, 79, 82, 83, 84};
  return fmt::format("+27 {} {:03} {:04}", rng.pick(kPrefixes), rng.between(200, 999), rng.between(0, 9999));
}

}  // namespace fruitpak::services::season
