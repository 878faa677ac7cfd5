import { z } from 'zod';
import { IMPORT_FILE_KINDS } from '../contracts/portability';
import { siteIdSchema } from '../sites';

const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'must be a 24-character hex id');

export const siteParamsSchema = z.object({ id: siteIdSchema });
export const jobParamsSchema = z.object({ id: siteIdSchema, jobId: objectId });

export const importQuerySchema = z.strictObject({
  kind: z.enum(IMPORT_FILE_KINDS, { message: `must be one of ${IMPORT_FILE_KINDS.join(', ')}` }).optional(),
  fileName: z
    .string()
    .max(255, 'must be at most 255 characters')
    .refine((name) => ![...name].some((char) => char < ' ' || char === '\u007f'), 'must not contain control characters')
    .optional(),
});
