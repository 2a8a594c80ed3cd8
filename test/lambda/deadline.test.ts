import { invocationDeadlines } from '../../lambda/deadline';

describe('invocationDeadlines', () => {
  const now = 1_000_000;
  const clock = () => now;

  test.each([
    // remaining, time kept for answering
    [120_000, 5_000], // a 2-minute function: 10% would be 12 s; 5 s is plenty for a PUT
    [900_000, 5_000],
    [30_000, 3_000], // 10%
    [8_000, 1_500], // a test deadline: 10% would be 800 ms, too little for a PUT from a busy host
    [400, 1_500], // less than the reserve: no time for work at all
  ])('with %i ms left, work stops %i ms before the end', (remainingMs, reserveMs) => {
    const { work } = invocationDeadlines(remainingMs, clock);
    expect(work.at).toBe(now + remainingMs - reserveMs);
  });

  test('the answer may use the reserve up to just before the end', () => {
    const { work, answer } = invocationDeadlines(120_000, clock);
    expect(answer.at).toBeGreaterThan(work.at);
    expect(answer.at).toBeLessThan(now + 120_000);
  });
});
