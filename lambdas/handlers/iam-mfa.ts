import { iamMfa } from '../collectors/iam-mfa/collector';
import { collectorHandler } from '../runtime/lambda-runtime';

export const handler = collectorHandler(iamMfa);
