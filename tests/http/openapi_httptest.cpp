// /openapi.json, /docs and the embedded assets on both engines (issue 9 point 2):
// - every registered route is in the document with its path parameters, every $ref resolves,
//   and the security follows the route's access;
// - the document validates as OpenAPI 3.1 with @seriousme/openapi-schema-validator;
// - real responses (fixture data, every documented JSON GET route plus some writes and
//   errors) validate against the schemas the document declares for them, with ajv
//   (tests/tools/check_responses.mjs): a schema that disagrees with its serializer fails;
// - /docs serves Swagger UI's shell and the vendored bundle byte for byte, with the exact
//   Content-Type, an ETag and 304 on If-None-Match.

#include "support/server_fixture.hpp"

#include <boost/json/serialize.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace fruitpak::testing {
namespace {

namespace bj = boost::json;
namespace bh = boost::beast::http;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Runs `command` over a temporary file holding `content`; returns {exit status, output}.
std::pair<int, std::string> run_over_file(const std::string& command_prefix, const std::string& content) {
  const auto input = std::filesystem::temp_directory_path() /
                     ("fp-openapi-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()) + ".json");
  std::ofstream(input) << content;
  const std::string command = command_prefix + " " + input.string() + " 2>&1";
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return {-1, "popen failed"};
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  const int status = ::pclose(pipe);
  std::filesystem::remove(input);
  return {status, output};
}

// Every "$ref" value anywhere under `v`.
void collect_refs(const bj::value& v, std::vector<std::string>& refs) {
  if (v.is_object()) {
    for (const auto& [key, child] : v.as_object()) {
      if (key == "$ref" && child.is_string()) refs.emplace_back(child.as_string());
      collect_refs(child, refs);
    }
  } else if (v.is_array()) {
    for (const auto& child : v.as_array()) collect_refs(child, refs);
  }
}

class OpenApiHttpTest : public ServerFixture {
 protected:
  bj::object document(HttpClient& c) {
    auto res = c.get("/openapi.json");
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res[bh::field::content_type], "application/json");
    return parse_json(res.body()).as_object();
  }
};

TEST_F(OpenApiHttpTest, EveryRouteIsDocumentedWithItsParametersAndEveryRefResolves) {
  start_with_admin("openapi-routes@example.com", "Routes Co");
  auto c = client();
  const auto doc = document(c);
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  const auto& paths = doc.at("paths").as_object();
  const auto& components = doc.at("components").as_object();
  const auto& bearer = components.at("securitySchemes").at("bearerAuth").as_object();
  EXPECT_EQ(bearer.at("type").as_string(), "http");
  EXPECT_EQ(bearer.at("scheme").as_string(), "bearer");

  std::size_t checked = 0;
  std::set<std::string> operation_ids;
  for (const auto* route : app().router().routes()) {
    const std::string method = lower(bh::to_string(route->method));
    const auto where = method + " " + route->path_template;
    ASSERT_TRUE(paths.contains(route->path_template)) << where;
    const auto* op_value = paths.at(route->path_template).as_object().if_contains(method);
    ASSERT_NE(op_value, nullptr) << where;
    const auto& op = op_value->as_object();
    EXPECT_TRUE(operation_ids.insert(std::string(op.at("operationId").as_string())).second) << where;
    EXPECT_FALSE(op.at("responses").as_object().empty()) << where;

    // Each {name} of the template is a required path parameter, and no other.
    std::set<std::string> in_template;
    static const std::regex param("\\{([^}]+)\\}");
    for (std::sregex_iterator it(route->path_template.begin(), route->path_template.end(), param), end; it != end;
         ++it) {
      in_template.insert((*it)[1]);
    }
    std::set<std::string> declared;
    if (const auto* parameters = op.if_contains("parameters")) {
      for (const auto& p : parameters->as_array()) {
        if (p.at("in").as_string() != "path") continue;
        EXPECT_TRUE(p.at("required").as_bool()) << where;
        declared.insert(std::string(p.at("name").as_string()));
      }
    }
    EXPECT_EQ(declared, in_template) << where;

    // Security follows the access rule; permissions are listed.
    const auto& security = op.at("security").as_array();
    if (route->info.access == "public" && route->info.auth_scheme.empty()) {
      EXPECT_TRUE(security.empty()) << where;
    } else if (route->info.access != "public") {
      ASSERT_EQ(security.size(), 1u) << where;
      EXPECT_TRUE(security[0].as_object().contains("bearerAuth")) << where;
      EXPECT_TRUE(op.at("responses").as_object().contains("401")) << where;
    }
    if (!route->info.permissions.empty()) {
      bj::array expected;
      for (const auto& p : route->info.permissions) expected.emplace_back(p);
      EXPECT_EQ(op.at("x-permissions"), bj::value(expected)) << where;
    }
    ++checked;
  }
  EXPECT_GT(checked, 90u);
  // The docs routes see themselves, and /metrics documents its optional token.
  EXPECT_TRUE(paths.at("/openapi.json").as_object().contains("get"));
  EXPECT_TRUE(paths.at("/docs").as_object().contains("get"));
  EXPECT_EQ(paths.at("/metrics").at("get").at("security"),
            bj::value(bj::array{bj::object{}, bj::object{{"metricsToken", bj::array{}}}}));
  // Declared request bodies and page parameters reach the document.
  EXPECT_EQ(paths.at("/api/growers/").at("post").at("requestBody").at("content").at("application/json").at("schema"),
            bj::value(bj::object{{"$ref", "#/components/schemas/GrowerCreate"}}));
  bool has_limit = false;
  for (const auto& p : paths.at("/api/growers/").at("get").at("parameters").as_array()) {
    has_limit = has_limit || (p.at("name").as_string() == "limit" && p.at("in").as_string() == "query");
  }
  EXPECT_TRUE(has_limit);

  std::vector<std::string> refs;
  collect_refs(doc, refs);
  EXPECT_GT(refs.size(), 100u);
  const auto& schemas = components.at("schemas").as_object();
  for (const auto& ref : refs) {
    ASSERT_TRUE(ref.starts_with("#/components/schemas/")) << ref;
    EXPECT_TRUE(schemas.contains(ref.substr(std::string("#/components/schemas/").size()))) << "unresolved " << ref;
  }
}

TEST_F(OpenApiHttpTest, ValidatesAsOpenApi31) {
  start();
  auto c = client();
  auto res = c.get("/openapi.json");
  ASSERT_EQ(res.result_int(), 200);
  const auto [status, output] = run_over_file("/usr/bin/node " FRUITPAK_WEB_DIR "/node_modules/.bin/validate-api", res.body());
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("\"valid\": true"), std::string::npos) << output;
}

