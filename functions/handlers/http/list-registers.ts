/** GET /api/registers: the registers (登记簿) there are. */
import { listRegisters } from '../../domain/registers/registers.ts';
import { httpHandler } from '../middleware.ts';

export const handler = httpHandler({}, async () => ({ body: { items: listRegisters() } }));
