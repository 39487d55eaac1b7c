import { describe, expect, it } from 'vitest';
import type { StageView, UploadView } from '../http/api-types.js';
import { overallProgress, stageLabel } from './stage-progress.js';

const stage = (state: StageView['state'], progress = 0, jobs = 1): StageView => ({
  state,
  progress,
  jobs,
  attempts: 0,
  startedAt: null,
  finishedAt: null,
  durationMs: null,
  error: null,
});

type Stages = Pick<UploadView, 'status' | 'stages'>;
const upload = (status: UploadView['status'], stages: UploadView['stages']): Stages => ({ status, stages });

describe('overallProgress', () => {
  it('weighs parsing at 70% and each later stage at 10%', () => {
    const half = upload('processing', {
      parse: stage('active', 0.5, 16),
      clean: stage('waiting'),
      analyze: stage('waiting'),
      report: stage('waiting'),
    });
    expect(overallProgress(half)).toBeCloseTo(0.35, 10);
    const analyzing = upload('processing', {
      parse: stage('completed', 1, 16),
      clean: stage('completed', 1),
      analyze: stage('active', 0),
      report: stage('waiting'),
    });
    expect(overallProgress(analyzing)).toBeCloseTo(0.8, 10);
  });

  it('is 0 before anything ran and 1 once completed', () => {
    expect(overallProgress(upload('queued', {}))).toBe(0);
    expect(overallProgress(upload('completed', { parse: stage('completed', 1) }))).toBe(1);
  });
});

describe('stageLabel', () => {
  it('names the stage at work, with chunk counts while parsing', () => {
    const parsing = upload('processing', {
      parse: stage('active', 0.25, 16),
      clean: stage('waiting'),
      analyze: stage('waiting'),
      report: stage('waiting'),
    });
    expect(stageLabel(parsing)).toBe('parse 4/16 chunks');
    const cleaning = upload('processing', { parse: stage('completed', 1, 16), clean: stage('retrying') });
    expect(stageLabel(cleaning)).toBe('clean (retrying)');
    expect(stageLabel(upload('queued', { parse: stage('waiting', 0, 3) }))).toBe('queued');
    expect(stageLabel(upload('failed', { parse: stage('completed', 1), clean: stage('failed') }))).toBe(
      'failed in clean',
    );
    expect(stageLabel(upload('completed', {}))).toBe('completed');
  });
});
