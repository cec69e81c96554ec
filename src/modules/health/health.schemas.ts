import { Type } from '@sinclair/typebox'

export const Status = Type.Object({ status: Type.String() })
