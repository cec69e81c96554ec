// One load run in its own process (pinned by bench/run.ts to another core): argv[2] is a JSON spec,
// the result goes to stdout as one JSON line.
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

const spec = JSON.parse(process.argv[2]!) as Spec
const result = await autocannon({
  url: spec.base,
  connections: spec.connections,
  duration: spec.duration,
  requests: spec.paths.map((path) => ({ method: spec.method ?? 'GET', path, headers: spec.headers, body: spec.body })),
})
process.stdout.write(
  JSON.stringify({
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors + result.timeouts,
  }) + '\n',
)
