import type { Message } from './types.js';

/**
 * The order of the four priorities that messages, jobs and webhook filters share
 * (critical first). On the ground floor so that no domain imports another for it.
 */
export const PRIORITY_RANK: Record<Message['priority'], number> = { critical: 0, high: 1, normal: 2, low: 3 };
