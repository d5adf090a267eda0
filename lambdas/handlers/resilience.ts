import { resilience } from '../collectors/resilience/collector';
import { collectorHandler } from '../runtime/lambda-runtime';

export const handler = collectorHandler(resilience);
