import { consoleSignins } from '../collectors/console-signins/collector';
import { collectorHandler } from '../runtime/lambda-runtime';

export const handler = collectorHandler(consoleSignins);
