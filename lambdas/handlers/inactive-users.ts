import { inactiveUsers } from '../collectors/inactive-users';
import { collectorHandler } from '../lambda-runtime';

export const handler = collectorHandler(inactiveUsers);
