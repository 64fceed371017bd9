#pragma once
// Reading validated request input the way the original's pydantic models do (contract
// section 1.4, decisions D1 and D10): every problem of a request is collected, each with
// pydantic v2's loc, msg and type, and the handler answers them all in one 422:
//
//   BodyReader in(body);
//   auto name = in.required_string("name", 255);
//   auto code = in.optional_code("grower_code", 50);
//   if (!in.ok()) return http::validation_error_response(in.errors());
//
// Numbers are read leniently, as pydantic's lax mode does: numeric strings are accepted.

#include "domain/page.hpp"
#include "http/errors.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

#include <boost/json/fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fruitpak::api {

// Reads the fields of one JSON body. A field with a problem adds an error with loc
// ["body", field] and yields an empty value; use values only when ok(). Fields that are not
// read are ignored, as the original ignores unknown keys. Lengths are in characters (code
// points), as Python counts them. Keeps a reference to `body`; one per request, not shared.
class BodyReader {
 public:
  explicit BodyReader(const boost::json::object& body);
  // For an object nested in a body: errors are located under `location` instead of
  // ["body"], e.g. {"body", "lots", "0"} gives ["body", "lots", "0", field].
  BodyReader(const boost::json::object& body, std::vector<std::string> location);

  // A string of min_length..max_length characters. Absent: "missing"; null or not a string:
  // "string_type" (numbers are not turned into strings, as in pydantic).
  std::string required_string(std::string_view field, std::size_t max_length,
                              std::size_t min_length = 1);
  // Absent or null -> nullopt; "" is kept.
  std::optional<std::string> optional_string(std::string_view field, std::size_t max_length);
  // For optional codes, ids and dates sent as text: "" also -> nullopt (D10).
  std::optional<std::string> optional_code(std::string_view field, std::size_t max_length);
  // An optional calendar date written YYYY-MM-DD ("" means null, D10): not a string is
  // "date_type", any other text "date_parsing".
  std::optional<std::string> optional_date(std::string_view field);
  // The same, required: absent, null or "" is "missing".
  std::string required_date(std::string_view field);
  // A currency code: default `fallback` when absent, else exactly three letters.
  std::string currency(std::string_view field, std::string_view fallback);
  // An EmailStr, returned normalized (domain::normalize_email); "value_error" if invalid.
  std::string required_email(std::string_view field);
  // Absent or null -> nullopt. Accepts integers, numbers without a fraction (12.0) and numeric
  // strings ("12", " 12 ", "12.0"); refuses booleans, unlike pydantic, since a boolean sent for
  // a count is always a client bug. Requires: min <= max.
  std::optional<std::int64_t> optional_int(std::string_view field, std::int64_t min,
                                           std::int64_t max);
  // Absent or null -> nullopt. Accepts numbers and numeric strings; refuses booleans,
  // infinities and NaN. Requires: min <= max.
  std::optional<double> optional_number(std::string_view field, double min, double max);
  // Absent or null -> nullopt. Accepts true/false, 0/1 and pydantic's strings ("yes", "off",
  // "true", "0", ...; any case).
  std::optional<bool> optional_bool(std::string_view field);
  // A JSON object (pydantic `dict`), returned as its JSON text; null or absent: nothing.
  std::optional<std::string> optional_object_json(std::string_view field);
  // Absent or null -> nullopt. Item errors have loc ["body", field, "<index>"].
  std::optional<std::vector<std::string>> optional_string_list(std::string_view field,
                                                               std::size_t max_items,
                                                               std::size_t max_length);

  // For rules across fields or model-level checks, e.g. ({"body"}, "Value error, ...",
  // "value_error").
  void add_error(std::vector<std::string> loc, std::string msg, std::string type);

  // Where errors of `field` are located: [location..., field] (["body", field] by default)
  // and, for an item of a list field, its index after that.
  std::vector<std::string> loc_of(std::string_view field, std::string item = {}) const;

  bool ok() const { return errors_.empty(); }
  const std::vector<http::FieldError>& errors() const { return errors_; }

 private:
  const boost::json::value* find(std::string_view field) const;
  std::optional<std::string> read_string(std::string_view field, const boost::json::value& value,
                                         std::size_t min_length, std::size_t max_length);

  const boost::json::object& body_;
  std::vector<std::string> location_{"body"};
  std::vector<http::FieldError> errors_;
};

// `limit` (default 50, 1..100) and `offset` (default 0, >= 0) of a list query (section 1.5,
// D9), with loc ["query", name]. Appends to `errors`; the result holds defaults for fields
// with errors. As in FastAPI, the last of repeated parameters wins.
domain::PageRequest read_page(const http::Request& req, std::vector<http::FieldError>& errors);
// The documentation of the parameters read_page reads (RouteSpec::query, OpenAPI).
std::vector<http::ParamDoc> page_params();

// An optional YYYY-MM-DD query parameter: absent or "" -> nullopt; anything else but a
// calendar date -> "date_parsing" appended to `errors` and nullopt.
std::optional<std::string> read_query_date(const http::Request& req, std::string_view name,
                                           std::vector<http::FieldError>& errors);

// An optional bool query parameter as FastAPI reads one (pydantic's words: 1/0, on/off,
// t/f, true/false, y/n, yes/no; the last one wins): absent -> `otherwise`; another word ->
// "bool_parsing" appended to `errors` and `otherwise`.
bool read_query_bool(const http::Request& req, std::string_view name, bool otherwise,
                     std::vector<http::FieldError>& errors);

// An optional text query parameter: absent or "" -> nullopt (D10); longer than max_length
// characters -> "string_too_long" appended to `errors` and nullopt.
std::optional<std::string> read_query_string(const http::Request& req, std::string_view name,
                                             std::size_t max_length,
                                             std::vector<http::FieldError>& errors);

}  // namespace fruitpak::api
