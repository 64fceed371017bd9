#include "api/input.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fruitpak::api {
namespace {

using Loc = std::vector<std::string>;

boost::json::object body(std::string_view text) { return boost::json::parse(text).as_object(); }

// The single error a reader collected, checked field by field.
void expect_one_error(const std::vector<http::FieldError>& errors, const Loc& loc,
                      std::string_view msg, std::string_view type) {
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].loc, loc);
  EXPECT_EQ(errors[0].msg, msg);
  EXPECT_EQ(errors[0].type, type);
}

http::Request request_with_query(std::vector<std::pair<std::string, std::string>> params) {
  http::Request req;
  req.query_params = std::move(params);
  return req;
}

TEST(BodyReaderTest, RequiredStringIsReturned) {
  auto b = body(R"({"name": "Cape Citrus"})");
  BodyReader in(b);
  EXPECT_EQ(in.required_string("name", 255), "Cape Citrus");
  EXPECT_TRUE(in.ok());
}

TEST(BodyReaderTest, MissingRequiredFieldIsFieldRequired) {
  auto b = body(R"({})");
  BodyReader in(b);
  EXPECT_EQ(in.required_string("name", 255), "");
  EXPECT_FALSE(in.ok());
  expect_one_error(in.errors(), {"body", "name"}, "Field required", "missing");
}

TEST(BodyReaderTest, NonStringsAreNotValidStrings) {
  for (std::string_view text : {R"({"name": 5})", R"({"name": null})", R"({"name": true})",
                                R"({"name": ["a"]})", R"({"name": {}})"}) {
    auto b = body(text);
    BodyReader in(b);
    in.required_string("name", 255);
    expect_one_error(in.errors(), {"body", "name"}, "Input should be a valid string",
                     "string_type");
  }
}

TEST(BodyReaderTest, StringLengthBoundsUsePydanticMessages) {
  auto b = body(R"({"a": "", "b": "xy", "c": "abcdef", "d": "ab"})");
  BodyReader in(b);
  in.required_string("a", 10);
  in.required_string("b", 10, 3);
  in.required_string("c", 5);
  in.required_string("d", 1);
  const auto& e = in.errors();
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0].msg, "String should have at least 1 character");
  EXPECT_EQ(e[0].type, "string_too_short");
  EXPECT_EQ(e[1].msg, "String should have at least 3 characters");
  EXPECT_EQ(e[2].msg, "String should have at most 5 characters");
  EXPECT_EQ(e[2].type, "string_too_long");
  EXPECT_EQ(e[3].msg, "String should have at most 1 character");
}

TEST(BodyReaderTest, LengthCountsCharactersNotBytes) {
  auto b = body(R"({"name": "Citrusdal Koöp"})");  // 14 characters, 15 bytes
  BodyReader in(b);
  EXPECT_EQ(in.required_string("name", 14), "Citrusdal Koöp");
  EXPECT_TRUE(in.ok());
}

TEST(BodyReaderTest, OptionalStringAbsentOrNullIsNulloptButEmptyIsKept) {
  auto b = body(R"({"region": null, "notes": "", "phone": "021"})");
  BodyReader in(b);
  EXPECT_EQ(in.optional_string("location", 255), std::nullopt);
  EXPECT_EQ(in.optional_string("region", 100), std::nullopt);
  EXPECT_EQ(in.optional_string("notes", 100), "");
  EXPECT_EQ(in.optional_string("phone", 20), "021");
  EXPECT_TRUE(in.ok());
}

TEST(BodyReaderTest, OptionalStringChecksTypeAndLength) {
  auto b = body(R"({"region": 12, "phone": "012345678901234567890"})");
  BodyReader in(b);
  in.optional_string("region", 100);
  in.optional_string("phone", 20);
  ASSERT_EQ(in.errors().size(), 2u);
  EXPECT_EQ(in.errors()[0].type, "string_type");
  EXPECT_EQ(in.errors()[1].msg, "String should have at most 20 characters");
  EXPECT_EQ(in.errors()[1].loc, (Loc{"body", "phone"}));
}

