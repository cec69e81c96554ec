// One load run in its own process (pinned by bench/run.ts to another core): argv[2] is a JSON spec,
// the result goes to stdout as one JSON line. wrk when it is installed (it drives a bare Fastify server at
// about 1.4 times autocannon's rate from the same core, so it caps the baselines less), autocannon otherwise.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'

interface Spec {
  base: string
  paths: string[]
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
  connections: number
  duration: number
}

interface Result {
  rps: number
  p50: number
  p99: number
  non2xx: number
}

const spec = JSON.parse(process.argv[2]!) as Spec
const useWrk = process.env.BENCH_LOAD !== 'autocannon' && spawnSync('wrk', ['--version']).error === undefined
const result = useWrk ? withWrk(spec) : await withAutocannon(spec)
process.stdout.write(JSON.stringify(result) + '\n')

async function withAutocannon(spec: Spec): Promise<Result> {
  const result = await autocannon({
    url: spec.base,
    connections: spec.connections,
    duration: spec.duration,
    requests: spec.paths.map((path) => ({ method: spec.method ?? 'GET', path, headers: spec.headers, body: spec.body })),
  })
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors + result.timeouts,
  }
}

/** wrk with a script that cycles through the paths; latencies in ms, as autocannon reports them. */
function withWrk(spec: Spec): Result {
  const dir = mkdtempSync(join(tmpdir(), 'careers-bench-'))
  const script = join(dir, 'load.lua')
  const lua = (value: string): string => JSON.stringify(value)
  writeFileSync(
    script,
    [
      `local paths = {${spec.paths.map(lua).join(', ')}}`,
      `wrk.method = ${lua(spec.method ?? 'GET')}`,
      ...Object.entries(spec.headers ?? {}).map(([name, value]) => `wrk.headers[${lua(name)}] = ${lua(value)}`),
      spec.body === undefined ? '' : `wrk.body = ${lua(spec.body)}`,
      'local i = 0',
      'request = function()',
      '  i = i % #paths + 1',
      '  return wrk.format(nil, paths[i])',
      'end',
      'done = function(summary, latency, requests)',
      '  local e = summary.errors',
      '  io.write(string.format("RESULT %f %f %f %d\\n", summary.requests / summary.duration * 1e6,',
      '    latency:percentile(50) / 1000, latency:percentile(99) / 1000, e.status + e.connect + e.read + e.write + e.timeout))',
      'end',
    ].join('\n'),
  )
  try {
    const run = spawnSync(
      'wrk',
      ['-t1', `-c${spec.connections}`, `-d${spec.duration}s`, '--timeout', '10s', '-s', script, spec.base],
      { encoding: 'utf8' },
    )
    const line = /RESULT (\S+) (\S+) (\S+) (\d+)/.exec(run.stdout)
    if (line === null) throw new Error(`wrk gave no result: ${run.stderr || run.stdout}`)
    return { rps: Number(line[1]), p50: Number(line[2]), p99: Number(line[3]), non2xx: Number(line[4]) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
