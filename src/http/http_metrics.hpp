#pragma once
// Per-route HTTP request counters and latency histograms for /metrics (issue 9):
// requests by route template, method and status class, and a latency histogram by route
// template and method. Requests that matched no route (404 before routing, 405, 400 for a
// malformed target, CORS preflights) count under route "unmatched", so the number of series
// is bounded by the number of declared routes, never by what clients send. Safe for
// concurrent use: entries are created once under a lock and then only updated atomically.

#include "util/histogram.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>

namespace fruitpak::http {

class HttpMetrics {
 public:
  static constexpr std::string_view kUnmatched = "unmatched";
  // Status classes "1xx" .. "5xx"; anything outside 100..599 counts as "5xx".
  static constexpr std::array<std::string_view, 5> kStatusClasses{"1xx", "2xx", "3xx", "4xx", "5xx"};

  // One route template and method.
  struct Entry {
    std::array<std::atomic<std::uint64_t>, 5> by_class{};  // indexed like kStatusClasses
    util::LatencyHistogram latency;
  };

  // Records one answered request. An empty `route` means "unmatched".
  void observe(std::string_view route, std::string_view method, unsigned status,
               std::chrono::steady_clock::duration elapsed);

  // Visits every (route, method) entry in order; `visit` must not call observe().
  void for_each(const std::function<void(const std::string& route, const std::string& method,
                                         const Entry& entry)>& visit) const;

  static std::size_t class_index(unsigned status);

 private:
  mutable std::shared_mutex mutex_;
  // Compares (route, method) as string views, so a lookup needs no allocation.
  struct KeyLess {
    using is_transparent = void;
    using View = std::pair<std::string_view, std::string_view>;
    bool operator()(View a, View b) const { return a < b; }
  };
  std::map<std::pair<std::string, std::string>, std::unique_ptr<Entry>, KeyLess> entries_;
};

}  // namespace fruitpak::http
