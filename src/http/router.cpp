#include "http/router.hpp"

#include <stdexcept>

namespace fruitpak::http {
namespace {

// Splits "/api/x/{id}/" into {"api", "x", "{id}"}; empty segments are dropped.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

bool is_param(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

struct Router::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> children;
  std::unique_ptr<Node> param_child;
  std::string param_name;
  std::map<Method, const Route*> handlers;
};

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

void Router::add(Method method, std::string path_template, Handler handler, RouteInfo info) {
  Node* node = root_.get();
  for (auto segment : split_path(path_template)) {
    if (is_param(segment)) {
      const std::string name(segment.substr(1, segment.size() - 2));
      if (!node->param_child) {
        node->param_child = std::make_unique<Node>();
        node->param_child->param_name = name;
      } else if (node->param_child->param_name != name) {
        throw std::logic_error("conflicting parameter names at " + path_template);
      }
      node = node->param_child.get();
    } else {
      auto& child = node->children[std::string(segment)];
      if (!child) child = std::make_unique<Node>();
      node = child.get();
    }
  }
  if (node->handlers.contains(method)) {
    throw std::logic_error("duplicate route " + path_template);
  }
  routes_.push_back(std::make_unique<Route>(Route{method, std::move(path_template), std::move(handler), std::move(info)}));
  node->handlers[method] = routes_.back().get();
}

struct Router::MatchState {
  Method method;
  const std::vector<std::string_view>& segments;
  std::vector<std::pair<std::string, std::string>> params;
  std::string allow;
};

// Depth-first, static child before parameter child. The first node holding a handler for
// the method wins; nodes that match the path with other methods feed the Allow header.
const Route* Router::walk(const Node* node, std::size_t depth, MatchState& state) {
  if (depth == state.segments.size()) {
    if (auto it = node->handlers.find(state.method); it != node->handlers.end()) return it->second;
    for (const auto& [m, route] : node->handlers) {
      std::string name(beast_http::to_string(m));
      if (state.allow.find(name) == std::string::npos) {
        state.allow += (state.allow.empty() ? "" : ", ") + name;
      }
    }
    return nullptr;
  }
  const auto segment = state.segments[depth];
  if (auto it = node->children.find(segment); it != node->children.end()) {
    if (const Route* found = walk(it->second.get(), depth + 1, state)) return found;
  }
  if (node->param_child) {
    state.params.emplace_back(node->param_child->param_name, std::string(segment));
    if (const Route* found = walk(node->param_child.get(), depth + 1, state)) return found;
    state.params.pop_back();
  }
  return nullptr;
}

MatchResult Router::match(Method method, std::string_view path) const {
  const auto segments = split_path(path);
  MatchState state{method, segments, {}, {}};
  if (const Route* route = walk(root_.get(), 0, state)) return RouteMatch{route, std::move(state.params)};
  if (!state.allow.empty()) return MethodNotAllowed{std::move(state.allow)};
  return NoRoute{};
}

void Router::add_schema(const std::string& name, boost::json::value schema) {
  auto [it, inserted] = schemas_.emplace(name, schema);
  if (!inserted && it->second != schema) throw std::logic_error("schema declared twice, differently: " + name);
}

std::vector<const Route*> Router::routes() const {
  std::vector<const Route*> out;
  for (const auto& r : routes_) out.push_back(r.get());
  return out;
}

}  // namespace fruitpak::http
