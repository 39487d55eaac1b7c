import type { FlowJob, FlowProducer } from 'bullmq';
import type { Stage } from '../config.js';
import { DEFAULT_JOB_OPTIONS, jobId, type ParseJobData, type UploadJobData } from './definitions.js';

export interface ByteRange {
  start: number;
  end: number;
}

/**
 * report <- analyze <- clean <- parse x N. Every child fails its parent when it fails for good
 * (`failParentOnFailure`), so a broken chunk fails the whole upload visibly instead of leaving the
 * parents waiting for children forever.
 */
export function buildUploadFlow(upload: UploadJobData, chunks: readonly ByteRange[]): FlowJob {
  const node = (
    stage: Stage,
    data: UploadJobData | ParseJobData,
    part: number,
    children?: FlowJob[],
  ): FlowJob => ({
    name: stage,
    queueName: stage,
    data,
    opts: {
      ...DEFAULT_JOB_OPTIONS,
      jobId: jobId(stage, upload, part),
      ...(stage === 'report' ? {} : { failParentOnFailure: true }),
    },
    ...(children ? { children } : {}),
  });
  const parses = chunks.map((range, chunk) =>
    node('parse', { ...upload, chunk, start: range.start, end: range.end } satisfies ParseJobData, chunk),
  );
  return node('report', upload, 0, [node('analyze', upload, 0, [node('clean', upload, 0, parses)])]);
}

export async function enqueueUploadFlow(
  producer: FlowProducer,
  upload: UploadJobData,
  chunks: readonly ByteRange[],
): Promise<string> {
  const node = await producer.add(buildUploadFlow(upload, chunks));
  return node.job.id ?? jobId('report', upload);
}
