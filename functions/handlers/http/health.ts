/** GET /health: whether each service Bangong depends on answers, checked through the same SDK calls locally and in AWS. */
import { httpHandler } from '../middleware.ts';
import { checkHealth } from '../../adapters/health.ts';

export const handler = httpHandler({ auth: false }, async () => {
  const report = await checkHealth();
  return { statusCode: report.status === 'up' ? 200 : 503, body: report };
});
