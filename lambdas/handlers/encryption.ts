import { encryption } from '../collectors/encryption';
import { collectorHandler } from '../lambda-runtime';

export const handler = collectorHandler(encryption);
