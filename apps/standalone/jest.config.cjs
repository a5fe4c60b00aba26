const { preset } = require('../../jest.preset.cjs');

// One test file at a time: the process-level specs each bundle `dist/apps/*/main.js` (the files they
// run) and start several Node processes; in parallel they would rewrite a bundle another spec is
// spawning, and overload a 2-core machine.
module.exports = { ...preset(__dirname, { integration: true }), maxWorkers: 1 };
