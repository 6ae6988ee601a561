// The schema reader lives in src/prisma (the rule reads it too); this module keeps the codemods' imports.
import { prismaSchemaFiles, readPrismaSchemaFiles, type PrismaSchema } from '../../src/prisma/prisma-schema';

export {
  isUniqueWhere,
  parsePrismaSchema,
  supportsNativeUpsert,
  type PrismaSchema,
} from '../../src/prisma/prisma-schema';

/** The schema's text: prisma.config.ts `schema`, package.json `prisma.schema`, `prisma/schema.prisma`, or a `prisma/schema/` folder. */
export function readPrismaSchema(projectDir: string): PrismaSchema | undefined {
  return readPrismaSchemaFiles(prismaSchemaFiles(projectDir));
}
