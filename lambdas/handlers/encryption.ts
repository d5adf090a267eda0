import { encryption } from '../collectors/encryption/collector';
import { collectorHandler } from '../runtime/lambda-runtime';

export const handler = collectorHandler(encryption);
