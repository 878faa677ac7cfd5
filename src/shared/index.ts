export { AppError, isAppError, NotFoundError, ValidationFailedError, RateLimitedError } from './errors';
export { createLogger } from './logger';
export type { Logger } from './logger';
export { systemClock } from './clock';
export type { Clock } from './clock';
export { createEventBus } from './event-bus';
export type { EventBus } from './event-bus';
export type { DomainEvents, PostEvent, Audience } from './domain-events';
export { parseInput, createErrorHandler, notFoundHandler, sendProblem, toProblem, statusForCode } from './http';
