import { passwordPolicy } from '../collectors/password-policy/collector';
import { collectorHandler } from '../runtime/lambda-runtime';

export const handler = collectorHandler(passwordPolicy);
