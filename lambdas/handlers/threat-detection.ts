import { threatDetection } from '../collectors/threat-detection/collector';
import { collectorHandler } from '../runtime/lambda-runtime';

export const handler = collectorHandler(threatDetection);
