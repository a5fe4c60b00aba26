/** One instruction of a Dockerfile, continuation lines joined. */
export interface DockerInstruction {
  /** Upper-cased keyword: `FROM`, `RUN`, `USER`, … */
  readonly keyword: string;
  /** Everything after the keyword, continuation lines joined with a space. */
  readonly args: string;
  /** 1-based line of the keyword. */
  readonly line: number;
}

/** One build stage: its `FROM` and the instructions up to the next `FROM`. */
export interface DockerStage {
  /** The image or earlier stage it starts from (`node:24-alpine`, `build`). */
  readonly base: string;
  /** `AS <name>`, when given. */
  readonly name?: string;
  readonly instructions: readonly DockerInstruction[];
}

const CONTINUATION = /\\\s*$/;
const INSTRUCTION = /^\s*([A-Za-z]+)(?:\s+(.*))?$/;
const FROM_ARGS = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?\s*$/i;

/**
 * Splits a Dockerfile into instructions: comments, parser directives (`# syntax=…`) and blank
 * lines dropped, `\` continuations joined (comment lines inside a continuation are skipped, as
 * BuildKit does). Heredocs are not supported (none of ours uses them). Throws `TypeError` on a
 * line that is not an instruction.
 */
export function parseDockerfile(text: string): DockerInstruction[] {
  const out: DockerInstruction[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const start = i;
    let joined = raw;
    while (CONTINUATION.test(joined) && i + 1 < lines.length) {
      i += 1;
      if (lines[i].trimStart().startsWith('#')) continue;
      joined = `${joined.replace(CONTINUATION, '')} ${lines[i].trim()}`;
    }
    const match = INSTRUCTION.exec(joined.replace(CONTINUATION, ''));
    if (!match) throw new TypeError(`line ${start + 1} is not a Dockerfile instruction: ${raw.trim()}`);
    out.push({ keyword: match[1].toUpperCase(), args: (match[2] ?? '').trim(), line: start + 1 });
  }
  return out;
}

/** Groups instructions into build stages (instructions before the first `FROM`, i.e. `ARG`s, are dropped). */
export function dockerStages(instructions: readonly DockerInstruction[]): DockerStage[] {
  const stages: Array<{ base: string; name?: string; instructions: DockerInstruction[] }> = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const match = FROM_ARGS.exec(instruction.args);
      if (!match) throw new TypeError(`line ${instruction.line}: cannot read FROM ${instruction.args}`);
      stages.push({ base: match[1], ...(match[2] ? { name: match[2] } : {}), instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return stages;
}

/** `USER root`, `USER 0`, `USER root:…`, `USER 0:…`: the container would run as root. */
function isRootUser(args: string): boolean {
  const user = args.split(':')[0].trim();
  return user === 'root' || user === '0';
}

/** The base every stage must start from: Node 24 LTS, the production runtime (DESIGN §7). */
export const REQUIRED_BASE = /^node:24(?:[.-]|$)/;

/**
 * What our Dockerfiles must be (issue 8, DESIGN §7): multi-stage, every stage from `node:24…`
 * (or an earlier stage), the final stage running as a user that is not root, with a
 * `HEALTHCHECK` and an `ENTRYPOINT` or `CMD`, and every `COPY --from` naming an earlier stage.
 * Returns the problems, empty when there are none.
 */
export function dockerfileProblems(text: string): string[] {
  const stages = dockerStages(parseDockerfile(text));
  const problems: string[] = [];
  if (stages.length < 2) problems.push(`not multi-stage: ${stages.length} FROM`);
  const named = new Set<string>();
  for (const stage of stages) {
    if (!REQUIRED_BASE.test(stage.base) && !named.has(stage.base)) {
      problems.push(`stage ${stage.name ?? '(unnamed)'} starts FROM ${stage.base}, not node:24`);
    }
    for (const instruction of stage.instructions) {
      const from = /--from=(\S+)/.exec(instruction.args);
      if (instruction.keyword === 'COPY' && from && !named.has(from[1])) {
        problems.push(`line ${instruction.line}: COPY --from=${from[1]} names no earlier stage`);
      }
    }
    if (stage.name) named.add(stage.name);
  }
  const final = stages.at(-1);
  if (!final) return problems;
  const keywords = final.instructions.map((i) => i.keyword);
  const user = final.instructions.filter((i) => i.keyword === 'USER').at(-1);
  if (!user) problems.push('the final stage has no USER (it would run as root)');
  else if (isRootUser(user.args)) problems.push(`the final stage runs as root (USER ${user.args})`);
  const healthcheck = final.instructions.filter((i) => i.keyword === 'HEALTHCHECK').at(-1);
  if (!healthcheck) problems.push('the final stage has no HEALTHCHECK');
  else if (/^NONE\b/i.test(healthcheck.args)) problems.push('the final stage disables its HEALTHCHECK');
  if (!keywords.includes('ENTRYPOINT') && !keywords.includes('CMD')) problems.push('the final stage has no ENTRYPOINT or CMD');
  return problems;
}
