#include "api/openapi_schema.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <string>

namespace fruitpak::api::oas {
namespace bj = boost::json;

Schema str(std::size_t max_length, std::size_t min_length) {
  bj::object s{{"type", "string"}};
  if (min_length > 0) s["minLength"] = min_length;
  if (max_length > 0) s["maxLength"] = max_length;
  return s;
}

Schema one_of(std::initializer_list<std::string_view> values) {
  bj::array list;
  for (auto v : values) list.emplace_back(v);
  return bj::object{{"type", "string"}, {"enum", std::move(list)}};
}

Schema integer(std::optional<std::int64_t> minimum, std::optional<std::int64_t> maximum) {
  bj::object s{{"type", "integer"}};
  if (minimum) s["minimum"] = *minimum;
  if (maximum) s["maximum"] = *maximum;
  return s;
}

Schema number(std::optional<double> minimum, std::optional<double> maximum) {
  bj::object s{{"type", "number"}};
  if (minimum) s["minimum"] = *minimum;
  if (maximum) s["maximum"] = *maximum;
  return s;
}

Schema boolean() { return bj::object{{"type", "boolean"}}; }
Schema date() { return bj::object{{"type", "string"}, {"format", "date"}}; }
Schema date_time() { return bj::object{{"type", "string"}, {"format", "date-time"}}; }
Schema any() { return bj::object{}; }
Schema any_object() { return bj::object{{"type", "object"}}; }

Schema nullable(Schema schema) {
  auto& s = schema.as_object();
  // {"type": "string", ...} -> {"type": ["string", "null"], ...}; an enum also lists null.
  if (auto* type = s.if_contains("type"); type && type->is_string()) {
    *type = bj::array{*type, "null"};
    if (auto* values = s.if_contains("enum")) values->as_array().emplace_back(nullptr);
    return schema;
  }
  return bj::object{{"anyOf", bj::array{std::move(schema), bj::object{{"type", "null"}}}}};
}

Schema with(Schema schema, const boost::json::object& keywords) {
  for (const auto& [key, value] : keywords) schema.as_object()[key] = value;
  return schema;
}

Schema array(Schema items) { return bj::object{{"type", "array"}, {"items", std::move(items)}}; }

Schema ref(std::string_view name) { return bj::object{{"$ref", "#/components/schemas/" + std::string(name)}}; }

Schema record(std::initializer_list<Property> properties, std::initializer_list<std::string_view> sometimes) {
  bj::object props;
  bj::array required;
  for (const auto& [name, schema] : properties) {
    props[name] = schema;
    if (std::find(sometimes.begin(), sometimes.end(), name) == sometimes.end()) required.emplace_back(name);
  }
  return bj::object{{"type", "object"},
                    {"properties", std::move(props)},
                    {"required", std::move(required)},
                    {"additionalProperties", false}};
}

Schema extend(Schema record, std::initializer_list<Property> more) {
  auto& o = record.as_object();
  for (const auto& [name, schema] : more) {
    o["properties"].as_object()[name] = schema;
    o["required"].as_array().emplace_back(name);
  }
  return record;
}

Schema input(std::initializer_list<Property> properties, std::initializer_list<std::string_view> required) {
  bj::object props;
  for (const auto& [name, schema] : properties) props[name] = schema;
  bj::object s{{"type", "object"}, {"properties", std::move(props)}};
  if (required.size() > 0) {
    bj::array names;
    for (auto name : required) names.emplace_back(name);
    s["required"] = std::move(names);
  }
  return s;
}

Schema page_of(std::string_view item_component) {
  return record({{"items", array(ref(item_component))},
                 {"total", integer(0)},
                 {"limit", integer(1)},
                 {"offset", integer(0)}});
}

std::vector<http::ParamDoc> params(std::vector<http::ParamDoc> a, std::vector<http::ParamDoc> b) {
  for (auto& p : b) a.push_back(std::move(p));
  return a;
}

}  // namespace fruitpak::api::oas
