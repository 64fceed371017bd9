#include "http/request_id.hpp"

#include <algorithm>
#include <cstdint>
#include <random>

namespace fruitpak::http {
namespace {

bool is_sane(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c == '.';
  });
}

}  // namespace

std::string request_id_for(std::string_view client_value) {
  if (is_sane(client_value)) return std::string(client_value);
  // Not security-sensitive: ids only correlate log lines.
  thread_local std::mt19937_64 engine{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  for (int half = 0; half < 2; ++half) {
    std::uint64_t bits = engine();
    for (int i = 0; i < 16; ++i, bits >>= 4) id[half * 16 + i] = kHex[bits & 0xf];
  }
  return id;
}

}  // namespace fruitpak::http
