#pragma once
// Small mappings every DTO serializer uses: optional -> value or null, stored JSON text ->
// embedded value, string lists -> arrays.

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace fruitpak::json {

// Bumped whenever a DTO's JSON changes shape: part of the default CACHE_VERSION, so cached
// bodies of an older shape are never served by a newer server.
inline constexpr int kSerializerVersion = 1;

template <class T>
boost::json::value nullable(const std::optional<T>& v) {
  if (!v) return nullptr;
  return boost::json::value(*v);
}

// JSON stored as text (quality_assessment, event_data, ...) embedded as a value; text that
// does not parse (never written by us) shows as null rather than failing the response.
inline boost::json::value embedded(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  boost::system::error_code ec;
  auto value = boost::json::parse(*text, ec);
  if (ec) return nullptr;
  return value;
}

inline boost::json::array strings(const std::vector<std::string>& items) {
  boost::json::array out;
  out.reserve(items.size());
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

}  // namespace fruitpak::json
