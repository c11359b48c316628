import { describe, expect, it } from 'vitest';
import {
  comparePhaseIds,
  displayPhaseId,
  formatPlanId,
  isBacklogPhase,
  normalizePhaseId,
  normalizePlanId,
} from '../../src/planning/phase-id.js';

describe('normalizePhaseId', () => {
  it('pads the integer part to two digits and keeps decimals and letters', () => {
    expect(normalizePhaseId('1')).toBe('01');
    expect(normalizePhaseId('2.1')).toBe('02.1');
    expect(normalizePhaseId('02.1')).toBe('02.1');
    expect(normalizePhaseId('12A')).toBe('12A');
    expect(normalizePhaseId('12a')).toBe('12a');
    expect(normalizePhaseId('6.5')).toBe('06.5');
    expect(normalizePhaseId('2.1.3')).toBe('02.1.3');
  });

  it('keeps three-digit ids and drops extra leading zeros', () => {
    expect(normalizePhaseId('111')).toBe('111');
    expect(normalizePhaseId('212')).toBe('212');
    expect(normalizePhaseId('0114')).toBe('114');
    expect(normalizePhaseId('007')).toBe('07');
  });

  it('keeps a workstream prefix', () => {
    expect(normalizePhaseId('WS-3')).toBe('WS-03');
    expect(normalizePhaseId('AUTH-12.1')).toBe('AUTH-12.1');
  });

  it('returns null for what is not a phase id', () => {
    for (const text of ['', 'TBD', 'phase', '1.', '.1', 'v1.0', '1-2', 'toolong-1']) {
      expect(normalizePhaseId(text), text).toBeNull();
    }
  });
});

describe('displayPhaseId', () => {
  it('writes ids unpadded, as ROADMAP prose does', () => {
    expect(displayPhaseId('02.1')).toBe('2.1');
    expect(displayPhaseId('07')).toBe('7');
    expect(displayPhaseId('111')).toBe('111');
    expect(displayPhaseId('12A')).toBe('12A');
  });
});

describe('comparePhaseIds', () => {
  it('orders integers, letters and decimal insertions as GSD executes them', () => {
    const ids = ['12A', '3', '2.2', '111', '2', '12', '2.1', '10', '999.1'];
    expect([...ids].sort(comparePhaseIds)).toEqual([
      '2',
      '2.1',
      '2.2',
      '3',
      '10',
      '12',
      '12A',
      '111',
      '999.1',
    ]);
    expect(comparePhaseIds('02.1', '2.1')).toBe(0);
  });
});

describe('plan ids and backlog phases', () => {
  it('formats and normalises plan ids', () => {
    expect(formatPlanId('02.1', 3)).toBe('02.1-03');
    expect(normalizePlanId('2.1-3')).toEqual({ phaseKey: '02.1', planId: '02.1-03' });
    expect(normalizePlanId('212-01')).toEqual({ phaseKey: '212', planId: '212-01' });
    expect(normalizePlanId('01')).toBeNull();
  });

  it('recognises 999.x backlog phases', () => {
    expect(isBacklogPhase('999.1')).toBe(true);
    expect(isBacklogPhase('999')).toBe(true);
    expect(isBacklogPhase('99.9')).toBe(false);
  });
});
