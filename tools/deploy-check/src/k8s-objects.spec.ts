import { containerPort, parseManifests, resolveContainerEnv, selects, type K8sObject } from './k8s-objects';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

describe('parseManifests', () => {
  it('parses a multi-document stream, skipping empty documents', () => {
    const objects = parseManifests('---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: b}\n', 'x');
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ConfigMap/a', 'Secret/b']);
  });

  it('throws on a YAML error or a document that is not an object, naming the document', () => {
    expect(() => parseManifests('a: [1\n', 'f.yaml')).toThrow(/^f\.yaml, document 1: /);
    expect(() => parseManifests('apiVersion: v1\nkind: A\nmetadata: {name: a}\n---\n- 1\n', 'f.yaml')).toThrow(
      'f.yaml, document 2: not a Kubernetes object (apiVersion, kind, metadata.name)',
    );
  });
});

describe('resolveContainerEnv', () => {
  const objects: K8sObject[] = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { A: 'from-map', B: 'from-map' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { B: b64('from-secret') }, stringData: { C: 'plain' } },
  ];

  it('applies envFrom in order (later wins), then env; decodes Secret data', () => {
    const { vars, problems } = resolveContainerEnv(
      {
        name: 'c',
        envFrom: [{ configMapRef: { name: 'cm' } }, { secretRef: { name: 's' } }, { prefix: 'P_', configMapRef: { name: 'cm' } }],
        env: [{ name: 'A', value: 'literal' }, { name: 'D', valueFrom: { secretKeyRef: { name: 's', key: 'C' } } }, { name: 'E', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
      },
      objects,
    );
    expect(problems).toEqual([]);
    expect(Object.fromEntries(vars)).toEqual({
      A: { from: 'value', value: 'literal' },
      B: { from: 'secret', ref: 's', value: 'from-secret' },
      C: { from: 'secret', ref: 's', value: 'plain' },
      P_A: { from: 'configMap', ref: 'cm', value: 'from-map' },
      P_B: { from: 'configMap', ref: 'cm', value: 'from-map' },
      D: { from: 'secret', ref: 's' },
      E: { from: 'field' },
    });
  });

  it('reports a missing ConfigMap or Secret unless the reference is optional', () => {
    const { problems } = resolveContainerEnv(
      { name: 'c', envFrom: [{ configMapRef: { name: 'x' } }, { secretRef: { name: 'y' } }, { secretRef: { name: 'z', optional: true } }] },
      objects,
    );
    expect(problems).toEqual(['envFrom ConfigMap x does not exist', 'envFrom Secret y does not exist']);
  });
});

describe('containerPort and selects', () => {
  it('resolves a named or numbered port', () => {
    const c = { name: 'c', ports: [{ name: 'ops', containerPort: 9080 }] };
    expect(containerPort(c, 'ops')).toBe(9080);
    expect(containerPort(c, 1234)).toBe(1234);
    expect(containerPort(c, 'http')).toBeUndefined();
  });

  it('matches every label of a non-empty selector', () => {
    expect(selects({ a: '1' }, { a: '1', b: '2' })).toBe(true);
    expect(selects({ a: '1', c: '3' }, { a: '1' })).toBe(false);
    expect(selects({}, { a: '1' })).toBe(false);
  });
});