TEST(BodyReaderTest, EmptyOptionalCodeMeansNull) {
  auto b = body(R"({"grower_code": "", "harvest_team_id": null, "variety": "Nadorcott"})");
  BodyReader in(b);
  EXPECT_EQ(in.optional_code("grower_code", 50), std::nullopt);
  EXPECT_EQ(in.optional_code("harvest_team_id", 36), std::nullopt);
  EXPECT_EQ(in.optional_code("packhouse_id", 36), std::nullopt);
  EXPECT_EQ(in.optional_code("variety", 100), "Nadorcott");
  EXPECT_TRUE(in.ok());
}

TEST(BodyReaderTest, OptionalCodeStillChecksTypeAndLength) {
  auto b = body(R"({"grower_code": 7, "harvest_date": "2026-02-12T00:00:00"})");
  BodyReader in(b);
  in.optional_code("grower_code", 50);
  in.optional_code("harvest_date", 10);
  ASSERT_EQ(in.errors().size(), 2u);
  EXPECT_EQ(in.errors()[0].type, "string_type");
  EXPECT_EQ(in.errors()[1].type, "string_too_long");
}

TEST(BodyReaderTest, EmailIsNormalized) {
  auto b = body(R"({"email": " Admin@FruitPak.CO.ZA "})");
  BodyReader in(b);
  EXPECT_EQ(in.required_email("email"), "Admin@fruitpak.co.za");
  EXPECT_TRUE(in.ok());
}

TEST(BodyReaderTest, InvalidEmailIsAValueError) {
  auto b = body(R"({"email": "admin@localhost"})");
  BodyReader in(b);
  EXPECT_EQ(in.required_email("email"), "");
  expect_one_error(in.errors(), {"body", "email"},
                   "value is not a valid email address: The email address is not valid.",
                   "value_error");
}

TEST(BodyReaderTest, OverlongEmailIsAValueErrorNotALengthError) {
  boost::json::object b{{"email", std::string(300, 'a') + "@example.com"}};
  BodyReader in(b);
  in.required_email("email");
  ASSERT_EQ(in.errors().size(), 1u);
  EXPECT_EQ(in.errors()[0].type, "value_error");
}

TEST(BodyReaderTest, EmailMissingOrNotAStringGivesOneError) {
  auto b = body(R"({"other": 42})");
  BodyReader in(b);
  in.required_email("email");
  in.required_email("other");
  ASSERT_EQ(in.errors().size(), 2u);
  EXPECT_EQ(in.errors()[0].type, "missing");
  EXPECT_EQ(in.errors()[1].type, "string_type");
}

TEST(BodyReaderTest, IntegersAreReadLeniently) {
  auto b = body(R"({"a": 12, "b": "12", "c": " 12 ", "d": 12.0, "e": "12.00", "f": "-3",
                    "g": "+4", "h": 1e3})");
  BodyReader in(b);
  EXPECT_EQ(in.optional_int("a", 0, 100), 12);
  EXPECT_EQ(in.optional_int("b", 0, 100), 12);
  EXPECT_EQ(in.optional_int("c", 0, 100), 12);
  EXPECT_EQ(in.optional_int("d", 0, 100), 12);
  EXPECT_EQ(in.optional_int("e", 0, 100), 12);
  EXPECT_EQ(in.optional_int("f", -10, 100), -3);
  EXPECT_EQ(in.optional_int("g", 0, 100), 4);
  EXPECT_EQ(in.optional_int("h", 0, 10000), 1000);
  EXPECT_EQ(in.optional_int("absent", 0, 100), std::nullopt);
  EXPECT_TRUE(in.ok()) << in.errors()[0].msg;
}

TEST(BodyReaderTest, NullIntIsNullopt) {
  auto b = body(R"({"bin_count": null})");
  BodyReader in(b);
  EXPECT_EQ(in.optional_int("bin_count", 0, 100), std::nullopt);
  EXPECT_TRUE(in.ok());
}

