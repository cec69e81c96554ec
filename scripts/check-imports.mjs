// `npm run lint` (after ESLint): the structure drawn from src/'s own imports.
// Fails on an import that points up a layer, a module reached other than through its index.ts,
// an import cycle, or a source file over 300 lines. Test files over 400 lines are reported.
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const SRC_MAX_LINES = 300
const TEST_MAX_LINES = 400

// server → app → modules → plugins → db/lib → config/errors: an import may only point to the same layer or below.
function layerOf(file) {
  if (file === 'src/server.ts') return 6
  if (file === 'src/app.ts' || file.startsWith('src/cli/')) return 5
  if (file.startsWith('src/modules/')) return 4
  if (file.startsWith('src/plugins/')) return 3
  if (file.startsWith('src/db/') || file.startsWith('src/lib/')) return 2
  if (file === 'src/config.ts' || file === 'src/config-values.ts' || file === 'src/errors.ts') return 1
  return undefined
}

const moduleOf = (file) => /^src\/modules\/([^/]+)\//.exec(file)?.[1]

const list = (dir) =>
  readdirSync(dir, { recursive: true })
    .map((file) => join(dir, file).split('\\').join('/'))
    .filter((file) => file.endsWith('.ts'))
const files = list('src').sort()
const problems = []

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|(?:^|\n)\s*import\s+['"](\.{1,2}\/[^'"]+)['"]/g
const graph = new Map()
for (const file of files) {
  const text = readFileSync(file, 'utf8')
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0)
  if (lines > SRC_MAX_LINES) problems.push(`${file}: ${lines} lines (at most ${SRC_MAX_LINES})`)
  const targets = []
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2]
    const target = relative('.', resolve(dirname(file), specifier.replace(/\.js$/, '.ts')))
      .split('\\')
      .join('/')
    targets.push(target)
    const from = layerOf(file)
    const to = layerOf(target)
    if (from !== undefined && to !== undefined && to > from) problems.push(`${file} → ${target}: imports a higher layer`)
    const [fromModule, toModule] = [moduleOf(file), moduleOf(target)]
    if (toModule !== undefined && fromModule !== toModule && target !== `src/modules/${toModule}/index.ts`) {
      problems.push(`${file} → ${target}: another module is imported only through its index.ts`)
    }
  }
  graph.set(file, targets)
}

// Cycles: depth-first search, reporting each back edge's cycle once.
const state = new Map()
const stack = []
function visit(file) {
  state.set(file, 'open')
  stack.push(file)
  for (const target of graph.get(file) ?? []) {
    if (!graph.has(target)) continue
    if (state.get(target) === 'open')
      problems.push(`import cycle: ${[...stack.slice(stack.indexOf(target)), target].join(' → ')}`)
    else if (!state.has(target)) visit(target)
  }
  stack.pop()
  state.set(file, 'done')
}
for (const file of files) if (!state.has(file)) visit(file)

for (const file of list('test').filter((name) => name.endsWith('.test.ts'))) {
  const lines = readFileSync(file, 'utf8').split('\n').length - 1
  if (lines > TEST_MAX_LINES) console.warn(`warning: ${file}: ${lines} lines (aim for at most ${TEST_MAX_LINES})`)
}

if (problems.length > 0) {
  for (const problem of problems) console.error(problem)
  process.exit(1)
}
console.log(`imports: ${files.length} files in src/, layers point down, no cycles, none over ${SRC_MAX_LINES} lines`)
