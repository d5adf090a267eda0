import { auditLogging } from '../collectors/audit-logging/collector';
import { collectorHandler } from '../runtime/lambda-runtime';

export const handler = collectorHandler(auditLogging);
