import { consoleSignins } from '../collectors/console-signins';
import { collectorHandler } from '../lambda-runtime';

export const handler = collectorHandler(consoleSignins);
