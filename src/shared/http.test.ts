import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { z } from 'zod';
import { AppError, RateLimitedError } from './errors';
import { createErrorHandler, notFoundHandler, parseInput, statusForCode, toProblem } from './http';

function captureLogger(): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const logger = pino({ level: 'info' }, stream);
  const lines = (): Record<string, unknown>[] =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines };
}

function buildApp(logger: pino.Logger): express.Express {
  const app = express();
  app.use((req, _res, next) => {
    (req as { id?: string }).id = 'req-1';
    next();
  });
  app.use(express.json({ limit: 1024 }));
  app.get('/boom', () => {
    throw new Error('secret internals at /srv/app/db.ts:12');
  });
  app.get('/things/:id', (req, res) => {
    res.json({ id: req.params['id'] });
  });
  app.get('/slow-down', () => {
    throw new RateLimitedError(2.2);
  });
  app.get('/conflict', () => {
    throw new AppError('REVISION_CONFLICT', 'Someone else changed it', { currentRevision: 3 });
  });
  app.use(notFoundHandler);
  app.use(createErrorHandler(logger));
  return app;
}

describe('createErrorHandler', () => {
  it('when a route throws an unknown error, then the client gets 500 INTERNAL without internals and the log has the error with its request id', async () => {
    const { logger, lines } = captureLogger();

    const res = await request(buildApp(logger)).get('/boom').expect(500);

    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toEqual({
      type: 'https://parley.dev/problems/internal',
      title: 'Internal',
      status: 500,
      code: 'INTERNAL',
      detail: 'Something went wrong on our side',
      requestId: 'req-1',
    });
    expect(res.text).not.toContain('secret internals');
    const logged = lines().find((line) => line['msg'] === 'unhandled error');
    expect(logged?.['requestId']).toBe('req-1');
    expect(JSON.stringify(logged?.['err'])).toContain('secret internals');
  });

  it('when a path parameter is not valid percent-encoding, then 400 VALIDATION_FAILED, not a 500', async () => {
    const { logger } = captureLogger();

    const res = await request(buildApp(logger)).get('/things/%E0%A4%A').expect(400);

    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.text).not.toContain('%E0');
  });

  it('when an AppError carries context, then the context is public in the problem and the status comes from the table', async () => {
    const { logger } = captureLogger();

    const res = await request(buildApp(logger)).get('/conflict').expect(409);

    expect(res.body).toEqual(expect.objectContaining({ code: 'REVISION_CONFLICT', currentRevision: 3, requestId: 'req-1' }));
  });

  it('when a request is rate limited, then Retry-After is a whole number of seconds rounded up', async () => {
    const { logger } = captureLogger();

    const res = await request(buildApp(logger)).get('/slow-down').expect(429);

    expect(res.headers['retry-after']).toBe('3');
    expect(res.body.retryAfterSeconds).toBe(2.2);
  });
});

describe('toProblem', () => {
  it('when given a code, then type, title and status derive from it', () => {
    const problem = toProblem(new AppError('COMMENT_TOO_LONG', 'Too long', { maxLength: 5000 }), 'r');

    expect(problem).toEqual({
      type: 'https://parley.dev/problems/comment-too-long',
      title: 'Comment too long',
      status: 400,
      code: 'COMMENT_TOO_LONG',
      detail: 'Too long',
      requestId: 'r',
      maxLength: 5000,
    });
  });

  it('when context tries to override the standard fields, then the standard fields win', () => {
    const problem = toProblem(new AppError('FORBIDDEN', 'No', { status: 200, code: 'X' }), undefined);

    expect(problem.status).toBe(403);
    expect(problem.code).toBe('FORBIDDEN');
    expect(problem).not.toHaveProperty('requestId');
  });

  it('when asked for statuses, then every code maps to a 4xx or 5xx', () => {
    expect(statusForCode('PAYLOAD_TOO_LARGE')).toBe(413);
    expect(statusForCode('SERVICE_UNAVAILABLE')).toBe(503);
  });
});

describe('parseInput', () => {
  const schema = z.object({ name: z.string().min(1) });

  it('when input is valid, then the parsed value is returned', () => {
    expect(parseInput(schema, { name: 'ada' })).toEqual({ name: 'ada' });
  });

  it('when a query operator stands in for a string, then VALIDATION_FAILED lists the field', () => {
    let caught: unknown;
    try {
      parseInput(schema, { name: { $gt: '' } }, 'body');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    const error = caught as AppError;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toMatch(/^Invalid body: name: /);
    expect(error.context['issues']).toEqual([{ path: 'name', message: expect.any(String) }]);
  });
});
