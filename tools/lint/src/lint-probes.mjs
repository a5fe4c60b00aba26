// Lints virtual files (stdin: JSON [{file, code}]) with the workspace ESLint config and prints the
// module-boundary messages of each (stdout: JSON string[][]). Run as its own process because ESLint
// loads its flat config through a dynamic import, which Jest's VM does not allow.
import { ESLint } from 'eslint';
import path from 'node:path';

const root = process.cwd();
const cases = JSON.parse(await new Response(process.stdin).text());
const eslint = new ESLint({ cwd: root });
const out = [];
for (const { file, code } of cases) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  out.push(result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries' || m.ruleId === 'no-restricted-imports').map((m) => m.message));
}
process.stdout.write(JSON.stringify(out));