TEST_F(OpenApiHttpTest, RealResponsesMatchTheirDeclaredSchemas) {
  const auto admin = start_with_admin("openapi-drift@example.com", "Drift Co");
  auto c = client();
  bj::array cases;
  auto record = [&](std::string path, std::string method, const HttpResponse& res) {
    cases.emplace_back(bj::object{{"path", std::move(path)},
                                  {"method", std::move(method)},
                                  {"status", res.result_int()},
                                  {"body", parse_json(res.body())}});
  };
  auto post = [&](const std::string& path, const std::string& body, int expected) {
    auto res = c.post(path, body, admin.auth());
    EXPECT_EQ(res.result_int(), expected) << path << ": " << res.body();
    record(path, "post", res);
    return parse_json(res.body());
  };

  // Demo-like data: a packhouse, a grower with fields, a GRN and a reconciliation run.
  const auto packhouse = post("/api/packhouses/",
                              R"({"name": "Main shed", "location": "Citrusdal", "capacity_tons_per_day": 120,
                                  "cold_rooms": 4})", 201);
  const auto grower = post("/api/growers/",
                           R"({"name": "Olifants Farm", "grower_code": "OLI-1", "email": "o@farm.example",
                               "total_hectares": 42.5, "globalg_ap_certified": true,
                               "fields": [{"name": "Block A", "hectares": 12.5, "fruit_type": "citrus"}]})", 201);
  const std::string packhouse_id(packhouse.at("id").as_string());
  const std::string grower_id(grower.at("id").as_string());
  const auto receipt = post("/api/batches/grn",
                            R"({"grower_id": ")" + grower_id + R"(", "packhouse_id": ")" + packhouse_id +
                                R"(", "fruit_type": "citrus", "variety": "Navel", "gross_weight_kg": 1200,
                                "tare_weight_kg": 50, "bin_count": 12, "quality_assessment": {"blemish": 2}})",
                            201);
  const std::string batch_id(receipt.at("batch").at("id").as_string());
  // Section 11's chain: lots packed from the batch and a pallet built from one, so the lot
  // and pallet lists and details below carry data; then a refused over-pack (409).
  auto packed = c.post("/api/lots/from-batch/" + batch_id,
                       R"({"lots": [{"grade": "1", "size": "64", "carton_count": 40, "weight_kg": 600,
                                     "pack_date": "2026-03-01"}]})", admin.auth());
  EXPECT_EQ(packed.result_int(), 201) << packed.body();
  record("/api/lots/from-batch/{batch_id}", "post", packed);
  const std::string lot_id(parse_json(packed.body()).as_array().at(0).at("id").as_string());
  const auto pallets = post("/api/pallets/from-lots",
                            R"({"pallet_type_name": "Export", "capacity_boxes": 40, "packhouse_id": ")" + packhouse_id +
                                R"(", "lot_assignments": [{"lot_id": ")" + lot_id + R"(", "box_count": 40}]})",
                            201);
  const std::string pallet_id(pallets.as_array().at(0).at("id").as_string());
  auto overpacked = c.post("/api/lots/from-batch/" + batch_id, R"({"lots": [{"grade": "2", "weight_kg": 5000}]})",
                           admin.auth());
  EXPECT_EQ(overpacked.result_int(), 409) << overpacked.body();
  record("/api/lots/from-batch/{batch_id}", "post", overpacked);
  post("/api/reconciliation/run", "", 201);
  {
    auto res = c.post("/api/auth/login", R"({"email": ")" + admin.email + R"(", "password": ")" + admin.password + "\"}");
    EXPECT_EQ(res.result_int(), 200);
    record("/api/auth/login", "post", res);
  }

  // Every documented JSON GET route whose path parameters the fixture can fill.
  const std::map<std::string, std::string> ids{
      {"grower_id", grower_id}, {"packhouse_id", packhouse_id}, {"batch_id", batch_id},
      {"lot_id", lot_id},       {"pallet_id", pallet_id}};
  const auto doc = document(c);
  std::set<std::string> swept;
  for (const auto* route : app().router().routes()) {
    if (route->method != bh::verb::get) continue;
    const auto& op = doc.at("paths").at(route->path_template).at("get").as_object();
    const auto* ok = op.at("responses").as_object().if_contains("200");
    if (!ok || !ok->as_object().contains("content") || !ok->at("content").as_object().contains("application/json")) continue;
    std::string path = route->path_template;
    bool filled = true;
    for (std::size_t open; (open = path.find('{')) != std::string::npos;) {
      const auto close = path.find('}', open);
      auto it = ids.find(path.substr(open + 1, close - open - 1));
      if (it == ids.end()) {
        filled = false;
        break;
      }
      path.replace(open, close - open + 1, it->second);
    }
    if (!filled) continue;
    auto res = c.get(path, admin.auth());
    if (res[bh::field::content_type] != "application/json") continue;
    record(route->path_template, "get", res);
    swept.insert(route->path_template + " " + std::to_string(res.result_int()));
  }
  for (const auto* expected :
       {"/api/growers/ 200", "/api/growers/{grower_id} 200", "/api/packhouses/ 200", "/api/packhouses/{packhouse_id} 200",
        "/api/batches/ 200", "/api/batches/{batch_id} 200", "/api/wizard/ 200", "/api/admin/users 200",
        "/api/auth/me 200", "/health 200", "/api/reconciliation/ 200", "/api/reconciliation/alerts 200",
        "/openapi.json 200", "/api/lots/ 200", "/api/lots/{lot_id} 200", "/api/pallets/ 200",
        "/api/pallets/{pallet_id} 200"}) {
    EXPECT_TRUE(swept.contains(expected)) << "not checked: " << expected;
  }

  // Errors: 401 without a token, 422 for a bad query, 404 for an unknown id.
  record("/api/growers/", "get", c.get("/api/growers/"));
  record("/api/growers/", "get", c.get("/api/growers/?limit=0", admin.auth()));
  record("/api/growers/{grower_id}", "get", c.get("/api/growers/no-such-grower", admin.auth()));
  record("/api/growers/", "post", c.post("/api/growers/", R"({"name": ""})", admin.auth()));

  const bj::object input{{"document", doc}, {"cases", cases}};
  const auto [status, output] =
      run_over_file("/usr/bin/node " FRUITPAK_TEST_TOOLS_DIR "/check_responses.mjs " FRUITPAK_WEB_DIR, bj::serialize(input));
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("ok get /api/growers/ 401"), std::string::npos) << output;
  EXPECT_NE(output.find("ok get /api/growers/ 422"), std::string::npos) << output;
  EXPECT_NE(output.find("ok post /api/batches/grn 201"), std::string::npos) << output;
}

