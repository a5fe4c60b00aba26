// Validates Kubernetes objects offline against the OpenAPI schemas of `kubernetes-models`
// (stdin: JSON array of objects; stdout: JSON array, per object, of its error messages).
// Run as its own process: kubernetes-models is ESM-only (its exports have only an `import`
// condition), which Jest's CommonJS module system cannot load.
const objects = JSON.parse(await new Response(process.stdin).text());

/** `apps/v1` → `apps/v1`, `v1` (the core group) → `v1`: the package's folder of that API version. */
function modelPath(apiVersion, kind) {
  if (!/^[a-z0-9.-]+(\/v[0-9a-z]+)?$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  return `kubernetes-models/${apiVersion}/${kind}`;
}

const results = [];
for (const object of objects) {
  const where = modelPath(object.apiVersion, object.kind);
  let Model;
  try {
    Model = where && (await import(where))[object.kind];
  } catch {
    Model = undefined;
  }
  if (typeof Model !== 'function') {
    results.push([`no schema for ${object.apiVersion} ${object.kind}`]);
    continue;
  }
  try {
    new Model(object).validate();
    results.push([]);
  } catch (error) {
    results.push([error instanceof Error ? error.message : String(error)]);
  }
}
process.stdout.write(JSON.stringify(results));
