/** ANY /api/{proxy+}: an address the API does not have, answered in its own error shape (404). */
import { NotFoundError } from '../../domain/errors.ts';
import { httpHandler } from '../middleware.ts';

export const handler = httpHandler({ auth: false }, async ({ event }) => {
  throw new NotFoundError(`没有这个接口：${event.requestContext.http.method} ${event.rawPath}。No such API route.`);
});
