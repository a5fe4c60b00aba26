// Bundles entry points with the production bundler (tools/build/bundle.mjs, the code every
// Dockerfile runs). stdin: JSON [{entry, outfile}]; stdout: JSON [{outfile, error?}], one per
// entry, in order. A failed entry is reported, not thrown, so the others still build. Run as its
// own process: bundle.mjs is an ES module, which Jest's CommonJS module system cannot import.
import { bundleEntry } from '../../build/bundle.mjs';

const jobs = JSON.parse(await new Response(process.stdin).text());
const results = [];
for (const { entry, outfile } of jobs) {
  try {
    await bundleEntry(entry, outfile);
    results.push({ outfile });
  } catch (error) {
    results.push({ outfile, error: error instanceof Error ? error.message : String(error) });
  }
}
process.stdout.write(JSON.stringify(results));
