import { networkExposure } from '../collectors/network-exposure/collector';
import { collectorHandler } from '../runtime/lambda-runtime';

export const handler = collectorHandler(networkExposure);
