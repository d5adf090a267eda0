import { backups } from '../collectors/backups';
import { collectorHandler } from '../lambda-runtime';

export const handler = collectorHandler(backups);
