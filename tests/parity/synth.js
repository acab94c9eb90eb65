// Synthesizes a TypeScript twin of an ironcdk program with aws-cdk-lib, for the parity test
// (tests/cdk_parity.rs).
//
//   NODE_PATH=<node_modules with aws-cdk-lib, constructs, typescript> \
//     node synth.js TWIN.ts OUTDIR NORMALIZATIONS.json
//
// The twin exports `build(app)`. The app gets the feature flags a new CDK project gets
// (cx-api's CURRENTLY_RECOMMENDED_FLAGS), then the context the normalizations file sets (each
// entry says which documented difference it stands for), and path metadata on, as `cdk synth`.
'use strict';
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

// Twins are TypeScript; compile each on load (no type check: the test compares what it builds).
require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const out = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true },
  });
  module._compile(out.outputText, filename);
};

const [twin, outdir, normalizations] = process.argv.slice(2);
if (!twin || !outdir || !normalizations) {
  console.error('usage: node synth.js TWIN.ts OUTDIR NORMALIZATIONS.json');
  process.exit(2);
}
const cdk = require('aws-cdk-lib');
const cxapi = require('aws-cdk-lib/cx-api');
const context = { ...cxapi.CURRENTLY_RECOMMENDED_FLAGS };
for (const [key, entry] of Object.entries(JSON.parse(fs.readFileSync(normalizations, 'utf8')).context || {})) {
  context[key] = entry.value;
}
context['aws:cdk:enable-path-metadata'] = true;
// As the CDK CLI runs apps: assets are recorded in resource metadata (for SAM CLI).
context['aws:cdk:enable-asset-metadata'] = true;
const app = new cdk.App({ outdir, context, analyticsReporting: false });
require(path.resolve(twin)).build(app);
app.synth();
