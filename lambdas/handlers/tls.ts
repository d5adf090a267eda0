import { tls } from '../collectors/tls/collector';
import { collectorHandler } from '../runtime/lambda-runtime';

export const handler = collectorHandler(tls);
