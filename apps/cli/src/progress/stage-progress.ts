/** How far along an upload is, as one number and one short label, from its per-stage view. */
import { STAGE_NAMES, type StageName, type UploadView } from '../http/api-types.js';

/**
 * Share of the total work each stage stands for. Parsing reads every line of every chunk and takes most
 * of the time; cleaning, analysis and the report work on what parsing produced.
 */
export const STAGE_WEIGHTS: Readonly<Record<StageName, number>> = {
  parse: 0.7,
  clean: 0.1,
  analyze: 0.1,
  report: 0.1,
};

/** 0..1: each stage's finished share (1 once completed) times its weight. */
export function overallProgress(upload: Pick<UploadView, 'status' | 'stages'>): number {
  if (upload.status === 'completed') return 1;
  let done = 0;
  for (const name of STAGE_NAMES) {
    const stage = upload.stages[name];
    if (!stage) continue;
    done += STAGE_WEIGHTS[name] * (stage.state === 'completed' ? 1 : stage.progress);
  }
  return Math.min(1, done);
}

/** The stage being worked on now, or the last one once everything finished. */
export function currentStage(upload: Pick<UploadView, 'stages'>): StageName {
  for (const name of STAGE_NAMES) {
    const stage = upload.stages[name];
    if (stage && stage.state !== 'completed') return name;
  }
  return 'report';
}

/** "parse 3/16 chunks", "analyze", "completed", "failed in clean". */
export function stageLabel(upload: Pick<UploadView, 'status' | 'stages'>): string {
  if (upload.status === 'completed') return 'completed';
  const name = currentStage(upload);
  const stage = upload.stages[name];
  if (upload.status === 'failed') return `failed in ${name}`;
  if (upload.status === 'queued' && (!stage || stage.state === 'waiting')) return 'queued';
  if (stage && name === 'parse' && stage.jobs > 1) {
    const done = Math.round(stage.progress * stage.jobs);
    return `parse ${done}/${stage.jobs} chunks`;
  }
  return stage?.state === 'retrying' ? `${name} (retrying)` : name;
}
