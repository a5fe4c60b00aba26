/**
 * `@pos-link/gateway/testing`: fakes and helpers for tests of the gateway and of code built on its ALE core
 * (STYLE 2). Never imported by production code.
 */
export { FakeKeySource, type FakeSite } from './testing/fake-key-source';
export { gatewayErrorCode } from './testing/capture-gateway-error';
