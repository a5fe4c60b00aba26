// Unit specs (src/) check the parsers and rules on fixtures; the integration specs (test/) run the
// real tools — docker-compose, kubectl kustomize, kubernetes-models, the bundler — on the real files.
// The global setup bundles every app and simulator once per run (not once per spec file).
const path = require('node:path');
const { preset } = require('../../jest.preset.cjs');

module.exports = {
  ...preset(__dirname, { integration: true }),
  globalSetup: path.join(__dirname, 'src/global-setup.ts'),
  globalTeardown: path.join(__dirname, 'src/global-teardown.ts'),
};
