#pragma once
// The pagination envelope {"items", "total", "limit", "offset"} (contract 1.5), over any
// item mapping.

#include "domain/page.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace fruitpak::json {

template <class T, class ToJson>
boost::json::object page_to_json(const domain::Page<T>& page, ToJson&& item_to_json) {
  boost::json::array items;
  items.reserve(page.items.size());
  for (const auto& item : page.items) items.emplace_back(item_to_json(item));
  return boost::json::object{{"items", std::move(items)},
                             {"total", page.total},
                             {"limit", page.limit},
                             {"offset", page.offset}};
}

}  // namespace fruitpak::json
