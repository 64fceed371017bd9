#include "api/openapi.hpp"

#include "api/openapi_schema.hpp"
#include "api/static_assets_api.hpp"

#include <boost/beast/http/status.hpp>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <memory>

namespace fruitpak::api {
namespace {

namespace bj = boost::json;

bj::value schema_of(const http::SchemaDoc& doc) {
  if (!doc.component.empty()) return oas::ref(doc.component);
  return doc.inline_schema;
}

// The error bodies of http/errors.hpp. Open objects: a client must not rely on the
// absence of other keys.
void add_error_schemas(bj::object& schemas) {
  schemas["HTTPError"] = bj::object{
      {"type", "object"},
      {"description", "Every error but 422: FastAPI's \"detail\" and the original's \"error\"."},
      {"properties",
       bj::object{{"detail", oas::str()},
                  {"error", bj::object{{"type", "object"},
                                       {"properties", bj::object{{"code", oas::str()}, {"message", oas::str()}}},
                                       {"required", bj::array{"code", "message"}}}}}},
      {"required", bj::array{"detail", "error"}}};
  bj::value field_error = oas::record({{"loc", oas::array(oas::str())}, {"msg", oas::str()}, {"type", oas::str()}});
  bj::value listed_error = oas::record({{"field", oas::str()}, {"message", oas::str()}, {"type", oas::str()}});
  schemas["ValidationError"] = bj::object{
      {"type", "object"},
      {"description", "A 422 listing every problem of the request (pydantic v2's loc, msg and type)."},
      {"properties",
       bj::object{{"detail", oas::array(field_error)},
                  {"error", oas::record({{"code", oas::one_of({"VALIDATION_ERROR"})},
                                         {"message", oas::str()},
                                         {"details", oas::record({{"errors", oas::array(listed_error)}})}})}}},
      {"required", bj::array{"detail", "error"}}};
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "get" + "/api/growers/{grower_id}" -> "get_api_growers_grower_id".
std::string operation_id(std::string_view method, std::string_view path) {
  std::string id(method);
  bool separator = true;
  for (char c : path) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      if (separator) id += '_';
      id += c;
      separator = false;
    } else {
      separator = true;
    }
  }
  return id;
}

// "/api/growers/{id}" -> "growers"; "/health/ready" -> "health".
std::string tag_of(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start < path.size()) {
    auto end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  if (segments.empty()) return "root";
  if (segments[0] == "api" && segments.size() > 1) return std::string(segments[1]);
  return std::string(segments[0]);
}

std::vector<std::string> path_params(std::string_view path) {
  std::vector<std::string> names;
  for (auto open = path.find('{'); open != std::string_view::npos; open = path.find('{', open + 1)) {
    const auto close = path.find('}', open);
    if (close == std::string_view::npos) break;
    names.emplace_back(path.substr(open + 1, close - open - 1));
  }
  return names;
}

std::string reason(int status) {
  return std::string(boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status)));
}

bj::object error_response(std::string description, std::string_view schema = "HTTPError") {
  return bj::object{{"description", std::move(description)},
                    {"content", bj::object{{"application/json", bj::object{{"schema", oas::ref(schema)}}}}}};
}

