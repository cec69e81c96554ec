// Baseline (a): bare Fastify answering a fixed JSON object the size of a profile. The ceiling of HTTP + JSON alone.
import Fastify from 'fastify'

const profile = {
  id: 42,
  username: 'user000042',
  first_name: 'Jennifer',
  last_name: 'Martinez',
  bio: 'Senior backend developer working on distributed systems and web performance',
  avatar: null,
  created_at: '2024-01-05T16:38:24.000Z',
  posts_count: 1,
  followers_count: 17,
  following_count: 10,
}

const app = Fastify({ logger: false })
app.get('/careers/users/:username/', async () => profile)
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) })
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)))
