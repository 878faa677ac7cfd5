import { z } from 'zod';

/** The JSON Schema of a zod schema as clients send it (inputs, defaults optional). */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };

export interface OperationSpec {
  summary: string;
  /** Longer prose (CommonMark) when the summary can't say it all. */
  description?: string;
  tag: string;
  /** Path parameters, each a zod schema. */
  params?: Record<string, z.ZodType>;
  /** Query string: an object schema whose keys become query parameters. */
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Success status and what it returns (a JSON Schema, or nothing for 204). */
  ok: { status: number; description: string; schema?: Record<string, unknown> };
  /** Error statuses this operation answers with problem+json. */
  errors: number[];
  /** Moderator routes: a bearer token or the panel's session cookie. */
  isModerator?: boolean;
}

/** One OpenAPI 3.1 operation object, built from the same zod schemas the route validates with. */
export function operation(spec: OperationSpec): Record<string, unknown> {
  const parameters = [
    ...Object.entries(spec.params ?? {}).map(([name, schema]) => ({
      name,
      in: 'path',
      required: true,
      schema: jsonSchemaOf(schema),
    })),
    ...Object.entries(spec.query?.shape ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: !(schema as z.ZodType).safeParse(undefined).success,
      schema: jsonSchemaOf(schema as z.ZodType),
    })),
  ];
  const responses: Record<string, unknown> = {
    [String(spec.ok.status)]: {
      description: spec.ok.description,
      ...(spec.ok.schema ? { content: { 'application/json': { schema: spec.ok.schema } } } : {}),
    },
  };
  for (const status of spec.errors) {
    responses[String(status)] = {
      description: 'Problem details with a stable `code`',
      content: { 'application/problem+json': { schema: PROBLEM_REF } },
    };
  }
  return {
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(spec.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchemaOf(spec.body) } },
          },
        }
      : {}),
    ...(spec.isModerator ? { security: [{ bearerAuth: [] }, { cookieAuth: [] }] } : {}),
    responses,
  };
}
