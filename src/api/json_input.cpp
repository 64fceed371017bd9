#include "api/json_input.hpp"

#include "http/errors.hpp"

#include <boost/json/parse.hpp>

namespace fruitpak::api {

JsonObjectOrRefusal read_json_object(const http::Request& req) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(req.body(), ec);
  if (ec) {
    return http::error_response(http::Status::bad_request,
                                "Malformed JSON in request body: " + ec.message());
  }
  if (!value.is_object()) {
    return http::validation_error_response(
        {{{"body"}, "Input should be a valid dictionary or object to extract fields from",
          "model_attributes_type"}});
  }
  return std::move(value.as_object());
}

}  // namespace fruitpak::api
