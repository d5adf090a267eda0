import { keyRotation } from '../collectors/key-rotation/collector';
import { collectorHandler } from '../runtime/lambda-runtime';

export const handler = collectorHandler(keyRotation);
