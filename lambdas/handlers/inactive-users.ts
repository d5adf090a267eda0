import { inactiveUsers } from '../collectors/inactive-users/collector';
import { collectorHandler } from '../runtime/lambda-runtime';

export const handler = collectorHandler(inactiveUsers);
