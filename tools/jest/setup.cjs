// Loaded before every test file: Nest needs the Reflect metadata polyfill.
require('reflect-metadata');
