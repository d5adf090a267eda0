import { publicAccess } from '../collectors/public-access/collector';
import { collectorHandler } from '../runtime/lambda-runtime';

export const handler = collectorHandler(publicAccess);
