const { preset } = require('../../jest.preset.cjs');

// forceExit: the Redis-outage spec stops a private redis-server under a running gateway; a client
// still reconnecting after the test's close can keep the worker alive. Every spec asserts on its
// own teardown; this only stops one stray reconnect timer from hanging CI (noted in the closing note).
module.exports = { ...preset(__dirname, { integration: true }), forceExit: true };
