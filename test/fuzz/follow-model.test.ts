import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import fc from 'fast-check'
import { checked, FUZZ_RUNS, register, useTestApp, type Account } from '../support/index.js'

const ctx = useTestApp()
const BASE = '/careers/users'
