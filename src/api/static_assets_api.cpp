#include "api/static_assets_api.hpp"

#include "api/openapi_schema.hpp"
#include "http/errors.hpp"
#include "util/etag.hpp"

#include <map>
#include <memory>
#include <string>
#include <unordered_map>

namespace fruitpak::api {
namespace {

using Reply = net::awaitable<http::Response>;

struct Served {
  const EmbeddedAsset* asset;
  std::string etag;
  const char* cache_control;
};
using Table = std::unordered_map<std::string, Served>;

http::Response serve(const Served& s, const http::Request& req) {
  const bool not_modified = util::etag_matches(req.header("If-None-Match"), s.etag);
  http::Response res{not_modified ? http::Status::not_modified : http::Status::ok, req.message.version()};
  res.set(http::beast_http::field::etag, s.etag);
  res.set(http::beast_http::field::cache_control, s.cache_control);
  if (not_modified) return res;
  res.set(http::beast_http::field::content_type, s.asset->content_type);
  if (req.message.method() == http::Method::head) {
    res.content_length(s.asset->bytes.size());
    return res;
  }
  // Static storage: an owner that owns nothing, pointing at the bytes.
  res.body().share(std::shared_ptr<const void>(std::shared_ptr<const void>(), s.asset->bytes.data()), s.asset->bytes);
  res.prepare_payload();
  return res;
}

http::RouteInfo info_for(std::string summary) {
  http::RouteInfo info;
  info.summary = std::move(summary);
  info.responses = {{200, oas::any(), "The file, with its Content-Type, ETag and Cache-Control", "*/*"},
                    {304, {}, "Not modified (If-None-Match matched the ETag)", ""}};
  return info;
}

}  // namespace

void register_static_asset_routes(http::Router& router) {
  auto table = std::make_shared<Table>();
  std::map<std::string, std::vector<std::string>> dirs;  // "/docs" -> file names
  for (const auto& asset : embedded_assets()) {
    const auto slash = asset.path.rfind('/');
    const std::string dir(asset.path.substr(0, slash));
    const std::string name(asset.path.substr(slash + 1));
    // Pages revalidate each time (they change with a deploy); vendored files may be
    // reused for an hour (a new version changes their ETag anyway).
    const bool page = asset.content_type.starts_with("text/html");
    (*table)[std::string(asset.path)] = {&asset, util::etag_of(asset.bytes), page ? "no-cache" : "public, max-age=3600"};
    dirs[dir].push_back(name);
  }
  for (const auto& [dir, names] : dirs) {
    for (const auto method : {http::Method::get, http::Method::head}) {
      auto info = info_for("A file of " + dir);
      info.errors = {404};
      router.add(method, dir + "/{file}",
                 [table, dir = dir](http::Request& req) -> Reply {
                   auto it = table->find(dir + "/" + std::string(req.param("file")));
                   if (it == table->end()) co_return http::error_response(http::Status::not_found, "Not Found");
                   co_return serve(it->second, req);
                 },
                 std::move(info));
      if (auto index = table->find(dir + "/index.html"); index != table->end()) {
        router.add(method, dir,
                   [table, served = &index->second](http::Request& req) -> Reply { co_return serve(*served, req); },
                   info_for("The page " + dir + " (" + dir + "/index.html)"));
      }
    }
  }
}

}  // namespace fruitpak::api
