#pragma once
// Maps (method, path) to a handler. Templates use "{name}" segments:
// "/api/growers/{grower_id}". A trailing slash is ignored on both sides, so "/api/x" and
// "/api/x/" reach the same route (decision D2). Static segments win over parameters.
// Built at start-up, then read-only: safe for concurrent matching.

#include "http/message.hpp"
#include "util/asio.hpp"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <variant>

namespace fruitpak::http {

using Handler = std::function<net::awaitable<Response>(Request&)>;

// What a route declares about itself, for tests and documentation; the router does not
// interpret it. `access`: "public", "user" (any valid token) or "tenant" (an enterprise-
// scoped token).
struct RouteInfo {
  std::string access = "public";
  std::vector<std::string> permissions;
  std::string summary;
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

 private:
  struct Node;
  struct MatchState;
  static const Route* walk(const Node* node, std::size_t depth, MatchState& state);
  std::unique_ptr<Node> root_;
  std::vector<std::unique_ptr<Route>> routes_;
};

}  // namespace fruitpak::http
