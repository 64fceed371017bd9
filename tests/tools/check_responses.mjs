// Validates real responses against the schemas the OpenAPI document declares for them
// (tests/http/openapi_httptest.cpp): a schema that disagrees with its serializer fails.
//
//   node check_responses.mjs <web dir> <input.json>
//
// input.json: {"document": <the OpenAPI document>, "cases": [{"path": "/api/growers/{grower_id}",
// "method": "get", "status": 200, "body": <the JSON body>}, ...]}. Prints one line per case
// ("ok <method> <path> <status>" or "FAIL ..." with ajv's errors) and exits 1 if any failed.
// ajv comes from web/node_modules (a dependency of the OpenAPI validator).

import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const [webDir, inputFile] = process.argv.slice(2);
const require = createRequire(join(webDir, "package.json"));
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

const { document, cases } = JSON.parse(readFileSync(inputFile, "utf8"));
// strict: false because the wrapper carries "components" next to the schema.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);

let failed = 0;
for (const c of cases) {
  const name = `${c.method} ${c.path} ${c.status}`;
  const response = document.paths?.[c.path]?.[c.method]?.responses?.[String(c.status)];
  const schema = response?.content?.["application/json"]?.schema;
  if (!schema) {
    console.log(`FAIL ${name}: no application/json schema declared for this status`);
    failed++;
    continue;
  }
  // "#/components/schemas/X" resolves against the wrapper's root.
  const validate = ajv.compile({ ...schema, components: document.components });
  if (validate(c.body)) {
    console.log(`ok ${name}`);
  } else {
    failed++;
    console.log(`FAIL ${name}: ${JSON.stringify(validate.errors)}`);
  }
}
process.exit(failed ? 1 : 0);
