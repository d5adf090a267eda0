import { iamMfa } from '../collectors/iam-mfa';
import { collectorHandler } from '../lambda-runtime';

export const handler = collectorHandler(iamMfa);
