#pragma once
// Builders for the JSON Schemas (2020-12) that document routes in /openapi.json (issue 9).
// A *_api.cpp declares its DTO schemas next to its routes, at registration:
//
//   router.add_schema("Grower", oas::record({{"id", oas::str()},
//                                            {"email", oas::nullable(oas::str())}}));
//   guard.add(router, {.method = ..., .path = "/api/growers/", ...,
//                      .query = page_params(),              // api/input.hpp, next to read_page
//                      .body = "GrowerCreate",              // a component name, or an inline schema
//                      .responses = {{201, "Grower"}}}, handler);
//
// Response schemas are closed records (every property listed is always sent, and no other):
// tests/http/openapi_httptest.cpp validates real responses against them, so a serializer
// and its schema cannot disagree in either direction. Request bodies are open, since
// unknown keys are ignored, and list only the keys that must be sent as required.

#include "http/router.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace fruitpak::api::oas {

using Schema = boost::json::value;
using Property = std::pair<std::string_view, Schema>;

// A string; max_length/min_length in characters, 0 = unbounded.
Schema str(std::size_t max_length = 0, std::size_t min_length = 0);
// One of the given strings.
Schema one_of(std::initializer_list<std::string_view> values);
Schema integer(std::optional<std::int64_t> minimum = {}, std::optional<std::int64_t> maximum = {});
Schema number(std::optional<double> minimum = {}, std::optional<double> maximum = {});
Schema boolean();
Schema date();       // "YYYY-MM-DD"
Schema date_time();  // an RFC 3339 timestamp
Schema any();        // any JSON value (stored JSON documents)
Schema any_object(); // any JSON object
// `schema` or null.
Schema nullable(Schema schema);
// `schema` with further JSON Schema keywords the builders above lack (pattern, minItems,
// default, description, ...), e.g. with(array(str()), {{"minItems", 1}}).
Schema with(Schema schema, const boost::json::object& keywords);
Schema array(Schema items);
// The component `name` ("#/components/schemas/<name>").
Schema ref(std::string_view name);
// A response object: every property is always present (but those named in `sometimes`),
// no other property appears.
Schema record(std::initializer_list<Property> properties, std::initializer_list<std::string_view> sometimes = {});
// `record` with further always-present properties (e.g. a detail view of a summary).
Schema extend(Schema record, std::initializer_list<Property> more);
// A request body object: `required` keys must be sent; other keys are optional and keys not
// listed are ignored by the handler.
Schema input(std::initializer_list<Property> properties, std::initializer_list<std::string_view> required = {});
// The pagination envelope {"items": [<item>...], "total", "limit", "offset"} (contract 1.5).
Schema page_of(std::string_view item_component);

// `a` followed by `b` (e.g. the page parameters and a route's filters).
std::vector<http::ParamDoc> params(std::vector<http::ParamDoc> a, std::vector<http::ParamDoc> b);

}  // namespace fruitpak::api::oas