TEST(BodyReaderTest, IntegerErrorsUsePydanticTypes) {
  auto b = body(R"({"frac": 12.5, "text": "abc", "textfrac": "12.5", "bool": true,
                    "list": [1], "empty": ""})");
  BodyReader in(b);
  for (auto field : {"frac", "text", "textfrac", "bool", "list", "empty"}) {
    EXPECT_EQ(in.optional_int(field, 0, 100), std::nullopt) << field;
  }
  const auto& e = in.errors();
  ASSERT_EQ(e.size(), 6u);
  EXPECT_EQ(e[0].msg, "Input should be a valid integer, got a number with a fractional part");
  EXPECT_EQ(e[0].type, "int_from_float");
  EXPECT_EQ(e[1].msg, "Input should be a valid integer, unable to parse string as an integer");
  EXPECT_EQ(e[1].type, "int_parsing");
  EXPECT_EQ(e[2].type, "int_parsing");
  EXPECT_EQ(e[3].msg, "Input should be a valid integer");
  EXPECT_EQ(e[3].type, "int_type");
  EXPECT_EQ(e[4].type, "int_type");
  EXPECT_EQ(e[5].type, "int_parsing");
}

TEST(BodyReaderTest, IntegerRangeErrors) {
  auto b = body(R"({"low": -1, "high": 1001, "huge": 99999999999999999999,
                    "hugetext": "99999999999999999999", "tiny": "-99999999999999999999",
                    "bigdouble": 1e300})");
  BodyReader in(b);
  in.optional_int("low", 0, 1000);
  in.optional_int("high", 0, 1000);
  in.optional_int("huge", 0, 1000);
  in.optional_int("hugetext", 0, 1000);
  in.optional_int("tiny", 0, 1000);
  in.optional_int("bigdouble", 0, 1000);
  const auto& e = in.errors();
  ASSERT_EQ(e.size(), 6u);
  EXPECT_EQ(e[0].msg, "Input should be greater than or equal to 0");
  EXPECT_EQ(e[0].type, "greater_than_equal");
  EXPECT_EQ(e[1].msg, "Input should be less than or equal to 1000");
  EXPECT_EQ(e[1].type, "less_than_equal");
  EXPECT_EQ(e[2].type, "less_than_equal");
  EXPECT_EQ(e[3].type, "less_than_equal");
  EXPECT_EQ(e[4].type, "greater_than_equal");
  EXPECT_EQ(e[5].type, "less_than_equal");
}

TEST(BodyReaderTest, IntegerLimitsOfInt64AreExact) {
  auto b = body(R"({"max": "9223372036854775807", "min": "-9223372036854775808",
                    "over": "9223372036854775808"})");
  BodyReader in(b);
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(in.optional_int("max", kMin, kMax), kMax);
  EXPECT_EQ(in.optional_int("min", kMin, kMax), kMin);
  EXPECT_TRUE(in.ok());
  EXPECT_EQ(in.optional_int("over", kMin, kMax), std::nullopt);
  EXPECT_EQ(in.errors().size(), 1u);
}

TEST(BodyReaderTest, NumbersAreReadLeniently) {
  auto b = body(R"({"a": 1.5, "b": "1.5", "c": 3, "d": " -2.25 ", "e": "1e3", "f": "+7"})");
  BodyReader in(b);
  EXPECT_EQ(in.optional_number("a", -10, 10), 1.5);
  EXPECT_EQ(in.optional_number("b", -10, 10), 1.5);
  EXPECT_EQ(in.optional_number("c", -10, 10), 3.0);
  EXPECT_EQ(in.optional_number("d", -10, 10), -2.25);
  EXPECT_EQ(in.optional_number("e", 0, 1e6), 1000.0);
  EXPECT_EQ(in.optional_number("f", 0, 10), 7.0);
  EXPECT_EQ(in.optional_number("absent", 0, 10), std::nullopt);
  EXPECT_TRUE(in.ok());
}

TEST(BodyReaderTest, NumberErrorsUsePydanticTypes) {
  auto b = body(R"({"text": "12kg", "bool": false, "obj": {}, "inf": "inf", "neg": -0.5,
                    "big": 100.5})");
  BodyReader in(b);
  for (auto field : {"text", "bool", "obj", "inf"}) in.optional_number(field, 0, 100);
  in.optional_number("neg", 0, 100);
  in.optional_number("big", 0.5, 100);
  const auto& e = in.errors();
  ASSERT_EQ(e.size(), 6u);
  EXPECT_EQ(e[0].msg, "Input should be a valid number, unable to parse string as a number");
  EXPECT_EQ(e[0].type, "float_parsing");
  EXPECT_EQ(e[1].msg, "Input should be a valid number");
  EXPECT_EQ(e[1].type, "float_type");
  EXPECT_EQ(e[2].type, "float_type");
  EXPECT_EQ(e[3].type, "finite_number");
  EXPECT_EQ(e[4].msg, "Input should be greater than or equal to 0");
  EXPECT_EQ(e[5].msg, "Input should be less than or equal to 100");
}

