/**
 * Domain errors. Each sets `name` explicitly: minifiers rename classes, and Step Functions'
 * `ErrorEquals` matches the name. handlers/middleware.ts maps each name to an HTTP status.
 */
export class DomainError extends Error {
  /** Machine-readable code for clients, e.g. `validation`, `stale-version`. */
  readonly code: string;
  /** The input field the error is about, when there is one. */
  readonly field?: string;

  constructor(code: string, message: string, field?: string) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.field = field;
  }
}

/** The request is malformed or a field breaks its rule (400). */
export class ValidationError extends DomainError {
  constructor(message: string, field?: string) {
    super('validation', message, field);
    this.name = 'ValidationError';
  }
}

/** No valid credentials (401). */
export class UnauthenticatedError extends DomainError {
  constructor(message = '请先登录。Please sign in.') {
    super('unauthenticated', message);
    this.name = 'UnauthenticatedError';
  }
}

/** The caller may not do this (403). */
export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super('forbidden', message);
    this.name = 'ForbiddenError';
  }
}

/** The thing asked for does not exist, or the caller may not know it exists (404). */
export class NotFoundError extends DomainError {
  constructor(message: string) {
    super('not-found', message);
    this.name = 'NotFoundError';
  }
}

/** Someone else changed it first: the caller's version is stale (409). */
export class ConflictError extends DomainError {
  constructor(message: string, code = 'conflict') {
    super(code, message);
    this.name = 'ConflictError';
  }
}

/** Well-formed but cannot be processed as asked, e.g. an Idempotency-Key reused for another request (422). */
export class UnprocessableError extends DomainError {
  constructor(code: string, message: string, field?: string) {
    super(code, message, field);
    this.name = 'UnprocessableError';
  }
}

/** The system is not ready for this yet, e.g. no org chart has been set up (503). */
export class NotReadyError extends DomainError {
  constructor(message: string) {
    super('not-ready', message);
    this.name = 'NotReadyError';
  }
}

/** More than one response carries (413). */
export class PayloadTooLargeError extends DomainError {
  constructor(message: string, field?: string) {
    super('too-large', message, field);
    this.name = 'PayloadTooLargeError';
  }
}

/** The caller is doing this too often; they may try again after `retryAfterSeconds` (429). */
export class RateLimitedError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    field?: string,
  ) {
    super('rate-limited', message, field);
    this.name = 'RateLimitedError';
  }
}