TEST_F(OpenApiHttpTest, DocsPageServesSwaggerUiAndTheEmbeddedBundle) {
  start();
  auto c = client();
  auto page = c.get("/docs");
  ASSERT_EQ(page.result_int(), 200);
  EXPECT_EQ(page[bh::field::content_type], "text/html; charset=utf-8");
  EXPECT_NE(page.body().find("/docs/vendor/swagger-ui-bundle.js"), std::string::npos);
  EXPECT_EQ(page.body(), read_file(FRUITPAK_WEB_DIR "/docs/index.html"));
  EXPECT_EQ(c.get("/docs/").body(), page.body());  // trailing slash: same page

  auto init = c.get("/docs/swagger-init.js");
  ASSERT_EQ(init.result_int(), 200);
  EXPECT_NE(init.body().find("url: '/openapi.json'"), std::string::npos);
  EXPECT_NE(init.body().find("persistAuthorization: true"), std::string::npos);

  auto bundle = c.get("/docs/vendor/swagger-ui-bundle.js");
  ASSERT_EQ(bundle.result_int(), 200);
  EXPECT_EQ(bundle[bh::field::content_type], "application/javascript; charset=utf-8");
  EXPECT_EQ(bundle.body(), read_file(FRUITPAK_WEB_DIR "/node_modules/swagger-ui-dist/swagger-ui-bundle.js"));
  const std::string etag(bundle[bh::field::etag]);
  ASSERT_FALSE(etag.empty());
  EXPECT_FALSE(bundle[bh::field::cache_control].empty());

  auto again = c.get("/docs/vendor/swagger-ui-bundle.js", {{"If-None-Match", etag}});
  EXPECT_EQ(again.result_int(), 304);
  EXPECT_TRUE(again.body().empty());
  EXPECT_EQ(again[bh::field::etag], etag);
  EXPECT_EQ(c.get("/docs/vendor/swagger-ui-bundle.js", {{"If-None-Match", "\"other\""}}).result_int(), 200);

  auto css = c.get("/docs/vendor/swagger-ui.css");
  EXPECT_EQ(css[bh::field::content_type], "text/css; charset=utf-8");
  EXPECT_NE(css[bh::field::etag], etag);
  EXPECT_EQ(c.get("/docs/vendor/favicon-32x32.png")[bh::field::content_type], "image/png");
  EXPECT_EQ(c.get("/docs/vendor/no-such.js").result_int(), 404);
  EXPECT_EQ(c.get("/docs/no-such.js").result_int(), 404);

  // The same mechanism serves the dashboard and its chart library.
  auto dashboard = c.get("/dashboard");
  ASSERT_EQ(dashboard.result_int(), 200);
  EXPECT_EQ(dashboard.body(), read_file(FRUITPAK_WEB_DIR "/dashboard/index.html"));
  auto uplot = c.get("/dashboard/vendor/uPlot.iife.min.js");
  EXPECT_EQ(uplot.result_int(), 200);
  EXPECT_EQ(uplot.body(), read_file(FRUITPAK_WEB_DIR "/node_modules/uplot/dist/uPlot.iife.min.js"));
}

}  // namespace
}  // namespace fruitpak::testing
