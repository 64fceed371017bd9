#pragma once
// The request and response types every handler sees.

#include "http/payload_body.hpp"
#include "util/query_counter.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fruitpak::http {

namespace beast_http = boost::beast::http;
using Status = beast_http::status;
using Method = beast_http::verb;
using Response = beast_http::response<PayloadBody>;

// One request as a handler sees it. Owned by the connection coroutine for the duration of
// the request; handlers may keep references until they return.
struct Request {
  beast_http::request<beast_http::string_body> message;
  std::string path;                                     // decoded, without the query
  std::vector<std::pair<std::string, std::string>> path_params;
  std::vector<std::pair<std::string, std::string>> query_params;  // decoded, in order
  std::string request_id;
  std::string remote_address;
  std::string_view route;                               // the matched route template
  // The caller's tenant (enterprise id), set by the Guard once the token is verified and the
  // principal has one; "" otherwise. Read by the access log.
  std::string tenant;
  util::QueryCounter queries;
  std::chrono::steady_clock::time_point started_at;

  // The first value of a query parameter, if present.
  std::optional<std::string_view> query(std::string_view name) const;
  // A path parameter by its name in the route template ("{id}" -> "id"); "" if absent.
  std::string_view param(std::string_view name) const;
  // A header value; "" if absent.
  std::string_view header(std::string_view name) const;
  // The token of "Authorization: Bearer <token>" (scheme case as clients send it: "Bearer"
  // or "bearer"); "" if absent or another scheme.
  std::string_view bearer_token() const;
  const std::string& body() const { return message.body(); }
};

}  // namespace fruitpak::http
