#pragma once
// Maps (method, path) to a handler. Templates use "{name}" segments:
// "/api/growers/{grower_id}". A trailing slash is ignored on both sides, so "/api/x" and
// "/api/x/" reach the same route (decision D2). Static segments win over parameters.
// Built at start-up, then read-only: safe for concurrent matching.

#include "http/message.hpp"
#include "util/asio.hpp"

#include <boost/json/value.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <variant>

namespace fruitpak::http {

using Handler = std::function<net::awaitable<Response>(Request&)>;

// A JSON Schema (2020-12) in a route's documentation: either the name of a schema the
// router holds (Router::add_schema, written "#/components/schemas/<name>" in OpenAPI) or
// an inline schema. Empty: no schema (no body).
struct SchemaDoc {
  SchemaDoc() = default;
  SchemaDoc(const char* component_name) : component(component_name) {}
  SchemaDoc(std::string component_name) : component(std::move(component_name)) {}
  SchemaDoc(boost::json::value schema) : inline_schema(std::move(schema)) {}
  bool empty() const { return component.empty() && inline_schema.is_null(); }

  std::string component;
  boost::json::value inline_schema;
};

// A query parameter as the handler reads it.
struct ParamDoc {
  std::string name;
  SchemaDoc schema;
  bool required = false;
  std::string description;
};

// A response a handler sends (errors the guard adds are derived from the flags instead).
struct ResponseDoc {
  int status = 200;
  SchemaDoc schema;  // empty: no body (204, 304)
  std::string description;
  std::string content_type = "application/json";
};

// What a route declares about itself, for tests and documentation (OpenAPI, issue 9); the
// router does not interpret it. `access`: "public", "user" (any valid token) or "tenant"
// (an enterprise-scoped token).
struct RouteInfo {
  std::string access = "public";
  std::vector<std::string> permissions;
  std::string summary;
  // The guard's flags (api::RouteSpec); `rate` is "" for routes without a guard.
  bool onboarded = false;
  bool idempotent = false;
  bool cached = false;
  std::string rate;
  std::vector<ParamDoc> query;
  SchemaDoc body;
  std::vector<ResponseDoc> responses;
  std::vector<int> errors;   // further error statuses of the handler (e.g. 409)
  std::string auth_scheme;   // a security scheme other than the access rule's (e.g. "metricsToken")
};

struct Route {
  Method method;
  std::string path_template;
  Handler handler;
  RouteInfo info;
};

struct RouteMatch {
  const Route* route;
  std::vector<std::pair<std::string, std::string>> params;
};
struct NoRoute {};
struct MethodNotAllowed {
  std::string allow;  // e.g. "GET, POST"
};
using MatchResult = std::variant<RouteMatch, NoRoute, MethodNotAllowed>;

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // Throws std::logic_error on a duplicate (method, template): a start-up bug.
  void add(Method method, std::string path_template, Handler handler, RouteInfo info = {});

  MatchResult match(Method method, std::string_view path) const;

  // Every registered route, in registration order (for OpenAPI and tests).
  std::vector<const Route*> routes() const;

  // Named JSON Schemas that routes' SchemaDocs refer to (OpenAPI components). Declaring a
  // name again with an equal schema is a no-op; with another schema it throws
  // std::logic_error (a start-up bug: two files disagree on one name).
  void add_schema(const std::string& name, boost::json::value schema);
  const std::map<std::string, boost::json::value>& schemas() const { return schemas_; }

 private:
  struct Node;
  struct MatchState;
  static const Route* walk(const Node* node, std::size_t depth, MatchState& state);
  std::unique_ptr<Node> root_;
  std::vector<std::unique_ptr<Route>> routes_;
  std::map<std::string, boost::json::value> schemas_;
};

}  // namespace fruitpak::http
