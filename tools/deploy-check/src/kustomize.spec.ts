import { kustomizeMajor } from './kustomize';

describe('kustomizeMajor', () => {
  it('reads the embedded kustomize major version from kubectl version --client -o json', () => {
    expect(kustomizeMajor('{"clientVersion":{"major":"1"},"kustomizeVersion":"v5.5.0"}')).toBe(5);
    expect(kustomizeMajor('{"kustomizeVersion":"v2.0.3"}')).toBe(2);
  });

  it('is undefined when the output does not say', () => {
    expect(kustomizeMajor('{"clientVersion":{}}')).toBeUndefined();
    expect(kustomizeMajor('Client Version: v1.20.2')).toBeUndefined();
  });
});