bj::object operation(const http::Route& route) {
  const auto& info = route.info;
  const std::string method = lower(http::beast_http::to_string(route.method));
  bj::object op;
  op["operationId"] = operation_id(method, route.path_template);
  if (!info.summary.empty()) op["summary"] = info.summary;
  op["tags"] = bj::array{tag_of(route.path_template)};

  std::string description;
  if (info.access == "user") description = "Any signed-in user.";
  if (info.access == "tenant") description = "A user of an enterprise.";
  if (!info.permissions.empty()) {
    description += " Permissions:";
    for (const auto& p : info.permissions) description += " " + p;
    description += ".";
  }
  if (info.onboarded) description += " The enterprise must have completed the onboarding wizard.";
  if (info.cached) description += " Cached: answers carry an ETag and X-Cache; If-None-Match gives 304.";
  if (info.idempotent) description += " Honours Idempotency-Key: a retry with the same key and body replays the answer.";
  if (!description.empty()) op["description"] = description.front() == ' ' ? description.substr(1) : description;

  bj::array parameters;
  for (const auto& name : path_params(route.path_template)) {
    parameters.emplace_back(bj::object{{"name", name}, {"in", "path"}, {"required", true}, {"schema", oas::str()}});
  }
  for (const auto& q : info.query) {
    bj::object p{{"name", q.name}, {"in", "query"}, {"required", q.required}, {"schema", schema_of(q.schema)}};
    if (!q.description.empty()) p["description"] = q.description;
    parameters.emplace_back(std::move(p));
  }
  if (info.idempotent) {
    parameters.emplace_back(bj::object{{"name", "Idempotency-Key"},
                                       {"in", "header"},
                                       {"required", false},
                                       {"description", "Makes a retried create safe (at most 255 characters)."},
                                       {"schema", oas::str(255)}});
  }
  if (!parameters.empty()) op["parameters"] = std::move(parameters);

  if (!info.body.empty()) {
    op["requestBody"] = bj::object{
        {"required", true},
        {"content", bj::object{{"application/json", bj::object{{"schema", schema_of(info.body)}}}}}};
  }

  bj::object responses;
  for (const auto& r : info.responses) {
    bj::object response{{"description", r.description.empty() ? reason(r.status) : r.description}};
    if (!r.schema.empty()) {
      response["content"] = bj::object{{r.content_type, bj::object{{"schema", schema_of(r.schema)}}}};
    }
    responses[std::to_string(r.status)] = std::move(response);
  }
  if (info.responses.empty()) responses["200"] = bj::object{{"description", "Success (body not documented)"}};

  // Errors implied by the flags, unless the route documents that status itself.
  auto add = [&](int status, bj::object response) {
    const auto key = std::to_string(status);
    if (!responses.contains(key)) responses[key] = std::move(response);
  };
  const bool guarded = !info.rate.empty();
  const bool has_params = !path_params(route.path_template).empty();
  if (info.cached) add(304, bj::object{{"description", "Not modified (If-None-Match matched the ETag)"}});
  {
    std::string bad_request;
    if (info.access == "tenant") bad_request = "No tenant context: the user has no enterprise";
    if (!info.body.empty()) bad_request += std::string(bad_request.empty() ? "" : "; or ") + "malformed JSON body";
    if (!bad_request.empty()) add(400, error_response(bad_request));
  }
  if (info.access != "public") add(401, error_response("Not authenticated (no valid bearer token)"));
  if (!info.permissions.empty() || info.onboarded) {
    add(403, error_response(info.onboarded ? "Missing permissions, or onboarding not completed" : "Missing permissions"));
  }
  if (has_params) add(404, error_response("Not found"));
  if (info.idempotent) add(409, error_response("A request with this Idempotency-Key is still in progress"));
  if (!info.body.empty() || !info.query.empty() || info.idempotent) {
    // Field problems (ValidationError); a duplicate value or a bad Idempotency-Key is an
    // HTTPError with status 422, as in the original.
    bj::object unprocessable{{"description", "Validation error, or a duplicate value"}};
    bj::value either = bj::object{{"anyOf", bj::array{oas::ref("ValidationError"), oas::ref("HTTPError")}}};
    unprocessable["content"] = bj::object{{"application/json", bj::object{{"schema", either}}}};
    add(422, std::move(unprocessable));
  }
  if (guarded) add(429, error_response("Rate limit exceeded (X-RateLimit-* headers tell when to retry)"));
  for (int status : info.errors) add(status, error_response(reason(status)));
  op["responses"] = std::move(responses);

  if (!info.auth_scheme.empty()) {
    op["security"] = bj::array{bj::object{}, bj::object{{info.auth_scheme, bj::array{}}}};
  } else if (info.access == "public") {
    op["security"] = bj::array{};
  } else {
    op["security"] = bj::array{bj::object{{"bearerAuth", bj::array{}}}};
  }
  op["x-access"] = info.access;
  if (!info.permissions.empty()) {
    bj::array permissions;
    for (const auto& p : info.permissions) permissions.emplace_back(p);
    op["x-permissions"] = std::move(permissions);
  }
  return op;
}

}  // namespace

bj::object openapi_document(const http::Router& router, std::string_view version) {
  bj::object paths;
  std::vector<std::string> tags;
  for (const auto* route : router.routes()) {
    auto& item = paths[route->path_template];
    if (!item.is_object()) item = bj::object{};
    const auto method = lower(http::beast_http::to_string(route->method));
    item.as_object()[method] = operation(*route);
    auto tag = tag_of(route->path_template);
    if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(tag);
  }
  bj::array tag_list;
  for (const auto& t : tags) tag_list.emplace_back(bj::object{{"name", t}});

  bj::object schemas;
  for (const auto& [name, schema] : router.schemas()) schemas[name] = schema;
  add_error_schemas(schemas);

  return bj::object{
      {"openapi", "3.1.0"},
      {"info",
       bj::object{{"title", "FruitPAK API"},
                  {"version", version},
                  {"description",
                   "Packhouse management API. Authorize with the access_token of POST /api/auth/login "
                   "(\"Authorize\" -> bearerAuth). Generated from the route declarations of this server."}}},
      {"tags", std::move(tag_list)},
      {"paths", std::move(paths)},
      {"components",
       bj::object{{"schemas", std::move(schemas)},
                  {"securitySchemes",
                   bj::object{{"bearerAuth", bj::object{{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "JWT"},
                                                        {"description", "The access_token of POST /api/auth/login."}}},
                              {"metricsToken", bj::object{{"type", "http"}, {"scheme", "bearer"},
                                                          {"description", "METRICS_TOKEN, when one is configured."}}}}}}}};
}

void register_docs_routes(http::Router& router) {
  register_static_asset_routes(router);
  // The route exists before the document is built, so the document lists it too.
  auto document = std::make_shared<std::string>();
  http::RouteInfo info;
  info.summary = "This OpenAPI 3.1 document";
  info.responses = {{200, oas::any_object(), "The OpenAPI document"}};
  router.add(
      http::Method::get, "/openapi.json",
      [document](http::Request& req) -> net::awaitable<http::Response> {
        http::Response res{http::Status::ok, req.message.version()};
        res.set(http::beast_http::field::content_type, "application/json");
        res.set(http::beast_http::field::cache_control, "no-cache");
        res.body().share(document, *document);
        res.prepare_payload();
        co_return res;
      },
      std::move(info));
  *document = bj::serialize(openapi_document(router, FRUITPAK_API_VERSION));
}

}  // namespace fruitpak::api
