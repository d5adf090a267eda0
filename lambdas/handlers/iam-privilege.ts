import { iamPrivilege } from '../collectors/iam-privilege/collector';
import { collectorHandler } from '../runtime/lambda-runtime';

export const handler = collectorHandler(iamPrivilege);