TEST(BodyReaderTest, FractionalBoundsArePrintedAsNumbers) {
  auto b = body(R"({"brix": 0.1})");
  BodyReader in(b);
  in.optional_number("brix", 0.5, 40);
  expect_one_error(in.errors(), {"body", "brix"}, "Input should be greater than or equal to 0.5",
                   "greater_than_equal");
}

TEST(BodyReaderTest, BooleansAcceptPydanticWords) {
  auto b = body(R"({"a": true, "b": "yes", "c": "OFF", "d": 0, "e": 1, "f": null})");
  BodyReader in(b);
  EXPECT_EQ(in.optional_bool("a"), true);
  EXPECT_EQ(in.optional_bool("b"), true);
  EXPECT_EQ(in.optional_bool("c"), false);
  EXPECT_EQ(in.optional_bool("d"), false);
  EXPECT_EQ(in.optional_bool("e"), true);
  EXPECT_EQ(in.optional_bool("f"), std::nullopt);
  EXPECT_EQ(in.optional_bool("absent"), std::nullopt);
  EXPECT_TRUE(in.ok());
}

TEST(BodyReaderTest, BooleanErrors) {
  auto b = body(R"({"a": "maybe", "b": 2, "c": []})");
  BodyReader in(b);
  in.optional_bool("a");
  in.optional_bool("b");
  in.optional_bool("c");
  const auto& e = in.errors();
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0].msg, "Input should be a valid boolean, unable to interpret input");
  EXPECT_EQ(e[0].type, "bool_parsing");
  EXPECT_EQ(e[1].type, "bool_parsing");
  EXPECT_EQ(e[2].msg, "Input should be a valid boolean");
  EXPECT_EQ(e[2].type, "bool_type");
}

TEST(BodyReaderTest, StringListIsReturned) {
  auto b = body(R"({"tags": ["packaging", "transport"], "none": null, "empty": []})");
  BodyReader in(b);
  EXPECT_EQ(in.optional_string_list("tags", 10, 50),
            (std::vector<std::string>{"packaging", "transport"}));
  EXPECT_EQ(in.optional_string_list("none", 10, 50), std::nullopt);
  EXPECT_EQ(in.optional_string_list("absent", 10, 50), std::nullopt);
  EXPECT_EQ(in.optional_string_list("empty", 10, 50), std::vector<std::string>{});
  EXPECT_TRUE(in.ok());
}

TEST(BodyReaderTest, StringListErrors) {
  auto b = body(R"({"a": "packaging", "b": ["ok", 3, "toolong"], "c": ["x", "y", "z"]})");
  BodyReader in(b);
  EXPECT_EQ(in.optional_string_list("a", 10, 5), std::nullopt);
  EXPECT_EQ(in.optional_string_list("b", 10, 5), std::nullopt);
  EXPECT_EQ(in.optional_string_list("c", 2, 5), std::nullopt);
  const auto& e = in.errors();
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0].msg, "Input should be a valid list");
  EXPECT_EQ(e[0].type, "list_type");
  EXPECT_EQ(e[1].loc, (Loc{"body", "b", "1"}));
  EXPECT_EQ(e[1].type, "string_type");
  EXPECT_EQ(e[2].loc, (Loc{"body", "b", "2"}));
  EXPECT_EQ(e[2].type, "string_too_long");
  EXPECT_EQ(e[3].loc, (Loc{"body", "c"}));
  EXPECT_EQ(e[3].msg, "List should have at most 2 items after validation, not 3");
  EXPECT_EQ(e[3].type, "too_long");
}

