#include "http/errors.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace fruitpak::http {
namespace json = boost::json;

std::string error_body(Status status, std::string_view message, std::string_view code) {
  json::object error;
  error["code"] = code.empty() ? "HTTP_" + std::to_string(static_cast<unsigned>(status))
                               : std::string(code);
  error["message"] = message;
  json::object body;
  body["detail"] = message;
  body["error"] = std::move(error);
  return json::serialize(body);
}

std::string validation_error_body(const std::vector<FieldError>& errors) {
  json::array detail;
  json::array listed;
  for (const auto& e : errors) {
    json::array loc;
    std::string field;
    for (const auto& part : e.loc) {
      loc.emplace_back(part);
      field += (field.empty() ? "" : " -> ") + part;
    }
    detail.emplace_back(json::object{{"loc", std::move(loc)}, {"msg", e.msg}, {"type", e.type}});
    listed.emplace_back(json::object{{"field", field}, {"message", e.msg}, {"type", e.type}});
  }
  json::object error{{"code", "VALIDATION_ERROR"},
                     {"message", "Validation error"},
                     {"details", json::object{{"errors", std::move(listed)}}}};
  return json::serialize(json::object{{"detail", std::move(detail)}, {"error", std::move(error)}});
}

void set_json(Response& response, std::string body) {
  response.set(beast_http::field::content_type, "application/json");
  response.body() = std::move(body);
  response.prepare_payload();
}

Response error_response(Status status, std::string_view message, std::string_view code) {
  Response response{status, 11};
  set_json(response, error_body(status, message, code));
  return response;
}

Response validation_error_response(const std::vector<FieldError>& errors) {
  Response response{Status::unprocessable_entity, 11};
  set_json(response, validation_error_body(errors));
  return response;
}

}  // namespace fruitpak::http
