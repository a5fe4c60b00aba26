/**
 * `@pos-link/keyring/testing`: fixtures for other libs' tests — the seed 001 site object and builders for
 * keys and site key sets. Never imported by production code.
 */
export { makeSiteKey, makeSiteKeys, seedSiteObject } from './testing/fixtures';
