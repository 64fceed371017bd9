#pragma once
// The OpenAPI 3.1 document of the API (issue 9), generated from the routes' declarations
// (http::RouteInfo, filled from api::RouteSpec by the Guard) and the schemas the *_api.cpp
// files declare (Router::add_schema), so it follows the code: a route cannot exist without
// appearing in it. Served at /openapi.json; /docs shows it with Swagger UI.

#include "http/router.hpp"

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace fruitpak::api {

// The document for every route of `router`, in registration order. Besides the declared
// responses, each operation gets the errors its flags imply: 401 (not public), 403
// (permissions or onboarding), 400 (tenant routes: no tenant; JSON bodies: malformed JSON),
// 422 (a body, query parameters or an Idempotency-Key), 429 (guarded routes), 404 (path
// parameters), 409 (idempotent creates), 304 (cached reads), and those in RouteInfo::errors.
boost::json::object openapi_document(const http::Router& router, std::string_view version);

// Registers the static pages (/docs, /dashboard: api/static_assets_api.hpp) and
// GET /openapi.json, then builds the document once. Call it after every other route: the
// router is read-only from then on, and routes added later would be missing. The
// document's info.version is the project's version (CMakeLists.txt).
void register_docs_routes(http::Router& router);

}  // namespace fruitpak::api
