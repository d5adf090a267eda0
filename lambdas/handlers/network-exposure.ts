import { networkExposure } from '../collectors/network-exposure';
import { collectorHandler } from '../lambda-runtime';

export const handler = collectorHandler(networkExposure);
