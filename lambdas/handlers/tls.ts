import { tls } from '../collectors/tls';
import { collectorHandler } from '../lambda-runtime';

export const handler = collectorHandler(tls);
