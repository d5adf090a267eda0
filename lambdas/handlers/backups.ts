import { backups } from '../collectors/backups/collector';
import { collectorHandler } from '../runtime/lambda-runtime';

export const handler = collectorHandler(backups);
