import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SEALER_PRODUCER } from '../evidence/producers';
import { s3Reader } from '../evidence/read-store';
import { fetchKmsPublicKey } from '../evidence/signer';
import { newRunId } from '../run-collector';
import { heartbeatLine } from '../runtime/emf';
import { evidenceHandler } from '../runtime/lambda-runtime';
import { ENV } from '../runtime/runtime-env';
import { sealDays } from '../sealer/seal';

/**
 * The daily sealer (SEALER_CRON): seals every ended UTC day of every account into a digest signed by the
 * sealer's own key (ENV.signingKeyArn, through the signed S3Store). An unsigned digest would prove nothing,
 * so the function refuses to run without its key. Calls: s3:ListBucketVersions, s3:GetObjectVersion,
 * s3:PutObject, kms:Sign and kms:GetPublicKey (its own key, to check the digest each chain continues from).
 *
 * A chain of custody problem (a planted or doubtful digest it could not replace, a key under `digests/`
 * outside the layout) is something an administrator may have done: after sealing what it could, the
 * function fails naming them, so its Errors alarm fires and no heartbeat says all is well.
 */
export const handler = evidenceHandler(SEALER_PRODUCER, async (w, logger) => {
  const signingKeyArn = w.required(ENV.signingKeyArn);
  const started = new Date();
  const result = await sealDays({
    reader: s3Reader(w.clients.get(S3Client), w.bucket),
    store: w.store,
    account: w.account,
    now: started,
    runId: newRunId(),
    publicKey: await fetchKmsPublicKey(w.clients.get(KMSClient), signingKeyArn),
    deadline: w.deadline,
  });
  for (const s of result.sealed)
    logger.info(s.alreadySealed ? 'digest already sealed' : 'digest sealed', {
      key: s.key,
      account: s.account,
      date: s.date,
      sha256: s.sha256,
      objects: s.objects,
      late: s.late,
      otherVersions: s.otherVersions,
    });
  // Each one is something an administrator may have done to the chain: an error, for the log alarm.
  for (const problem of result.problems) logger.error('chain of custody problem', { problem });
  if (result.remainingDays > 0)
    logger.warn('days left for the next run', { remainingDays: result.remainingDays });
  if (result.problems.length > 0)
    throw new Error(
      `the sealer sealed ${result.sealed.length} digest(s) but found ${result.problems.length} chain of custody problem(s): ${result.problems.join('; ')}`,
    );
  const summary = {
    days: result.days,
    digests: result.sealed.length,
    remainingDays: result.remainingDays,
    problems: result.problems.length,
  };
  console.log(heartbeatLine(SEALER_PRODUCER, new Date(), summary));
  return { producer: SEALER_PRODUCER, ...summary, keys: result.sealed.map((s) => s.key) };
});
