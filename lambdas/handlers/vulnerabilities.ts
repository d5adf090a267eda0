import { vulnerabilities } from '../collectors/vulnerabilities/collector';
import { collectorHandler } from '../runtime/lambda-runtime';

export const handler = collectorHandler(vulnerabilities);
