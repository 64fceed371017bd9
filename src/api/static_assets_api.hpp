#pragma once
// The web pages the binary serves without internet access (issue 9): the API docs page
// (/docs, Swagger UI) and the cache dashboard (/dashboard), with their vendored scripts.
// The files are embedded at build time by cmake/embed_assets.cmake, which also fixes the
// URL mapping (web/docs/<name> -> /docs/<name>, ...). Public: the pages log in themselves
// through the API.

#include "http/router.hpp"

#include <span>
#include <string_view>

namespace fruitpak::api {

struct EmbeddedAsset {
  std::string_view path;          // "/docs/vendor/swagger-ui-bundle.js"
  std::string_view content_type;  // "application/javascript; charset=utf-8"
  std::string_view bytes;         // static storage, valid for the process's lifetime
};

// Every embedded file (generated: build/<preset>/generated/embedded_assets.cpp).
std::span<const EmbeddedAsset> embedded_assets();

// GET and HEAD of every embedded file, under "<dir>/{file}" routes, and "<dir>" itself for
// a directory with an index.html (/docs, /dashboard). Answers carry the exact Content-Type,
// a strong ETag (a hash of the bytes) and Cache-Control; a matching If-None-Match gets 304.
// The bytes are sent without copying. An unknown file is 404.
void register_static_asset_routes(http::Router& router);

}  // namespace fruitpak::api
