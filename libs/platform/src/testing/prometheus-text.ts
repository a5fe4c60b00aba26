/**
 * Reads one series from Prometheus text exposition (what `/metrics` serves): the first line of `name`
 * whose labels include every pair of `labels` (other labels, such as `app`, are ignored). Returns
 * `undefined` when no series matches — callers decide whether absent means 0.
 */
export function readPrometheusMetric(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const match = /^[^{\s]+(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (match === null) continue;
    const found = Object.fromEntries([...(match[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[2]);
  }
  return undefined;
}