TEST(BodyReaderTest, CollectsEveryErrorInReadingOrder) {
  auto b = body(R"({"email": "not-an-email", "password": 5, "bin_count": "many",
                    "gross_weight_kg": -1})");
  BodyReader in(b);
  in.required_email("email");
  in.required_string("password", 128);
  in.required_string("full_name", 255);
  in.optional_int("bin_count", 0, 10000);
  in.optional_number("gross_weight_kg", 0, 1e6);
  in.add_error({"body"}, "Value error, net weight exceeds gross weight", "value_error");
  ASSERT_EQ(in.errors().size(), 6u);
  std::vector<std::string> types;
  for (const auto& e : in.errors()) types.push_back(e.type);
  EXPECT_EQ(types, (std::vector<std::string>{"value_error", "string_type", "missing", "int_parsing",
                                             "greater_than_equal", "value_error"}));
  EXPECT_EQ(in.errors()[5].loc, (Loc{"body"}));

  auto response = http::validation_error_response(in.errors());
  EXPECT_EQ(response.result(), http::Status::unprocessable_entity);
  auto sent = boost::json::parse(response.body().view()).as_object();
  EXPECT_EQ(sent.at("detail").as_array().size(), 6u);
  EXPECT_EQ(sent.at("error").at("details").at("errors").as_array()[2].at("field").as_string(),
            "body -> full_name");
}

TEST(ReadPageTest, DefaultsWhenAbsent) {
  std::vector<http::FieldError> errors;
  auto page = read_page(request_with_query({{"status", "received"}}), errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(page.limit, 50);
  EXPECT_EQ(page.offset, 0);
}

TEST(ReadPageTest, ReadsLimitAndOffset) {
  std::vector<http::FieldError> errors;
  auto page = read_page(request_with_query({{"limit", "100"}, {"offset", "40"}}), errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(page.limit, 100);
  EXPECT_EQ(page.offset, 40);
  page = read_page(request_with_query({{"limit", "1"}, {"offset", "0"}}), errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(page.limit, 1);
}

TEST(ReadPageTest, LastRepeatedParameterWins) {
  std::vector<http::FieldError> errors;
  auto page = read_page(request_with_query({{"limit", "500"}, {"limit", "20"}}), errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(page.limit, 20);
}

TEST(ReadPageTest, LimitOutOfRange) {
  std::vector<http::FieldError> errors;
  read_page(request_with_query({{"limit", "0"}}), errors);
  expect_one_error(errors, {"query", "limit"}, "Input should be greater than or equal to 1",
                   "greater_than_equal");
  errors.clear();
  read_page(request_with_query({{"limit", "200"}}), errors);
  expect_one_error(errors, {"query", "limit"}, "Input should be less than or equal to 100",
                   "less_than_equal");
}

TEST(ReadPageTest, NonIntegersAreIntParsing) {
  for (std::string_view text : {"abc", "", "1.5", "ten"}) {
    std::vector<http::FieldError> errors;
    read_page(request_with_query({{"limit", std::string(text)}}), errors);
    expect_one_error(errors, {"query", "limit"},
                     "Input should be a valid integer, unable to parse string as an integer",
                     "int_parsing");
  }
}

TEST(ReadPageTest, BothErrorsAreReported) {
  std::vector<http::FieldError> errors;
  read_page(request_with_query({{"limit", "x"}, {"offset", "-1"}}), errors);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].loc, (Loc{"query", "limit"}));
  EXPECT_EQ(errors[1].loc, (Loc{"query", "offset"}));
  EXPECT_EQ(errors[1].msg, "Input should be greater than or equal to 0");
}

TEST(ReadQueryStringTest, EmptyOrAbsentIsNullopt) {
  std::vector<http::FieldError> errors;
  auto req = request_with_query({{"status", ""}, {"fruit_type", "citrus"}});
  EXPECT_EQ(read_query_string(req, "status", 30, errors), std::nullopt);
  EXPECT_EQ(read_query_string(req, "grower_id", 36, errors), std::nullopt);
  EXPECT_EQ(read_query_string(req, "fruit_type", 50, errors), "citrus");
  EXPECT_TRUE(errors.empty());
}

TEST(ReadQueryStringTest, TooLongIsAnError) {
  std::vector<http::FieldError> errors;
  auto req = request_with_query({{"status", "received-and-checked"}});
  EXPECT_EQ(read_query_string(req, "status", 10, errors), std::nullopt);
  expect_one_error(errors, {"query", "status"}, "String should have at most 10 characters",
                   "string_too_long");
}

}  // namespace
}  // namespace fruitpak::api
